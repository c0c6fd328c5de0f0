// SPDX-License-Identifier: MIT
/*
 * Reading the multiboot2 boot information.
 *
 * GRUB hands us a list of 8-byte-aligned tags. We copy the command line,
 * the memory map, the module list and ACPI's RSDP into struct boot_info,
 * and remember
 * where the structure itself lies so its pages are not handed out before
 * we are done with them.
 */
#include <kernel/bootinfo.h>
#include <lib/errno.h>
#include <lib/string.h>

#define MB2_BOOTLOADER_MAGIC	0x36d76289

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER_NAME	2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14	/* a copy of an ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW	15	/* a copy of an ACPI 2.0+ RSDP */

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_tag_module {
	u32 type, size;
	u32 mod_start, mod_end;
	char cmdline[];
};

struct mb2_tag_mmap {
	u32 type, size;
	u32 entry_size, entry_version;
	u8 entries[];
};

struct mb2_mmap_entry {
	u64 base_addr, length;
	u32 type, reserved;
};

struct boot_info boot_info;

/*
 * Copy the firmware's memory map into boot_info.mem (type 1: usable
 * RAM). Entries are stepped by the tag's entry_size, not by our struct,
 * so a newer GRUB's longer entries still parse. Extra regions are
 * dropped past BOOT_MAX_MEM_REGIONS.
 */
static void parse_mmap(const struct mb2_tag_mmap *t)
{
	const u8 *p = t->entries, *end = (const u8 *)t + t->size;

	for (; p + sizeof(struct mb2_mmap_entry) <= end && boot_info.n_mem < BOOT_MAX_MEM_REGIONS;
	     p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		struct mem_region *r = &boot_info.mem[boot_info.n_mem++];

		r->base = e->base_addr;
		r->length = e->length;
		r->type = e->type;
	}
}

/*
 * GRUB copies the firmware's RSDP into the tag (it gives both tags when
 * the firmware has a 2.0 RSDP). The newer one wins whatever the order.
 */
static void parse_acpi_rsdp(const struct mb2_tag *tag)
{
	u32 len = tag->size - sizeof(*tag);

	if (tag->type == MB2_TAG_ACPI_OLD && boot_info.acpi_rsdp_len)
		return;
	if (len > sizeof(boot_info.acpi_rsdp))
		len = sizeof(boot_info.acpi_rsdp);
	memcpy(boot_info.acpi_rsdp, tag + 1, len);
	boot_info.acpi_rsdp_len = len;
}

/* One tag into boot_info; unknown types are skipped, as the spec asks. */
static void parse_tag(const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		strscpy(boot_info.cmdline, (const char *)(tag + 1), sizeof(boot_info.cmdline));
		break;
	case MB2_TAG_LOADER_NAME:
		strscpy(boot_info.loader, (const char *)(tag + 1), sizeof(boot_info.loader));
		break;
	case MB2_TAG_MODULE:
		if (boot_info.n_modules < BOOT_MAX_MODULES) {
			const struct mb2_tag_module *m = (const void *)tag;

			boot_info.modules[boot_info.n_modules].start = m->mod_start;
			boot_info.modules[boot_info.n_modules++].end = m->mod_end;
		}
		break;
	case MB2_TAG_MMAP:
		parse_mmap((const void *)tag);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		parse_acpi_rsdp(tag);
		break;
	}
}

/*
 * Read the boot information GRUB left at @info (physical @info_phys)
 * into boot_info. Returns 0, or -EINVAL when @magic says we were not
 * booted by a multiboot2 loader. Context: early boot, one CPU, before
 * the page allocator (which must keep the structure's pages until now).
 */
int multiboot2_parse(u32 magic, const void *info, phys_addr_t info_phys)
{
	const u8 *p = info;
	u32 total;

	if (magic != MB2_BOOTLOADER_MAGIC)
		return -EINVAL;
	total = *(const u32 *)p;
	boot_info.info_start = info_phys;
	boot_info.info_end = info_phys + total;
	for (p += 8; p < (const u8 *)info + total;) {
		const struct mb2_tag *tag = (const void *)p;

		if (tag->type == MB2_TAG_END || tag->size < 8)
			break;
		parse_tag(tag);
		p += (tag->size + 7) & ~7u;
	}
	return 0;
}
