// SPDX-License-Identifier: MIT
/*
 * Self-tests of the ftrace core: sites are NOPs until an ops wants them;
 * one ops gets its own trampoline, several share the list; callbacks see
 * the arguments, may redirect the function (IPMODIFY, one at a time), are
 * protected from recursion; filters by glob, name and address; everything
 * is undone by unregistering, down to the last byte of memory.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/workloads/workloads.h>
#include <trace/ftrace.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

noinline int ft_target_add(int a, int b)
{
	barrier();
	return a + b;
}

noinline int ft_target_mul(int a, int b)
{
	barrier();
	return a * b;
}

noinline int ft_replacement(int a, int b)
{
	barrier();
	return a - b;
}

struct counter {
	struct ftrace_ops ops;
	unsigned long hits;
	unsigned long last_arg1, last_parent;
	bool recurse;
};

static void count_hit(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
		      struct pt_regs *regs)
{
	struct counter *c = container_of(op, struct counter, ops);

	(void)ip;
	c->hits++;
	c->last_arg1 = regs->di;
	c->last_parent = parent_ip;
	if (c->recurse)
		ft_target_add(1, 1);	/* re-enters tracing: must be skipped */
}

static bool site_is_nop(void *fn)
{
	return !memcmp(fn, x86_nop5, NOP5_INSN_SIZE);
}

static void sites_are_nops_after_boot(struct selftest *t)
{
	unsigned long ip;
	unsigned i, nops = 0;

	ASSERT_TRUE(t, ftrace_is_enabled());
	EXPECT_TRUE(t, ftrace_rec_count() > 100);
	for (i = 0; ftrace_rec_ip(i, &ip); i++) {
		struct ftrace_site_info info;

		ftrace_site_info(i, &info);
		if (!info.target && site_is_nop((void *)ip))
			nops++;
	}
	EXPECT_EQ(t, nops, ftrace_rec_count());
	EXPECT_EQ(t, ftrace_location((unsigned long)ft_target_add + 7), (unsigned long)ft_target_add);
	EXPECT_EQ(t, ftrace_location((unsigned long)memcpy), 0);	/* lib/ is notrace */
}

static void one_ops_counts_calls_and_sees_arguments(struct selftest *t)
{
	struct counter c = { .ops = { .func = count_hit, .flags = FTRACE_OPS_FL_RECURSION } };
	int i;

	ASSERT_EQ(t, ftrace_set_filter(&c.ops, "ft_target_add", true), 0);
	ASSERT_EQ(t, register_ftrace_function(&c.ops), 0);
	EXPECT_TRUE(t, !site_is_nop(ft_target_add));
	EXPECT_TRUE(t, site_is_nop(ft_target_mul));
	for (i = 0; i < 100; i++)
		EXPECT_EQ(t, ft_target_add(i, 1), i + 1);
	ft_target_mul(3, 4);
	EXPECT_EQ(t, c.hits, 100);
	EXPECT_EQ(t, c.last_arg1, 99);
	{
		struct ksym parent;

		ASSERT_TRUE(t, kallsyms_lookup_addr(c.last_parent, &parent, NULL));
		EXPECT_STREQ(t, parent.name, "one_ops_counts_calls_and_sees_arguments");
	}
	EXPECT_EQ(t, unregister_ftrace_function(&c.ops), 0);
	EXPECT_TRUE(t, site_is_nop(ft_target_add));
	ft_target_add(1, 2);
	EXPECT_EQ(t, c.hits, 100);
	ftrace_free_filter(&c.ops);
}

static void two_ops_share_a_site_and_leave_in_any_order(struct selftest *t)
{
	struct counter a = { .ops = { .func = count_hit } };
	struct counter b = { .ops = { .func = count_hit, .flags = FTRACE_OPS_FL_SAVE_REGS } };
	struct ftrace_site_info info;
	unsigned long ip;
	unsigned i;

	ASSERT_EQ(t, ftrace_set_filter(&a.ops, "ft_target_*", true), 0);
	ASSERT_EQ(t, ftrace_set_filter(&b.ops, "ft_target_mul", true), 0);
	ASSERT_EQ(t, register_ftrace_function(&a.ops), 0);
	ASSERT_EQ(t, register_ftrace_function(&b.ops), 0);
	for (i = 0; ftrace_rec_ip(i, &ip) && ip != (unsigned long)ft_target_mul; i++)
		;
	ftrace_site_info(i, &info);
	EXPECT_EQ(t, info.nr_ops, 2);
	EXPECT_TRUE(t, info.regs);
	ft_target_add(1, 2);
	ft_target_mul(2, 3);
	EXPECT_EQ(t, a.hits, 2);
	EXPECT_EQ(t, b.hits, 1);
	EXPECT_EQ(t, unregister_ftrace_function(&a.ops), 0);	/* first in, first out */
	ft_target_mul(2, 3);
	EXPECT_EQ(t, a.hits, 2);
	EXPECT_EQ(t, b.hits, 2);
	EXPECT_EQ(t, unregister_ftrace_function(&b.ops), 0);
	EXPECT_TRUE(t, site_is_nop(ft_target_mul) && site_is_nop(ft_target_add));
	ftrace_free_filter(&a.ops);
	ftrace_free_filter(&b.ops);
}

static void redirect(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
		     struct pt_regs *regs)
{
	(void)ip;
	(void)parent_ip;
	(void)op;
	regs->ip = (unsigned long)ft_replacement;
}

static void ipmodify_redirects_and_is_exclusive(struct selftest *t)
{
	struct ftrace_ops swap = { .func = redirect,
				   .flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY };
	struct ftrace_ops second = swap;

	ASSERT_EQ(t, ftrace_set_filter(&swap, "ft_target_add", true), 0);
	ASSERT_EQ(t, ftrace_set_filter(&second, "ft_target_*", true), 0);
	EXPECT_EQ(t, ft_target_add(10, 3), 13);
	ASSERT_EQ(t, register_ftrace_function(&swap), 0);
	EXPECT_EQ(t, ft_target_add(10, 3), 7);		/* ft_replacement ran */
	EXPECT_EQ(t, ft_target_mul(10, 3), 30);
	EXPECT_EQ(t, register_ftrace_function(&second), -EBUSY);
	EXPECT_EQ(t, unregister_ftrace_function(&swap), 0);
	EXPECT_EQ(t, ft_target_add(10, 3), 13);
	ftrace_free_filter(&swap);
	ftrace_free_filter(&second);
}

static void recursion_is_skipped_not_looped(struct selftest *t)
{
	struct counter c = { .ops = { .func = count_hit, .flags = FTRACE_OPS_FL_RECURSION },
			     .recurse = true };

	ASSERT_EQ(t, ftrace_set_filter(&c.ops, "ft_target_add", true), 0);
	ASSERT_EQ(t, register_ftrace_function(&c.ops), 0);
	ft_target_add(1, 2);
	ft_target_add(1, 2);
	EXPECT_EQ(t, c.hits, 2);	/* the nested call inside the callback is not counted */
	EXPECT_EQ(t, unregister_ftrace_function(&c.ops), 0);
	ftrace_free_filter(&c.ops);
}

static void filters_by_glob_name_address_and_notrace(struct selftest *t)
{
	struct counter c = { .ops = { .func = count_hit } };
	char addr[32];

	EXPECT_EQ(t, ftrace_set_filter(&c.ops, "no_such_function_*", true), -EINVAL);
	EXPECT_TRUE(t, c.ops.filter_hash == NULL);
	ASSERT_EQ(t, ftrace_set_filter(&c.ops, "ft_target_[am]??", true), 0);
	EXPECT_EQ(t, c.ops.filter_hash->count, 2);
	ASSERT_EQ(t, ftrace_set_filter(&c.ops, "!ft_target_mul", false), 0);
	EXPECT_EQ(t, c.ops.filter_hash->count, 1);
	snprintf(addr, sizeof(addr), "%#lx", (unsigned long)ft_replacement + 4);
	ASSERT_EQ(t, ftrace_set_filter(&c.ops, addr, false), 0);	/* inside: its site */
	EXPECT_EQ(t, c.ops.filter_hash->count, 2);
	ASSERT_EQ(t, ftrace_set_notrace(&c.ops, "ft_replacement", true), 0);
	ASSERT_EQ(t, register_ftrace_function(&c.ops), 0);
	ft_replacement(1, 1);
	ft_target_add(1, 1);
	EXPECT_EQ(t, c.hits, 1);
	EXPECT_EQ(t, unregister_ftrace_function(&c.ops), 0);
	EXPECT_EQ(t, register_ftrace_function(&(struct ftrace_ops){ .func = NULL }), -EINVAL);
	ftrace_free_filter(&c.ops);
}

static int run_fib_loop(void *arg)
{
	volatile bool *stop = arg;

	while (!*stop)
		fib(12);
	return 0;
}

static void every_function_traced_then_all_nops_again(struct selftest *t)
{
	struct counter c = { .ops = { .func = count_hit, .flags = FTRACE_OPS_FL_RECURSION } };
	struct kmalloc_usage before, after;
	struct completion done;
	struct task_struct *th;
	volatile bool stop = false;
	unsigned long ip;
	unsigned i, nops = 0;

	leak_check_start(&before);
	init_completion(&done);
	ASSERT_EQ(t, register_ftrace_function(&c.ops), 0);	/* empty filter: all */
	th = kthread_create(run_fib_loop, (void *)&stop, "fib-loop");
	ASSERT_TRUE(t, th != NULL);
	th->exit_done = &done;
	wake_up_process(th);
	msleep(300);
	stop = true;
	wait_for_completion(&done);
	EXPECT_TRUE(t, c.hits > 1000);
	EXPECT_EQ(t, unregister_ftrace_function(&c.ops), 0);
	for (i = 0; ftrace_rec_ip(i, &ip); i++)
		nops += site_is_nop((void *)ip);
	EXPECT_EQ(t, nops, ftrace_rec_count());
	leak_check_end(&before, &after);	/* the reaper frees the thread */
	EXPECT_EQ(t, after.objects, before.objects);
}

static const struct selftest_case ftrace_cases[] = {
	SELFTEST_CASE(sites_are_nops_after_boot),
	SELFTEST_CASE(one_ops_counts_calls_and_sees_arguments),
	SELFTEST_CASE(two_ops_share_a_site_and_leave_in_any_order),
	SELFTEST_CASE(ipmodify_redirects_and_is_exclusive),
	SELFTEST_CASE(recursion_is_skipped_not_looped),
	SELFTEST_CASE(filters_by_glob_name_address_and_notrace),
	SELFTEST_CASE(every_function_traced_then_all_nops_again),
};
SELFTEST_SUITE("ftrace", ftrace_cases);
