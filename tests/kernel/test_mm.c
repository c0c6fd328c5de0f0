// SPDX-License-Identifier: MIT
/*
 * Self-tests of memory: the page allocator coalesces, kmalloc leaks
 * nothing, W^X holds, kernel text and rodata cannot be written, stacks
 * have guard pages, run-time code pages are RX and within reach of text.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/nofault.h>
#include <kernel/sched.h>
#include <asm/layout.h>
#include <asm/pgtable.h>
#include <asm/text-patching.h>
#include <lib/errno.h>
#include <lib/string.h>

static void page_allocator_coalesces_after_free(struct selftest *t)
{
	struct buddy_stats before, after;
	void *blocks[6];
	unsigned o;

	page_alloc_stats(&before);
	for (o = 0; o < 6; o++) {
		blocks[o] = alloc_pages(o);
		ASSERT_TRUE(t, blocks[o] != NULL);
		EXPECT_EQ(t, (unsigned long)blocks[o] & ((PAGE_SIZE << o) - 1), 0);
		memset(blocks[o], 0x5a, PAGE_SIZE << o);
	}
	for (o = 0; o < 6; o++)
		free_pages(blocks[o], o);
	page_alloc_stats(&after);
	EXPECT_EQ(t, after.free_pages, before.free_pages);
	for (o = 0; o < BUDDY_MAX_ORDER; o++)
		EXPECT_EQ(t, after.free_blocks[o], before.free_blocks[o]);
}

static void kmalloc_churn_leaves_nothing_outstanding(struct selftest *t)
{
	struct kmalloc_usage before;
	void *live[64] = { 0 };
	unsigned i, seed = 12345;

	leak_check_start(&before);
	for (i = 0; i < 20000; i++) {
		unsigned slot, size;

		seed = seed * 1103515245 + 12345;
		slot = (seed >> 8) % 64;
		size = 1 + (seed >> 16) % 5000;
		kfree(live[slot]);
		live[slot] = kmalloc(size);
		if (!EXPECT_TRUE(t, live[slot] != NULL))
			break;
		memset(live[slot], 0xa5, size);
	}
	for (i = 0; i < 64; i++)
		kfree(live[i]);
	EXPECT_NO_LEAK(t, &before);
}

static void no_mapping_is_writable_and_executable(struct selftest *t)
{
	struct wx_report r;
	void *code = exec_pages_alloc(2);
	void *stack = stack_alloc();

	paging_check_wx(&r);
	EXPECT_TRUE(t, r.leaf_mappings > 100);
	EXPECT_EQ(t, r.wx_mappings, 0);
	exec_pages_free(code, 2);
	stack_free(stack);
}

static void writing_kernel_text_faults(struct selftest *t)
{
	u8 *text = (u8 *)page_allocator_coalesces_after_free;
	u8 before = *text, junk = 0x90;

	EXPECT_EQ(t, copy_to_kernel_nofault(text, &junk, 1), -EFAULT);
	EXPECT_EQ(t, *text, before);
}

static void writing_rodata_faults(struct selftest *t)
{
	static const char ro[] = "read only";
	char c = 'X';

	EXPECT_EQ(t, copy_to_kernel_nofault((char *)ro, &c, 1), -EFAULT);
	EXPECT_EQ(t, ro[0], 'r');
}

static void data_and_direct_map_are_not_executable(struct selftest *t)
{
	static int data;
	bool w, x;
	void *page = alloc_page();

	ASSERT_TRUE(t, page_is_mapped((unsigned long)&data, &w, &x));
	EXPECT_TRUE(t, w && !x);
	ASSERT_TRUE(t, page_is_mapped((unsigned long)page, &w, &x));
	EXPECT_TRUE(t, w && !x);
	ASSERT_TRUE(t, page_is_mapped((unsigned long)writing_kernel_text_faults, &w, &x));
	EXPECT_TRUE(t, !w && x);
	free_page(page);
}

static void kernel_stacks_have_guard_pages(struct selftest *t)
{
	char *stack = stack_alloc();
	u8 v;

	ASSERT_TRUE(t, stack != NULL);
	EXPECT_TRUE(t, page_is_mapped((unsigned long)stack, NULL, NULL));
	EXPECT_TRUE(t, !page_is_mapped(stack_guard_page(stack), NULL, NULL));
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)stack_guard_page(stack), 1), -EFAULT);
	/* The current task's stack too. */
	EXPECT_TRUE(t, !page_is_mapped(stack_guard_page(current->stack), NULL, NULL));
	stack_free(stack);
	EXPECT_TRUE(t, !page_is_mapped((unsigned long)stack, NULL, NULL));
}

static void exec_pages_are_rx_near_text_and_freed(struct selftest *t)
{
	unsigned long before = exec_pages_in_use();
	u8 *code = exec_pages_alloc(3);
	long distance;
	bool w, x;

	ASSERT_TRUE(t, code != NULL);
	EXPECT_EQ(t, exec_pages_in_use(), before + 3);
	ASSERT_TRUE(t, page_is_mapped((unsigned long)code + 2 * PAGE_SIZE, &w, &x));
	EXPECT_TRUE(t, !w && x);
	EXPECT_EQ(t, code[0], INT3_INSN_OPCODE);
	distance = (long)((unsigned long)code - (unsigned long)exec_pages_alloc);
	EXPECT_TRUE(t, distance < (1L << 31) && distance > -(1L << 31));
	EXPECT_EQ(t, copy_to_kernel_nofault(code, "x", 1), -EFAULT);
	exec_pages_free(code, 3);
	EXPECT_EQ(t, exec_pages_in_use(), before);
	EXPECT_TRUE(t, !page_is_mapped((unsigned long)code, NULL, NULL));
}

static const struct selftest_case mm_cases[] = {
	SELFTEST_CASE(page_allocator_coalesces_after_free),
	SELFTEST_CASE(kmalloc_churn_leaves_nothing_outstanding),
	SELFTEST_CASE(no_mapping_is_writable_and_executable),
	SELFTEST_CASE(writing_kernel_text_faults),
	SELFTEST_CASE(writing_rodata_faults),
	SELFTEST_CASE(data_and_direct_map_are_not_executable),
	SELFTEST_CASE(kernel_stacks_have_guard_pages),
	SELFTEST_CASE(exec_pages_are_rx_near_text_and_freed),
};
SELFTEST_SUITE("mm", mm_cases);
