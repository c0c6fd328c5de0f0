/* SPDX-License-Identifier: MIT */
/*
 * Reading ACPI's tables far enough to find the CPUs (kernel/acpi.c).
 *
 * The firmware leaves a chain of tables in memory: the RSDP (GRUB copies
 * it into the multiboot2 information) points at the RSDT (32-bit entries)
 * or, from ACPI 2.0 on, the XSDT (64-bit entries); each entry is the
 * physical address of a table with a common header, one of them the MADT
 * (signature "APIC"), which lists the interrupt controllers: one local
 * APIC per processor, the I/O APICs, and where the local APICs live.
 *
 * Everything here is plain parsing of bytes the firmware wrote, so it
 * trusts nothing: every checksum, signature and length is checked before
 * a field is read, and a table that fails is refused with an errno. The
 * code reaches physical memory only through a map callback, so the host
 * unit test (tests/host/test_acpi.c) can feed it hand-built tables.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <lib/types.h>

#define ACPI_RSDP_V1_LEN	20	/* ACPI 1.0: up to the RSDT address */
#define ACPI_RSDP_V2_LEN	36	/* 2.0+: length, XSDT address, extended checksum */
#define ACPI_HEADER_LEN		36	/* every system description table */

/* The common header of every table but the RSDP. */
struct acpi_sdt_header {
	char signature[4];
	u32 length;			/* the whole table, header included */
	u8 revision;
	u8 checksum;			/* all bytes of the table sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __attribute__((packed));

/* The root table an RSDP names. */
struct acpi_root {
	phys_addr_t table;		/* RSDT or XSDT */
	unsigned entry_size;		/* 4 (RSDT) or 8 (XSDT) */
	u8 revision;			/* the RSDP's: 0 for ACPI 1.0 */
};

/*
 * Make @len bytes at physical @pa readable; returns a pointer or NULL if
 * they cannot be reached. The kernel maps; the host test looks up a blob.
 */
typedef const void *(*acpi_map_fn)(phys_addr_t pa, size_t len, void *ctx);

/**
 * acpi_parse_rsdp - check an RSDP and say which root table it names
 * @rsdp: the RSDP's bytes (as copied by the boot loader)
 * @len: how many bytes are there
 *
 * Prefers the XSDT when the RSDP is version 2 or later and has one.
 * Returns 0, or -EINVAL on a bad signature, checksum or length.
 */
int acpi_parse_rsdp(const void *rsdp, size_t len, struct acpi_root *root);

/**
 * acpi_find_table - find the table with signature @sig through @root
 * @map, @ctx: how to reach physical memory
 * @out: the table (its whole length mapped) on success
 *
 * Returns 0, -ENOENT if no valid table has that signature, -EINVAL if the
 * root table itself is bad, -EFAULT if @map cannot reach it. A listed
 * table with a bad checksum is skipped, as if absent.
 */
int acpi_find_table(const struct acpi_root *root, const char sig[4], acpi_map_fn map,
		    void *ctx, const struct acpi_sdt_header **out);

#define MADT_MAX_CPUS		8	/* the kernel's NR_CPUS */

struct madt_cpu {
	u8 apic_id;			/* the local APIC's id: the target of IPIs */
	u8 acpi_uid;			/* ACPI's processor id */
};

/* What the MADT says about the machine's interrupt controllers. */
struct madt_info {
	phys_addr_t lapic_phys;		/* every CPU's local APIC is here */
	unsigned n_cpus;		/* enabled CPUs kept in cpus[] */
	unsigned n_cpus_listed;		/* enabled CPUs in the table (may exceed n_cpus) */
	unsigned n_cpus_disabled;	/* listed but not enabled (absent, or hot-plug slots) */
	struct madt_cpu cpus[MADT_MAX_CPUS];
	bool has_ioapic;		/* the first I/O APIC: */
	u8 ioapic_id;
	phys_addr_t ioapic_phys;
	u32 ioapic_gsi_base;
	unsigned n_ioapics;
};

/**
 * madt_parse - list the CPUs and the I/O APIC of a MADT
 * @madt: the table, @len bytes of it readable
 * @max_cpus: keep at most this many CPUs (<= MADT_MAX_CPUS); the rest are
 *            only counted in n_cpus_listed
 *
 * CPUs are kept in table order (the firmware lists the boot CPU first).
 * Returns 0, or -EINVAL if the header, checksum or any entry's length is
 * wrong (nothing is trusted from a table that fails).
 */
int madt_parse(const struct acpi_sdt_header *madt, size_t len, unsigned max_cpus,
	       struct madt_info *info);

#endif
