// SPDX-License-Identifier: MIT
/*
 * Host tests for the ACPI table parser (kernel/acpi.c).
 *
 * A fake physical memory holds hand-built tables: an RSDP (version 0 or
 * 2), an RSDT or XSDT, a FACP that is not what we look for, and a MADT
 * with local APIC, I/O APIC and override entries. The map callback hands
 * out pointers into it and refuses anything outside. Each test then
 * breaks one thing a firmware could get wrong (a checksum, a length, a
 * signature) and checks the parser refuses it instead of reading past it.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <kernel/acpi.h>
#include <lib/errno.h>

#define MEM_BASE	0x7fe0000ULL
#define MEM_SIZE	4096
#define XSDT_AT		0x000
#define RSDT_AT		0x100
#define FACP_AT		0x200
#define MADT_AT		0x400

static unsigned char mem[MEM_SIZE];
static unsigned char rsdp[36];

static const void *fake_map(phys_addr_t pa, size_t len, void *ctx)
{
	(void)ctx;
	if (pa < MEM_BASE || pa - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (pa - MEM_BASE))
		return NULL;
	return mem + (pa - MEM_BASE);
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(unsigned char *p, size_t len, size_t at)
{
	unsigned char sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = (unsigned char)-sum;
}

static void table_header(unsigned char *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = 1;
	memcpy(t + 10, "LOUPE ", 6);
}

static void table_seal(unsigned char *t)
{
	uint32_t len;

	memcpy(&len, t + 4, 4);
	fix_checksum(t, len, 9);
}

/* The MADT being built, and where its next entry goes. */
static size_t madt_len;

static void madt_begin(void)
{
	unsigned char *t = mem + MADT_AT;

	memset(t, 0, 1024);
	madt_len = 44;
	put32(t + 36, 0xfee00000);	/* local APIC address */
	put32(t + 40, 1);		/* PC-AT compatible */
}

static void madt_entry(const unsigned char *e, size_t len)
{
	memcpy(mem + MADT_AT + madt_len, e, len);
	madt_len += len;
}

static void madt_cpu(uint8_t uid, uint8_t apic_id, uint32_t flags)
{
	unsigned char e[8] = { 0, 8, uid, apic_id };

	put32(e + 4, flags);
	madt_entry(e, sizeof(e));
}

static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi)
{
	unsigned char e[12] = { 1, 12, id, 0 };

	put32(e + 4, addr);
	put32(e + 8, gsi);
	madt_entry(e, sizeof(e));
}

static void madt_end(void)
{
	table_header(mem + MADT_AT, "APIC", madt_len);
	table_seal(mem + MADT_AT);
}

/* RSDP v2 -> XSDT and RSDP v0 -> RSDT both list FACP then MADT. */
static void build_machine(void)
{
	memset(mem, 0, sizeof(mem));
	table_header(mem + FACP_AT, "FACP", 64);
	table_seal(mem + FACP_AT);

	madt_begin();
	madt_cpu(0, 0, 1);
	madt_cpu(1, 2, 1);
	madt_cpu(2, 3, 0);		/* disabled */
	madt_ioapic(4, 0xfec00000, 0);
	madt_end();

	table_header(mem + XSDT_AT, "XSDT", 36 + 16);
	put64(mem + XSDT_AT + 36, MEM_BASE + FACP_AT);
	put64(mem + XSDT_AT + 44, MEM_BASE + MADT_AT);
	table_seal(mem + XSDT_AT);

	table_header(mem + RSDT_AT, "RSDT", 36 + 8);
	put32(mem + RSDT_AT + 36, MEM_BASE + FACP_AT);
	put32(mem + RSDT_AT + 40, MEM_BASE + MADT_AT);
	table_seal(mem + RSDT_AT);

	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "LOUPE ", 6);
	rsdp[15] = 2;
	put32(rsdp + 16, MEM_BASE + RSDT_AT);
	put32(rsdp + 20, 36);
	put64(rsdp + 24, MEM_BASE + XSDT_AT);
	fix_checksum(rsdp, 20, 8);
	fix_checksum(rsdp, 36, 32);
}

static void make_rsdp_v1(void)
{
	rsdp[15] = 0;
	fix_checksum(rsdp, 20, 8);
}

static void find_madt(const struct acpi_sdt_header **madt)
{
	struct acpi_root root;

	cr_assert_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), 0);
	cr_assert_eq(acpi_find_table(&root, "APIC", fake_map, NULL, madt), 0);
}

Test(acpi, rsdp_v2_prefers_the_xsdt)
{
	struct acpi_root root;

	build_machine();
	cr_assert_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), 0);
	cr_expect_eq(root.table, MEM_BASE + XSDT_AT);
	cr_expect_eq(root.entry_size, 8);
	cr_expect_eq(root.revision, 2);
}

Test(acpi, rsdp_v1_uses_the_rsdt_and_finds_the_madt)
{
	const struct acpi_sdt_header *madt;
	struct acpi_root root;

	build_machine();
	make_rsdp_v1();
	cr_assert_eq(acpi_parse_rsdp(rsdp, ACPI_RSDP_V1_LEN, &root), 0);
	cr_expect_eq(root.table, MEM_BASE + RSDT_AT);
	cr_expect_eq(root.entry_size, 4);
	cr_assert_eq(acpi_find_table(&root, "APIC", fake_map, NULL, &madt), 0);
	cr_expect_eq((const void *)madt, (const void *)(mem + MADT_AT));
}

Test(acpi, rsdp_with_bad_signature_checksum_or_length_is_refused)
{
	struct acpi_root root;

	build_machine();
	cr_expect_eq(acpi_parse_rsdp(rsdp, 19, &root), -EINVAL);
	cr_expect_eq(acpi_parse_rsdp(rsdp, 20, &root), -EINVAL);	/* v2 needs 36 */
	rsdp[3] = 'X';
	cr_expect_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), -EINVAL);
	build_machine();
	rsdp[30] ^= 1;					/* extended checksum */
	cr_expect_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), -EINVAL);
	build_machine();
	put32(rsdp + 20, 200);				/* longer than what we have */
	fix_checksum(rsdp, 20, 8);
	cr_expect_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), -EINVAL);
}

Test(acpi, madt_lists_enabled_cpus_and_the_ioapic)
{
	const struct acpi_sdt_header *madt;
	struct madt_info info;

	build_machine();
	find_madt(&madt);
	cr_assert_eq(madt_parse(madt, madt_len, MADT_MAX_CPUS, &info), 0);
	cr_expect_eq(info.lapic_phys, 0xfee00000);
	cr_expect_eq(info.n_cpus, 2);
	cr_expect_eq(info.n_cpus_listed, 2);
	cr_expect_eq(info.n_cpus_disabled, 1);
	cr_expect_eq(info.cpus[0].apic_id, 0);
	cr_expect_eq(info.cpus[1].apic_id, 2);
	cr_expect_eq(info.cpus[1].acpi_uid, 1);
	cr_expect(info.has_ioapic);
	cr_expect_eq(info.ioapic_id, 4);
	cr_expect_eq(info.ioapic_phys, 0xfec00000);
	cr_expect_eq(info.n_ioapics, 1);
}

Test(acpi, madt_online_capable_cpu_is_a_hotplug_slot_not_a_cpu_to_start)
{
	struct madt_info info;

	build_machine();
	madt_begin();
	madt_cpu(0, 0, 1);
	madt_cpu(1, 1, 2);		/* online capable, not enabled */
	madt_end();
	cr_assert_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), 0);
	cr_expect_eq(info.n_cpus, 1);
	cr_expect_eq(info.n_cpus_disabled, 1);
}

Test(acpi, madt_with_more_cpus_than_room_keeps_the_first_and_counts_all)
{
	struct madt_info info;

	build_machine();
	madt_begin();
	for (int i = 0; i < 12; i++)
		madt_cpu(i, 10 + i, 1);
	madt_end();
	cr_assert_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), 0);
	cr_expect_eq(info.n_cpus, 8);
	cr_expect_eq(info.n_cpus_listed, 12);
	cr_expect_eq(info.cpus[7].apic_id, 17);
	cr_assert_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 3, &info), 0);
	cr_expect_eq(info.n_cpus, 3);
}

Test(acpi, madt_lapic_override_replaces_the_address)
{
	unsigned char e[12] = { 5, 12, 0, 0 };
	struct madt_info info;

	build_machine();
	madt_begin();
	madt_cpu(0, 0, 1);
	put64(e + 4, 0x1fee00000ULL);
	madt_entry(e, sizeof(e));
	madt_end();
	cr_assert_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), 0);
	cr_expect_eq(info.lapic_phys, 0x1fee00000ULL);
}

Test(acpi, madt_with_bad_checksum_or_entry_length_is_refused)
{
	unsigned char zero_len[2] = { 0x7f, 0 };
	unsigned char short_cpu[6] = { 0, 6, 1, 1, 1, 0 };
	struct madt_info info;

	build_machine();
	mem[MADT_AT + 50] ^= 0x40;			/* checksum no longer 0 */
	cr_expect_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), -EINVAL);

	build_machine();				/* length beyond what is mapped */
	cr_expect_eq(madt_parse((void *)(mem + MADT_AT), madt_len - 1, 8, &info), -EINVAL);

	madt_begin();					/* an entry of length 0: endless */
	madt_cpu(0, 0, 1);
	madt_entry(zero_len, sizeof(zero_len));
	madt_end();
	cr_expect_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), -EINVAL);

	madt_begin();					/* a CPU entry too short to read */
	madt_entry(short_cpu, sizeof(short_cpu));
	madt_end();
	cr_expect_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), -EINVAL);

	madt_begin();					/* an entry running past the end */
	madt_cpu(0, 0, 1);
	madt_len -= 3;
	madt_end();
	cr_expect_eq(madt_parse((void *)(mem + MADT_AT), madt_len, 8, &info), -EINVAL);
}

Test(acpi, table_with_bad_checksum_is_skipped_and_missing_is_enoent)
{
	const struct acpi_sdt_header *madt;
	struct acpi_root root;

	build_machine();
	mem[MADT_AT + 44] ^= 1;
	cr_assert_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), 0);
	cr_expect_eq(acpi_find_table(&root, "APIC", fake_map, NULL, &madt), -ENOENT);
	cr_expect_eq(acpi_find_table(&root, "HPET", fake_map, NULL, &madt), -ENOENT);
}

Test(acpi, root_table_that_is_bad_or_unreachable_is_an_error)
{
	const struct acpi_sdt_header *madt;
	struct acpi_root root;

	build_machine();
	cr_assert_eq(acpi_parse_rsdp(rsdp, sizeof(rsdp), &root), 0);
	memcpy(mem + XSDT_AT, "RSDT", 4);		/* wrong kind of root */
	table_seal(mem + XSDT_AT);
	cr_expect_eq(acpi_find_table(&root, "APIC", fake_map, NULL, &madt), -EINVAL);
	root.table = 0x1000;				/* nowhere */
	cr_expect_eq(acpi_find_table(&root, "APIC", fake_map, NULL, &madt), -EFAULT);
}
