/* SPDX-License-Identifier: MIT */
/*
 * What the boot loader told us, copied out of the multiboot2 information
 * so nothing later depends on where GRUB left it.
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <lib/types.h>

#define BOOT_MAX_MEM_REGIONS	64
#define BOOT_MAX_MODULES	8
#define BOOT_CMDLINE_MAX	512

enum mem_region_type {
	MEM_USABLE = 1,
	MEM_RESERVED = 2,
	MEM_ACPI_RECLAIMABLE = 3,
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	phys_addr_t base;
	u64 length;
	u32 type;
};

struct boot_module {
	phys_addr_t start, end;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[64];
	struct mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned n_mem;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned n_modules;
	phys_addr_t info_start, info_end;	/* the multiboot2 structure itself */
	u8 acpi_rsdp[36];		/* the loader's copy of ACPI's RSDP */
	u32 acpi_rsdp_len;		/* 0: the loader gave none */
};

extern struct boot_info boot_info;

/**
 * multiboot2_parse - copy what we need from the multiboot2 information
 * @magic: EAX at entry (must be the multiboot2 bootloader magic)
 * @info: the structure, mapped
 * @info_phys: its physical address (so memory management can reserve it)
 *
 * Returns 0, or -EINVAL if @magic is wrong.
 */
int multiboot2_parse(u32 magic, const void *info, phys_addr_t info_phys);

/* Apply loglevel=, panic=, ... from the command line (boot_info.cmdline). */
void cmdline_parse(void);
/* Was a bare word (e.g. "selftest") given on the command line? */
bool cmdline_has(const char *word);
/* The value of KEY=VALUE, or NULL. */
const char *cmdline_get(const char *key, char *buf, size_t size);

#endif
