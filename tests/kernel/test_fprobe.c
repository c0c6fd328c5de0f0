// SPDX-License-Identifier: MIT
/*
 * Self-tests of fprobe, after Linux's: entry and exit counts on one
 * function and on a glob, entry_data from entry to exit, misses when the
 * pool is too small for nested calls, an entry handler that declines the
 * exit, filter minus notfilter, the exit handler's view of a six-argument
 * call, registration by address and by name, disabling, recursion, the
 * kprobes-shared mode, failures that leave nothing behind, and a probe on
 * every traceable function while the demo workloads run.
 *
 * Leaks are judged by kmalloc statistics around kernel_quiesce() (pools
 * are freed through call_rcu), patched sites by enabled_functions.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/workloads/workloads.h>
#include <trace/fprobe.h>
#include <trace/kprobes.h>
#include <trace/tracefs.h>
#include <asm/ptrace.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

noinline int fpt_target_add(int a, int b)
{
	barrier();
	return a + b;
}

noinline int fpt_target_mul(int a, int b)
{
	barrier();
	return a * b;
}

noinline int fpt_target_sub(int a, int b)
{
	barrier();
	return a - b;
}

noinline long fpt_six(long a, long b, long c, long d, long e, long f)
{
	barrier();
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

/* What the handlers saw. */
static struct {
	unsigned long entries, exits, bad;
	unsigned long entry_ip, exit_ip;
	void *entry_data_at_entry;
	long ret, args[7];
	bool recurse;
	int skip_odd;
} seen;

static void seen_reset(void)
{
	memset(&seen, 0, sizeof(seen));
}

static int count_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		       struct pt_regs *regs, void *entry_data)
{
	(void)fp; (void)ret_ip;
	seen.entries++;
	seen.entry_ip = ip;
	seen.entry_data_at_entry = entry_data;
	if (seen.recurse)
		fpt_target_add(1, 1);		/* probed: must be refused, not loop */
	return seen.skip_odd ? (int)(regs->di & 1) : 0;
}

static void count_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		       struct pt_regs *regs, void *entry_data)
{
	unsigned n;

	(void)fp; (void)ret_ip;
	seen.exits++;
	seen.exit_ip = ip;
	seen.ret = regs->ax;
	if (!entry_data)
		seen.bad++;
	for (n = 1; n <= 6 && entry_data; n++)
		seen.args[n] = fprobe_entry_arg(entry_data, n);
	if (seen.recurse)
		fpt_target_add(1, 1);
}

/* ---- helpers ---- */

static char ef_buf[16384];

/* enabled_functions as text; "" when no site is patched. */
static const char *enabled_functions(void)
{
	struct seq_out out = { .buf = ef_buf, .size = sizeof(ef_buf) };

	ef_buf[0] = '\0';
	if (pfs_read_path(TRACEFS_PATH "/enabled_functions", &out))
		return "(unreadable)";
	ef_buf[out.len < sizeof(ef_buf) ? out.len : sizeof(ef_buf) - 1] = '\0';
	return ef_buf;
}

/* ---- counts ---- */

static void entry_and_exit_counts_on_one_function(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };
	int i;

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_add", NULL), 0);
	EXPECT_TRUE(t, fprobe_is_registered(&fp));
	EXPECT_EQ(t, fprobe_nr_functions(&fp), 1);
	EXPECT_TRUE(t, strstr(enabled_functions(), "fpt_target_add (1) R") != NULL);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(t, fpt_target_add(i, 1), i + 1);
	fpt_target_mul(2, 3);
	EXPECT_EQ(t, seen.entries, 10);
	EXPECT_EQ(t, seen.exits, 10);
	EXPECT_EQ(t, seen.entry_ip, (unsigned long)fpt_target_add);
	EXPECT_EQ(t, seen.exit_ip, (unsigned long)fpt_target_add);
	EXPECT_EQ(t, seen.ret, 10);
	EXPECT_EQ(t, fp.nmissed, 0);
	EXPECT_EQ(t, register_fprobe(&fp, "fpt_target_add", NULL), -EEXIST);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, unregister_fprobe(&fp), -EINVAL);
	fpt_target_add(1, 2);
	EXPECT_EQ(t, seen.entries, 10);
	EXPECT_STREQ(t, enabled_functions(), "");
}

static void entry_and_exit_counts_on_a_glob(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_*", NULL), 0);
	EXPECT_EQ(t, fprobe_nr_functions(&fp), 3);
	fpt_target_add(1, 2);
	fpt_target_mul(2, 3);
	fpt_target_sub(5, 4);
	fpt_six(1, 1, 1, 1, 1, 1);
	EXPECT_EQ(t, seen.entries, 3);
	EXPECT_EQ(t, seen.exits, 3);
	EXPECT_EQ(t, seen.ret, 1);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_STREQ(t, enabled_functions(), "");
}

static void entry_only_and_exit_only(struct selftest *t)
{
	struct fprobe in = { .entry_handler = count_entry };
	struct fprobe out = { .exit_handler = count_exit };
	struct fprobe none = { 0 };

	seen_reset();
	EXPECT_EQ(t, register_fprobe(&none, "fpt_target_add", NULL), -EINVAL);
	ASSERT_EQ(t, register_fprobe(&in, "fpt_target_add", NULL), 0);
	ASSERT_EQ(t, register_fprobe(&out, "fpt_target_add", NULL), 0);	/* two on a site */
	EXPECT_TRUE(t, in.rethook == NULL);
	EXPECT_TRUE(t, strstr(enabled_functions(), "fpt_target_add (2) R") != NULL);
	fpt_target_add(2, 2);
	EXPECT_EQ(t, seen.entries, 1);
	EXPECT_EQ(t, seen.exits, 1);
	EXPECT_TRUE(t, seen.entry_data_at_entry == NULL);	/* no exit handler */
	EXPECT_EQ(t, seen.bad, 0);			/* exit: never NULL */
	EXPECT_EQ(t, unregister_fprobe(&in), 0);
	EXPECT_EQ(t, unregister_fprobe(&out), 0);
	EXPECT_STREQ(t, enabled_functions(), "");
}

/* ---- entry_data and nesting ---- */

static const unsigned long fib_table[16] = {
	0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610,
};

static int fib_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		     struct pt_regs *regs, void *entry_data)
{
	(void)fp; (void)ip; (void)ret_ip;
	seen.entries++;
	*(unsigned long *)entry_data = regs->di;
	return 0;
}

/* Each return sees the n its own entry stored, the n it was called with,
 * and fib(n): returns of nested calls come back in order. */
static void fib_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		     struct pt_regs *regs, void *entry_data)
{
	unsigned long n = *(unsigned long *)entry_data;

	(void)fp; (void)ip; (void)ret_ip;
	seen.exits++;
	if (n != fprobe_entry_arg(entry_data, 1) || n >= 16 || regs->ax != fib_table[n])
		seen.bad++;
}

static void entry_data_from_entry_to_exit(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = fib_entry, .exit_handler = fib_exit,
			     .entry_data_size = sizeof(unsigned long), .nr_maxactive = 32,
			     .flags = FPROBE_FL_ENTRY_ARGS };

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fib", NULL), 0);
	EXPECT_EQ(t, fib(12), 144);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, seen.entries, fib_calls(12));
	EXPECT_EQ(t, seen.exits, fib_calls(12));
	EXPECT_EQ(t, seen.bad, 0);
	EXPECT_EQ(t, fp.nmissed, 0);
}

static void nmissed_grows_when_the_pool_runs_out(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = fib_entry, .exit_handler = fib_exit,
			     .entry_data_size = sizeof(unsigned long), .nr_maxactive = 3,
			     .flags = FPROBE_FL_ENTRY_ARGS };

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fib", NULL), 0);
	EXPECT_EQ(t, fib(8), 21);	/* depth 8 needs 8 nodes at once */
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_TRUE(t, fp.nmissed > 0);
	EXPECT_EQ(t, seen.entries + fp.nmissed, fib_calls(8));
	EXPECT_EQ(t, seen.exits, seen.entries);
	EXPECT_EQ(t, seen.bad, 0);
}

static void nonzero_entry_return_skips_the_exit(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };
	int i;

	seen_reset();
	seen.skip_odd = 1;
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_add", NULL), 0);
	for (i = 0; i < 10; i++)
		fpt_target_add(i, 0);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, seen.entries, 10);
	EXPECT_EQ(t, seen.exits, 5);		/* the even ones */
	EXPECT_EQ(t, seen.ret, 8);
	EXPECT_EQ(t, fp.nmissed, 0);
}

/* ---- choosing functions ---- */

static void filter_minus_notfilter(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };
	const char *ef;

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_* fpt_six", "fpt_target_mul fpt_target_s*"), 0);
	EXPECT_EQ(t, fprobe_nr_functions(&fp), 2);
	ef = enabled_functions();
	EXPECT_TRUE(t, strstr(ef, "fpt_target_add (1)") != NULL);
	EXPECT_TRUE(t, strstr(ef, "fpt_six (1)") != NULL);
	EXPECT_TRUE(t, strstr(ef, "fpt_target_mul") == NULL);
	fpt_target_add(1, 1);
	fpt_target_mul(1, 1);
	fpt_target_sub(1, 1);
	fpt_six(0, 0, 0, 0, 0, 0);
	EXPECT_EQ(t, seen.entries, 2);
	EXPECT_EQ(t, seen.exits, 2);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	/* Nothing left, or nothing at all: -ENOENT, nothing patched. */
	EXPECT_EQ(t, register_fprobe(&fp, "fpt_target_*", "fpt_*"), -ENOENT);
	EXPECT_EQ(t, register_fprobe(&fp, "no_such_function_*", NULL), -ENOENT);
	EXPECT_EQ(t, register_fprobe(&fp, "fpt_target_add no_such_function", NULL), -ENOENT);
	EXPECT_EQ(t, register_fprobe(&fp, "  ", NULL), -EINVAL);
	EXPECT_EQ(t, register_fprobe(&fp, "fpt_target_add", "no_such_function"), 0);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_TRUE(t, !fprobe_is_registered(&fp));
	EXPECT_STREQ(t, enabled_functions(), "");
}

static void by_address_and_by_name(struct selftest *t)
{
	const char *names[] = { "fpt_target_sub", "fpt_target_add", "fpt_target_add" };
	const char *unknown[] = { "fpt_target_add", "no_such_function" };
	const char *untraceable[] = { "fpt_target_add", "memcpy" };
	unsigned long addrs[] = { (unsigned long)fpt_target_mul, (unsigned long)fpt_six };
	unsigned long inside[] = { (unsigned long)fpt_target_mul + 1 };
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };
	struct kmalloc_usage before;

	seen_reset();
	ASSERT_EQ(t, register_fprobe_syms(&fp, names, 3), 0);
	EXPECT_STREQ(t, names[0], "fpt_target_sub");	/* the caller's order kept */
	EXPECT_EQ(t, fprobe_nr_functions(&fp), 2);
	fpt_target_add(1, 1);
	fpt_target_sub(1, 1);
	fpt_target_mul(1, 1);
	EXPECT_EQ(t, seen.exits, 2);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);

	ASSERT_EQ(t, register_fprobe_ips(&fp, addrs, 2), 0);
	fpt_target_mul(1, 1);
	fpt_six(1, 2, 3, 4, 5, 6);
	EXPECT_EQ(t, seen.exits, 4);
	EXPECT_EQ(t, seen.ret, 91);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);

	leak_check_start(&before);
	EXPECT_EQ(t, register_fprobe_syms(&fp, unknown, 2), -ENOENT);
	EXPECT_EQ(t, register_fprobe_syms(&fp, untraceable, 2), -ENOENT);
	EXPECT_EQ(t, register_fprobe_ips(&fp, inside, 1), -ENOENT);
	EXPECT_EQ(t, register_fprobe_ips(&fp, addrs, 0), -EINVAL);
	EXPECT_TRUE(t, !fprobe_is_registered(&fp));
	EXPECT_STREQ(t, enabled_functions(), "");
	EXPECT_NO_LEAK(t, &before);
}

/* ---- the exit handler's view ---- */

static void exit_sees_entry_args_and_return_value(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit,
			     .flags = FPROBE_FL_ENTRY_ARGS };
	unsigned n;

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_six", NULL), 0);
	EXPECT_EQ(t, fpt_six(1, 2, 3, 4, 5, 6), 91);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, seen.exits, 1);
	EXPECT_EQ(t, seen.ret, 91);
	EXPECT_TRUE(t, seen.entry_data_at_entry == NULL);	/* entry_data_size 0 */
	EXPECT_EQ(t, seen.bad, 0);
	for (n = 1; n <= 6; n++)
		EXPECT_EQ(t, seen.args[n], n);
}

/* Without FPROBE_FL_ENTRY_ARGS nothing keeps the arguments (no stores
 * on the hit path): fprobe_entry_arg() gives 0. */
static void entry_args_are_kept_only_when_asked(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };
	unsigned n;

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_six", NULL), 0);
	EXPECT_EQ(t, fpt_six(1, 2, 3, 4, 5, 6), 91);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, seen.exits, 1);
	EXPECT_EQ(t, seen.ret, 91);
	for (n = 1; n <= 6; n++)
		EXPECT_EQ(t, seen.args[n], 0);
}

/* ---- switching off ---- */

static void disable_and_enable_keep_it_registered(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };

	seen_reset();
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_add", NULL), 0);
	disable_fprobe(&fp);
	EXPECT_TRUE(t, fprobe_disabled(&fp));
	fpt_target_add(1, 1);
	EXPECT_EQ(t, seen.entries, 0);
	EXPECT_TRUE(t, strstr(enabled_functions(), "fpt_target_add") != NULL);
	enable_fprobe(&fp);
	fpt_target_add(1, 1);
	EXPECT_EQ(t, seen.entries, 1);
	EXPECT_EQ(t, seen.exits, 1);
	EXPECT_EQ(t, fp.nmissed, 0);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
}

static void recursion_in_handlers_is_missed_not_looped(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = count_entry, .exit_handler = count_exit };

	seen_reset();
	seen.recurse = true;
	ASSERT_EQ(t, register_fprobe(&fp, "fpt_target_add", NULL), 0);
	fpt_target_add(1, 2);
	fpt_target_add(1, 2);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, seen.entries, 2);
	EXPECT_EQ(t, seen.exits, 2);
	EXPECT_EQ(t, fp.nmissed, 4);	/* one nested call in each handler */
}

/* ---- sharing with kprobes ---- */

static int kp_calls_add(struct kprobe *p, struct pt_regs *regs)
{
	(void)p; (void)regs;
	fpt_target_add(3, 4);
	return 0;
}

static void fprobe_skips_inside_a_kprobe_shared_or_not(struct selftest *t)
{
	struct kprobe kp = { .symbol_name = "fpt_target_mul", .offset = 5,
			     .pre_handler = kp_calls_add };
	struct fprobe shared = { .entry_handler = count_entry, .flags = FPROBE_FL_KPROBE_SHARED };
	struct fprobe plain = { .entry_handler = count_entry };

	seen_reset();
	ASSERT_EQ(t, register_kprobe(&kp), 0);
	ASSERT_EQ(t, register_fprobe(&shared, "fpt_target_add", NULL), 0);
	fpt_target_mul(1, 1);			/* the kprobe calls add: skipped */
	EXPECT_EQ(t, seen.entries, 0);
	EXPECT_EQ(t, shared.nmissed, 1);
	fpt_target_add(1, 1);			/* outside a kprobe: counted */
	EXPECT_EQ(t, seen.entries, 1);
	EXPECT_EQ(t, unregister_fprobe(&shared), 0);
	/* Without the flag the same: no probe handler runs inside another's
	 * (trace/probe_guard.h). */
	ASSERT_EQ(t, register_fprobe(&plain, "fpt_target_add", NULL), 0);
	fpt_target_mul(1, 1);
	EXPECT_EQ(t, seen.entries, 1);
	EXPECT_EQ(t, plain.nmissed, 1);
	EXPECT_EQ(t, unregister_fprobe(&plain), 0);
	unregister_kprobe(&kp);
}

/* ---- failures ---- */

/*
 * Each step of registration fails in turn, after the ones before it have
 * allocated: the filter set, then the pool (its first node too big for
 * the heap; then nodes of 2 MiB until memory runs out part-way through).
 * Afterwards no site is patched and kmalloc is back where it was.
 */
static void failures_leave_nothing_behind(struct selftest *t)
{
	struct fprobe huge = { .entry_handler = count_entry, .exit_handler = count_exit,
			       .entry_data_size = 1UL << 40 };
	struct fprobe many = { .exit_handler = count_exit, .entry_data_size = 2UL << 20,
			       .nr_maxactive = 100000 };
	struct fprobe bad = { .exit_handler = count_exit, .nr_maxactive = -1 };
	struct kmalloc_usage before;

	leak_check_start(&before);
	EXPECT_EQ(t, register_fprobe(&huge, "fpt_target_*", NULL), -ENOMEM);
	EXPECT_STREQ(t, enabled_functions(), "");
	EXPECT_EQ(t, register_fprobe(&many, "fpt_target_*", NULL), -ENOMEM);
	EXPECT_STREQ(t, enabled_functions(), "");
	EXPECT_EQ(t, register_fprobe(&bad, "fpt_target_*", NULL), -EINVAL);
	EXPECT_TRUE(t, !fprobe_is_registered(&huge) && !fprobe_is_registered(&many));
	EXPECT_NO_LEAK(t, &before);
	/* And the same fprobes register fine once the request is sane. */
	many.nr_maxactive = 4;
	ASSERT_EQ(t, register_fprobe(&many, "fpt_target_add", NULL), 0);
	EXPECT_EQ(t, unregister_fprobe(&many), 0);
	EXPECT_NO_LEAK(t, &before);
}

/* ---- everything ---- */

static unsigned long all_entries, all_exits;

static notrace int all_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		     struct pt_regs *regs, void *entry_data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs;
	*(unsigned long *)entry_data = ip;
	fetch_add_relaxed(&all_entries, 1);
	return 0;
}

static notrace void all_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		     struct pt_regs *regs, void *entry_data)
{
	(void)fp; (void)ret_ip; (void)regs;
	if (*(unsigned long *)entry_data != ip)
		seen.bad++;
	fetch_add_relaxed(&all_exits, 1);
}

struct worker {
	volatile bool stop;
	struct completion done;
};

static int fib_worker(void *arg)
{
	struct worker *w = arg;

	while (!w->stop)
		fib(14);
	return 0;
}

static int alloc_worker(void *arg)
{
	struct worker *w = arg;
	unsigned i = 0;

	while (!w->stop) {
		void *p = kmalloc(16 + (i++ * 37) % 3000);

		kfree(p);
		if (!(i % 64))
			msleep(1);
	}
	return 0;
}

static bool start_worker(struct worker *w, int (*fn)(void *), const char *name)
{
	struct task_struct *th = kthread_create(fn, w, name);

	w->stop = false;
	init_completion(&w->done);
	if (!th)
		return false;
	th->exit_done = &w->done;
	wake_up_process(th);
	return true;
}

/* The `run` workloads in the foreground, one after another, for @ms. */
static unsigned run_demo_workloads(u64 ms)
{
	static const char *const cmds[] = {
		"run fib 16", "run alloc 1000", "run pingpong 20", "run sleep 50",
	};
	u64 end = clock_ns() + ms * NSEC_PER_MSEC;
	unsigned rounds = 0;

	while (clock_ns() < end) {
		char line[32];

		strscpy(line, cmds[rounds++ % 4], sizeof(line));
		shell_execute(line);
	}
	return rounds;
}

static void every_function_while_workloads_run(struct selftest *t)
{
	struct fprobe fp = { .entry_handler = all_entry, .exit_handler = all_exit,
			     .entry_data_size = sizeof(unsigned long) };
	struct ftrace_ops every = { 0 };
	struct worker fibw, allocw;
	struct kmalloc_usage before;
	bool fib_ok, alloc_ok;
	unsigned rounds, nfuncs;

	seen_reset();
	all_entries = all_exits = 0;
	leak_check_start(&before);
	ASSERT_EQ(t, ftrace_set_filter(&every, "*", true), 0);	/* what `*` names */
	ASSERT_EQ(t, register_fprobe(&fp, "*", NULL), 0);
	nfuncs = fprobe_nr_functions(&fp);
	EXPECT_EQ(t, nfuncs, every.filter_hash->count);
	ftrace_free_filter(&every);
	fib_ok = start_worker(&fibw, fib_worker, "fprobe-fib");
	alloc_ok = start_worker(&allocw, alloc_worker, "fprobe-alloc");
	rounds = run_demo_workloads(5000);
	EXPECT_TRUE(t, rounds >= 4);
	fibw.stop = allocw.stop = true;
	if (fib_ok)
		wait_for_completion(&fibw.done);
	if (alloc_ok)
		wait_for_completion(&allocw.done);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	console_printf("        # %u functions, %u workload runs: %lu entries, %lu exits, "
		       "%lu missed\n", nfuncs, rounds, all_entries, all_exits,
		       fp.nmissed);
	EXPECT_TRUE(t, fib_ok && alloc_ok);
	EXPECT_TRUE(t, all_entries > 10000);
	EXPECT_TRUE(t, all_exits > 10000);
	EXPECT_TRUE(t, all_exits <= all_entries);
	EXPECT_EQ(t, seen.bad, 0);
	EXPECT_STREQ(t, enabled_functions(), "");
	EXPECT_NO_LEAK(t, &before);
}

static const struct selftest_case fprobe_cases[] = {
	SELFTEST_CASE(entry_and_exit_counts_on_one_function),
	SELFTEST_CASE(entry_and_exit_counts_on_a_glob),
	SELFTEST_CASE(entry_only_and_exit_only),
	SELFTEST_CASE(entry_data_from_entry_to_exit),
	SELFTEST_CASE(nmissed_grows_when_the_pool_runs_out),
	SELFTEST_CASE(nonzero_entry_return_skips_the_exit),
	SELFTEST_CASE(filter_minus_notfilter),
	SELFTEST_CASE(by_address_and_by_name),
	SELFTEST_CASE(exit_sees_entry_args_and_return_value),
	SELFTEST_CASE(entry_args_are_kept_only_when_asked),
	SELFTEST_CASE(disable_and_enable_keep_it_registered),
	SELFTEST_CASE(recursion_in_handlers_is_missed_not_looped),
	SELFTEST_CASE(fprobe_skips_inside_a_kprobe_shared_or_not),
	SELFTEST_CASE(failures_leave_nothing_behind),
	SELFTEST_CASE(every_function_while_workloads_run),
};
SELFTEST_SUITE("fprobe", fprobe_cases);
