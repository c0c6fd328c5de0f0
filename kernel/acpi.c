// SPDX-License-Identifier: MIT
/*
 * ACPI's table chain, RSDP -> RSDT/XSDT -> MADT, parsed defensively.
 *
 * Used once at boot (arch/x86/smpboot.c) to learn how many CPUs there are
 * and which local APIC id each has. The tables come from firmware and are
 * read before anything else could have checked them, so each step checks
 * what it is about to rely on: a signature, a checksum (the bytes of a
 * table sum to zero modulo 256), and a length that covers what is read.
 * Multi-byte fields are copied out with memcpy: ACPI structures are packed
 * and their fields need not be aligned.
 */
#include <kernel/acpi.h>
#include <lib/errno.h>
#include <lib/string.h>

#define RSDP_SIGNATURE		"RSD PTR "

/* MADT: the header, the local APIC address (u32) and flags (u32), then
 * variable-length entries that each start with a type and a length byte. */
#define MADT_FIXED_LEN		(ACPI_HEADER_LEN + 8)
#define MADT_LOCAL_APIC		0	/* one processor's local APIC */
#define MADT_IO_APIC		1
#define MADT_LAPIC_OVERRIDE	5	/* a 64-bit local APIC address */

#define LAPIC_ENABLED		(1U << 0)	/* usable now */
#define LAPIC_ONLINE_CAPABLE	(1U << 1)	/* may be enabled later (ACPI 6.3) */

/* The byte sum of @len bytes: 0 for a valid ACPI structure. */
static u8 checksum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

static u32 get_u32(const void *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 get_u64(const void *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Check the RSDP GRUB copied (@len bytes) and find the root table: the
 * XSDT (64-bit entries) when revision 2+ gives one, else the RSDT.
 * Returns 0, or -EINVAL for a bad signature, checksum or length.
 */
int acpi_parse_rsdp(const void *rsdp, size_t len, struct acpi_root *root)
{
	const u8 *b = rsdp;
	u64 xsdt;

	if (len < ACPI_RSDP_V1_LEN || memcmp(b, RSDP_SIGNATURE, 8) ||
	    checksum(b, ACPI_RSDP_V1_LEN))
		return -EINVAL;
	root->revision = b[15];
	root->table = get_u32(b + 16);
	root->entry_size = 4;
	if (root->revision < 2)
		return 0;
	/* ACPI 2.0+: the extended part has its own length and checksum. */
	if (len < ACPI_RSDP_V2_LEN || get_u32(b + 20) < ACPI_RSDP_V2_LEN ||
	    get_u32(b + 20) > len || checksum(b, get_u32(b + 20)))
		return -EINVAL;
	xsdt = get_u64(b + 24);
	if (xsdt) {
		root->table = xsdt;
		root->entry_size = 8;
	}
	return 0;
}

/*
 * Map a whole table at @pa: its header first (to learn the length), then
 * all of it. NULL if unreachable, too short, or the checksum is wrong.
 */
static const struct acpi_sdt_header *map_table(phys_addr_t pa, acpi_map_fn map, void *ctx)
{
	const struct acpi_sdt_header *h = map(pa, ACPI_HEADER_LEN, ctx);
	u32 len;

	if (!h)
		return NULL;
	len = get_u32(&h->length);
	if (len < ACPI_HEADER_LEN)
		return NULL;
	h = map(pa, len, ctx);
	if (!h || checksum(h, len))
		return NULL;
	return h;
}

/*
 * Find the table with signature @sig among the root table's entries,
 * mapping each through @map (the host tests pass a fake one). Tables
 * with a bad checksum are skipped. Returns 0 and *@out, -ENOENT (not
 * listed), -EINVAL (the root table is corrupt) or -EFAULT (unreachable).
 */
int acpi_find_table(const struct acpi_root *root, const char sig[4], acpi_map_fn map,
		    void *ctx, const struct acpi_sdt_header **out)
{
	const struct acpi_sdt_header *rt = map_table(root->table, map, ctx);
	const char *want = root->entry_size == 8 ? "XSDT" : "RSDT";
	size_t n, i;

	if (!rt)
		return map(root->table, ACPI_HEADER_LEN, ctx) ? -EINVAL : -EFAULT;
	if (memcmp(rt->signature, want, 4))
		return -EINVAL;
	n = (get_u32(&rt->length) - ACPI_HEADER_LEN) / root->entry_size;
	for (i = 0; i < n; i++) {
		const u8 *entry = (const u8 *)rt + ACPI_HEADER_LEN + i * root->entry_size;
		phys_addr_t pa = root->entry_size == 8 ? get_u64(entry) : get_u32(entry);
		const struct acpi_sdt_header *t = map_table(pa, map, ctx);

		if (t && !memcmp(t->signature, sig, 4)) {
			*out = t;
			return 0;
		}
	}
	return -ENOENT;
}

/* A processor's local APIC: uid, APIC id, flags. */
static void madt_add_cpu(const u8 *e, unsigned max_cpus, struct madt_info *info)
{
	u32 flags = get_u32(e + 4);

	/* Online-capable but not enabled is a slot for a CPU that may be
	 * hot-plugged later (QEMU's -smp N,maxcpus=M): nothing is there to
	 * start now, so it counts as disabled, as in Linux. */
	if (!(flags & LAPIC_ENABLED)) {
		info->n_cpus_disabled++;
		return;
	}
	info->n_cpus_listed++;
	if (info->n_cpus < max_cpus) {
		info->cpus[info->n_cpus].acpi_uid = e[2];
		info->cpus[info->n_cpus].apic_id = e[3];
		info->n_cpus++;
	}
}

/* The first I/O APIC is the one used; others are only counted. */
static void madt_add_ioapic(const u8 *e, struct madt_info *info)
{
	if (!info->n_ioapics++) {
		info->has_ioapic = true;
		info->ioapic_id = e[2];
		info->ioapic_phys = get_u32(e + 4);
		info->ioapic_gsi_base = get_u32(e + 8);
	}
}

/* The smallest valid length of each entry type we read. */
static unsigned madt_entry_min_len(u8 type)
{
	switch (type) {
	case MADT_LOCAL_APIC:		return 8;
	case MADT_IO_APIC:		return 12;
	case MADT_LAPIC_OVERRIDE:	return 12;
	default:			return 2;	/* skipped unread */
	}
}

/*
 * Read the MADT (@len bytes mapped) into @info: the enabled CPUs' APIC
 * ids (at most @max_cpus kept, all counted), the I/O APIC and the local
 * APIC's address. Returns 0, or -EINVAL if the table or an entry's
 * length is malformed - then @info must not be trusted. Boot, one CPU.
 */
int madt_parse(const struct acpi_sdt_header *madt, size_t len, unsigned max_cpus,
	       struct madt_info *info)
{
	const u8 *b = (const u8 *)madt;
	size_t off, table_len;

	memset(info, 0, sizeof(*info));
	if (max_cpus > MADT_MAX_CPUS)
		max_cpus = MADT_MAX_CPUS;
	if (len < MADT_FIXED_LEN || memcmp(madt->signature, "APIC", 4))
		return -EINVAL;
	table_len = get_u32(&madt->length);
	if (table_len < MADT_FIXED_LEN || table_len > len || checksum(b, table_len))
		return -EINVAL;
	info->lapic_phys = get_u32(b + ACPI_HEADER_LEN);

	for (off = MADT_FIXED_LEN; off < table_len;) {
		u8 type, elen;

		/* An entry must hold its own type and length, and fit. */
		if (table_len - off < 2)
			return -EINVAL;
		type = b[off];
		elen = b[off + 1];
		if (elen < madt_entry_min_len(type) || elen > table_len - off)
			return -EINVAL;
		if (type == MADT_LOCAL_APIC)
			madt_add_cpu(b + off, max_cpus, info);
		else if (type == MADT_IO_APIC)
			madt_add_ioapic(b + off, info);
		else if (type == MADT_LAPIC_OVERRIDE)
			info->lapic_phys = get_u64(b + off + 4);
		off += elen;
	}
	return 0;
}
