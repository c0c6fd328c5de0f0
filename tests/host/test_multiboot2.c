// SPDX-License-Identifier: MIT
/*
 * Host tests for the multiboot2 information parser (kernel/multiboot2.c),
 * for the tags CPU bring-up depends on: the ACPI RSDP copies. GRUB gives
 * the old (ACPI 1.0) tag, and also the new one when the firmware has an
 * ACPI 2.0 RSDP; the new one must win in either order, and a tag longer
 * than the RSDP we keep must not overflow boot_info.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <kernel/bootinfo.h>
#include <lib/errno.h>

#define MB2_MAGIC	0x36d76289

static unsigned char info[512] __attribute__((aligned(8)));
static size_t info_len;

static void info_begin(void)
{
	memset(info, 0, sizeof(info));
	memset(&boot_info, 0, sizeof(boot_info));
	info_len = 8;
}

static void info_tag(uint32_t type, const void *payload, uint32_t len)
{
	uint32_t size = 8 + len;

	memcpy(info + info_len, &type, 4);
	memcpy(info + info_len + 4, &size, 4);
	memcpy(info + info_len + 8, payload, len);
	info_len += (size + 7) & ~7u;
}

static void info_end(void)
{
	uint32_t total;

	info_tag(0, NULL, 0);
	total = info_len;
	memcpy(info, &total, 4);
}

static const unsigned char old_rsdp[20] = "RSD PTR \x01OLDOEM";
static const unsigned char new_rsdp[36] = "RSD PTR \x02NEWOEM";

Test(multiboot2, old_acpi_tag_alone_gives_a_20_byte_rsdp)
{
	info_begin();
	info_tag(14, old_rsdp, sizeof(old_rsdp));
	info_end();
	cr_assert_eq(multiboot2_parse(MB2_MAGIC, info, 0x10000), 0);
	cr_expect_eq(boot_info.acpi_rsdp_len, 20);
	cr_expect(!memcmp(boot_info.acpi_rsdp, old_rsdp, 20));
}

Test(multiboot2, new_acpi_tag_wins_in_either_order)
{
	info_begin();
	info_tag(14, old_rsdp, sizeof(old_rsdp));
	info_tag(15, new_rsdp, sizeof(new_rsdp));
	info_end();
	cr_assert_eq(multiboot2_parse(MB2_MAGIC, info, 0x10000), 0);
	cr_expect_eq(boot_info.acpi_rsdp_len, 36);
	cr_expect(!memcmp(boot_info.acpi_rsdp, new_rsdp, 36));

	info_begin();
	info_tag(15, new_rsdp, sizeof(new_rsdp));
	info_tag(14, old_rsdp, sizeof(old_rsdp));
	info_end();
	cr_assert_eq(multiboot2_parse(MB2_MAGIC, info, 0x10000), 0);
	cr_expect_eq(boot_info.acpi_rsdp_len, 36);
	cr_expect(!memcmp(boot_info.acpi_rsdp, new_rsdp, 36));
}

Test(multiboot2, oversized_acpi_tag_is_cut_to_what_boot_info_holds)
{
	unsigned char big[100];

	memset(big, 0xab, sizeof(big));
	info_begin();
	info_tag(15, big, sizeof(big));
	info_end();
	cr_assert_eq(multiboot2_parse(MB2_MAGIC, info, 0x10000), 0);
	cr_expect_eq(boot_info.acpi_rsdp_len, sizeof(boot_info.acpi_rsdp));
}

Test(multiboot2, no_acpi_tag_leaves_no_rsdp_and_bad_magic_is_refused)
{
	info_begin();
	info_tag(1, "selftest", 9);
	info_end();
	cr_assert_eq(multiboot2_parse(MB2_MAGIC, info, 0x10000), 0);
	cr_expect_eq(boot_info.acpi_rsdp_len, 0);
	cr_expect_str_eq(boot_info.cmdline, "selftest");
	cr_expect_eq(multiboot2_parse(0x2badb002, info, 0x10000), -EINVAL);
}
