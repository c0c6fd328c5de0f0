// SPDX-License-Identifier: MIT
/*
 * Self-tests of the boot path: the command line reached the kernel, the
 * symbol table matches the code, the exception table turns bad reads into
 * -EFAULT, and the CPU tables are what the kprobes path will rely on.
 */
#include <kernel/selftest.h>
#include <kernel/bootinfo.h>
#include <kernel/kallsyms.h>
#include <kernel/nofault.h>
#include <kernel/printk.h>
#include <kernel/stacktrace.h>
#include <arch/x86/desc_setup.h>
#include <asm/layout.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

static void boot_info_has_memory_map(struct selftest *t)
{
	unsigned i;
	u64 usable = 0;

	EXPECT_TRUE(t, boot_info.n_mem > 0);
	for (i = 0; i < boot_info.n_mem; i++)
		if (boot_info.mem[i].type == MEM_USABLE)
			usable += boot_info.mem[i].length;
	EXPECT_TRUE(t, usable >= (64ULL << 20));
	EXPECT_TRUE(t, boot_info.info_end > boot_info.info_start);
}

static void kallsyms_finds_functions_by_name_and_address(struct selftest *t)
{
	struct ksym sym;
	unsigned long off;

	ASSERT_TRUE(t, kallsyms_lookup_name("kallsyms_lookup_name", &sym));
	EXPECT_EQ(t, sym.addr, (unsigned long)kallsyms_lookup_name);
	EXPECT_TRUE(t, ksym_is_text(&sym));
	ASSERT_TRUE(t, kallsyms_lookup_addr((unsigned long)kallsyms_lookup_name + 3, &sym, &off));
	EXPECT_STREQ(t, sym.name, "kallsyms_lookup_name");
	EXPECT_EQ(t, off, 3);
	EXPECT_TRUE(t, !kallsyms_lookup_name("no_such_symbol_anywhere", &sym));
}

/* Every function symbol: by address back to itself, and by name to a
 * symbol of that name. */
static void kallsyms_round_trip_for_every_function(struct selftest *t)
{
	unsigned long i, n = kallsyms_count(), checked = 0, bad = 0;

	for (i = 0; i < n; i++) {
		struct ksym sym, back;
		unsigned long off;

		kallsyms_get(i, &sym);
		if (!ksym_is_text(&sym) || !sym.size)
			continue;
		checked++;
		if (!kallsyms_lookup_addr(sym.addr, &back, &off) || back.addr != sym.addr || off ||
		    !kallsyms_lookup_name(sym.name, &back) || strcmp(back.name, sym.name)) {
			if (bad++ < 5)
				selftest_fail(t, __FILE__, __LINE__, "round trip failed for %s", sym.name);
		}
	}
	EXPECT_TRUE(t, checked > 200);
	EXPECT_EQ(t, bad, 0);
}

static void percent_ps_prints_symbol_offset_size(struct selftest *t)
{
	char buf[128], want[128];
	struct ksym sym;

	ASSERT_TRUE(t, kallsyms_lookup_name("selftest_run", &sym));
	snprintf(buf, sizeof(buf), "%pS", (void *)(sym.addr + 0x10));
	snprintf(want, sizeof(want), "selftest_run+0x10/0x%lx", sym.size);
	EXPECT_STREQ(t, buf, want);
	snprintf(buf, sizeof(buf), "%ps", (void *)(sym.addr + 0x10));
	EXPECT_STREQ(t, buf, "selftest_run");
}

/* Code made at run time is named while it exists (kernel/kallsyms_code.c). */
static void run_time_code_is_named_while_it_exists(struct selftest *t)
{
	unsigned long code = EXEC_AREA_BASE + EXEC_AREA_SIZE - 0x1000;	/* never used */
	char buf[160], want[160];
	struct ksym fib_sym;

	ASSERT_TRUE(t, kallsyms_lookup_name("fib", &fib_sym));
	ASSERT_EQ(t, code_sym_add(code, 0x20, "selftest_code", "selftest", "for %pS",
				  (void *)fib_sym.addr), 0);
	snprintf(buf, sizeof(buf), "%pS", (void *)(code + 3));
	snprintf(want, sizeof(want), "selftest_code+0x3/0x20 [selftest] (for fib+0x0/0x%lx)",
		 fib_sym.size);
	EXPECT_STREQ(t, buf, want);
	snprintf(buf, sizeof(buf), "%ps", (void *)(code + 3));
	EXPECT_STREQ(t, buf, "selftest_code");
	/* A return address just past the end still belongs to it. */
	snprintf(buf, sizeof(buf), "%pB", (void *)(code + 0x20));
	EXPECT_TRUE(t, !strncmp(buf, "selftest_code+0x20/0x20 [selftest]", 34));
	snprintf(buf, sizeof(buf), "%pS", (void *)(code + 0x20));	/* past it */
	snprintf(want, sizeof(want), "0x%lx", code + 0x20);
	EXPECT_STREQ(t, buf, want);
	code_sym_del(code);
	snprintf(buf, sizeof(buf), "%pS", (void *)(code + 3));
	snprintf(want, sizeof(want), "0x%lx", code + 3);
	EXPECT_STREQ(t, buf, want);
}

static void nofault_read_of_unmapped_address_fails(struct selftest *t)
{
	u64 v = 0x1234;

	/* The top of the vmap area is never mapped at boot. */
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)(VMAP_BASE + VMAP_SIZE - PAGE_SIZE), 8), -EFAULT);
	/* A non-canonical address raises #GP, also fixed up. */
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)0xffff000000000000UL, 8), -EFAULT);
	/* Low (user) addresses are refused before any access. */
	EXPECT_EQ(t, copy_from_kernel_nofault(&v, (void *)0x1000, 8), -EFAULT);
}

static void nofault_read_of_kernel_data_works(struct selftest *t)
{
	static const char text[] = "loupe sees";
	char buf[sizeof(text)];

	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(t, copy_from_kernel_nofault(buf, text + 0, sizeof(text)), 0);
	EXPECT_STREQ(t, buf, text);
	/* Unaligned start, crossing into the next word. */
	EXPECT_EQ(t, copy_from_kernel_nofault(buf, text + 3, 5), 0);
	EXPECT_EQ(t, memcmp(buf, "pe se", 5), 0);
}

static void ist_stacks_are_distinct(struct selftest *t)
{
	struct tss *tss = cpu_tss_this();
	unsigned i, j;

	for (i = 0; i < IST_COUNT; i++) {
		EXPECT_NE(t, tss->ist[i], 0);
		EXPECT_EQ(t, tss->ist[i] & 15, 0);
		for (j = 0; j < i; j++)
			EXPECT_TRUE(t, tss->ist[i] - tss->ist[j] >= IST_STACK_SIZE ||
					tss->ist[j] - tss->ist[i] >= IST_STACK_SIZE);
	}
}

static noinline void backtrace_level3(unsigned long *entries, unsigned *n)
{
	*n = stack_trace_save(entries, STACKTRACE_MAX);
}

static noinline void backtrace_level2(unsigned long *e, unsigned *n)
{
	backtrace_level3(e, n);
	barrier();	/* keep this frame: no tail call */
}

static noinline void backtrace_level1(unsigned long *e, unsigned *n)
{
	backtrace_level2(e, n);
	barrier();	/* keep this frame: no tail call */
}

static void backtrace_shows_three_known_frames(struct selftest *t)
{
	unsigned long entries[STACKTRACE_MAX];
	const char *want[] = { "backtrace_level3", "backtrace_level2", "backtrace_level1" };
	unsigned n = 0, i;

	backtrace_level1(entries, &n);
	ASSERT_TRUE(t, n >= 3);
	for (i = 0; i < 3; i++) {
		struct ksym sym;
		unsigned long off;

		ASSERT_TRUE(t, kallsyms_lookup_addr(entries[i], &sym, &off));
		EXPECT_STREQ(t, sym.name, want[i]);
	}
}

static const struct selftest_case boot_cases[] = {
	SELFTEST_CASE(boot_info_has_memory_map),
	SELFTEST_CASE(kallsyms_finds_functions_by_name_and_address),
	SELFTEST_CASE(kallsyms_round_trip_for_every_function),
	SELFTEST_CASE(percent_ps_prints_symbol_offset_size),
	SELFTEST_CASE(run_time_code_is_named_while_it_exists),
	SELFTEST_CASE(nofault_read_of_unmapped_address_fails),
	SELFTEST_CASE(nofault_read_of_kernel_data_works),
	SELFTEST_CASE(ist_stacks_are_distinct),
	SELFTEST_CASE(backtrace_shows_three_known_frames),
};
SELFTEST_SUITE("boot", boot_cases);
