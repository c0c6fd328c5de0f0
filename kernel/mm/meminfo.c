// SPDX-License-Identifier: MIT
/*
 * The `mem` command: what the page allocator and kmalloc hold. The e2e
 * leak checks parse its lines (tests/e2e/smp_stress.py, redteam_churn.py,
 * event_filters.py): change a line's words and change them there too.
 */
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/arch.h>
#include <kernel/shell.h>
#include <asm/layout.h>
#include <lib/compiler.h>
#include <lib/errno.h>

#define KIB(pages)	((unsigned long long)(pages) * (PAGE_SIZE / 1024))

/* The page allocator's totals, its free blocks by order, and the pages
 * kept by run-time code and page tables. */
static void show_pages(void)
{
	struct buddy_stats b;
	unsigned o;

	page_alloc_stats(&b);
	console_printf("pages:   total %8llu KiB  free %8llu KiB  used %8llu KiB  reserved %8llu KiB\n",
		       KIB(b.managed_pages), KIB(b.free_pages), KIB(b.allocated_pages),
		       KIB(b.reserved_pages));
	console_printf("free blocks by order:");
	for (o = 0; o < BUDDY_MAX_ORDER; o++)
		console_printf(" %lu", b.free_blocks[o]);
	console_printf("\n");
	console_printf("exec:    %lu pages of run-time code\n", exec_pages_in_use());
	console_printf("tables:  %lu pages of page tables (kept once made)\n", page_table_pages());
}

/* kmalloc: what is outstanding (objects, bytes asked for and taken,
 * slab pages), the totals since boot, and each size class. */
static void show_kmalloc(void)
{
	struct slab_stats s;
	unsigned i;

	kmalloc_stats(&s);
	console_printf("kmalloc: %lu objects outstanding (%lu large), %zu bytes requested, "
		       "%zu bytes allocated, %lu pages held\n",
		       s.objects_outstanding, s.large_objects_outstanding,
		       s.bytes_requested_outstanding, s.bytes_allocated_outstanding, s.pages_held);
	console_printf("         %lu allocations, %lu frees, %lu failed\n",
		       s.allocs_total, s.frees_total, s.allocs_failed);
	console_printf("  class  objects  slabs  total allocs\n");
	for (i = 0; i < SLAB_NR_CLASSES; i++)
		console_printf("  %5zu  %7lu  %5lu  %12lu\n", s.classes[i].size,
			       s.classes[i].objects_outstanding, s.classes[i].slabs,
			       s.classes[i].allocs_total);
}

/* `mem`: both, as a person reads them and as the e2e leak checks parse them. */
static int cmd_mem(int argc, char **argv __always_unused)
{
	if (argc != 1)
		return -EINVAL;
	show_pages();
	show_kmalloc();
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "mem", "", "memory: pages free and used, kmalloc statistics", cmd_mem);
