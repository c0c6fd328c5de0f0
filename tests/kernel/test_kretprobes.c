// SPDX-License-Identifier: MIT
/*
 * Self-tests of kretprobes, after Linux's: the handler sees the return
 * value and the entry arguments, per-instance data passes from entry to
 * return, nested calls of a recursive function return in order, a stack
 * trace from the handler shows the real caller, too few instances are
 * counted as misses, and unregistering frees everything.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/pseudofs.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/stacktrace.h>
#include <kernel/workloads/workloads.h>
#include <trace/ftrace.h>
#include <trace/kprobes.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

noinline long krp_six(long a, long b, long c, long d, long e, long f)
{
	barrier();
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

struct ret_seen {
	unsigned long calls;
	long ret, args[7];
	long last_n;
	bool order_ok;
	unsigned long trace[STACKTRACE_MAX];
	unsigned trace_len;
};

static struct ret_seen seen;

static int remember_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned n;

	seen.calls++;
	seen.ret = regs->ax;
	for (n = 1; n <= 6; n++)
		seen.args[n] = kretprobe_entry_arg(ri, n);
	seen.trace_len = stack_trace_save(seen.trace, STACKTRACE_MAX);
	return 0;
}

static void handler_sees_return_value_and_entry_args(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "krp_six", .handler = remember_return,
				.entry_args = true };
	unsigned n;

	memset(&seen, 0, sizeof(seen));
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	EXPECT_EQ(t, krp_six(1, 2, 3, 4, 5, 6), 91);
	unregister_kretprobe(&rp);
	EXPECT_EQ(t, seen.calls, 1);
	EXPECT_EQ(t, seen.ret, 91);
	for (n = 1; n <= 6; n++)
		EXPECT_EQ(t, seen.args[n], n);
}

/* Without entry_args nothing keeps the arguments (no stores on the hit
 * path): kretprobe_entry_arg() gives 0, the return value is still seen. */
static void entry_args_are_kept_only_when_asked(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "krp_six", .handler = remember_return };
	unsigned n;

	memset(&seen, 0, sizeof(seen));
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	EXPECT_EQ(t, krp_six(1, 2, 3, 4, 5, 6), 91);
	unregister_kretprobe(&rp);
	EXPECT_EQ(t, seen.calls, 1);
	EXPECT_EQ(t, seen.ret, 91);
	for (n = 1; n <= 6; n++)
		EXPECT_EQ(t, seen.args[n], 0);
}

/* The handler's backtrace reaches the function that called krp_six. The
 * trampoline shows as the frame that called the handler, never in place
 * of the caller. */
static void handler_backtrace_shows_the_real_caller(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "krp_six", .handler = remember_return };
	unsigned i, found = 0;

	memset(&seen, 0, sizeof(seen));
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	krp_six(0, 0, 0, 0, 0, 0);
	unregister_kretprobe(&rp);
	for (i = 0; i < seen.trace_len; i++) {
		struct ksym sym;

		if (kallsyms_lookup_addr(seen.trace[i] - 1, &sym, NULL) &&
		    !strcmp(sym.name, "handler_backtrace_shows_the_real_caller"))
			found++;
	}
	EXPECT_EQ(t, found, 1);
}

/* fib's returns come in the order of a depth-first walk: n of each
 * returning call equals what its own entry saw. */
static int fib_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(unsigned long *)ri->data = regs->di;
	return 0;
}

/* fib(0..15), so the handler need not call fib (which is probed). */
static const unsigned long fib_table[16] = {
	0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610,
};

static int fib_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long n = *(unsigned long *)ri->data;

	seen.calls++;
	if (n != kretprobe_entry_arg(ri, 1) || n >= 16 || regs->ax != fib_table[n])
		seen.order_ok = false;
	return 0;
}

static void nested_returns_of_recursive_fib(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "fib", .handler = fib_return,
				.entry_handler = fib_entry, .data_size = sizeof(unsigned long),
				.maxactive = 32, .entry_args = true };

	memset(&seen, 0, sizeof(seen));
	seen.order_ok = true;
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	EXPECT_EQ(t, fib(12), 144);
	unregister_kretprobe(&rp);
	EXPECT_EQ(t, seen.calls, fib_calls(12));
	EXPECT_TRUE(t, seen.order_ok);
	EXPECT_EQ(t, rp.nmissed, 0);
}

static void too_few_instances_are_counted_missed(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "fib", .handler = fib_return,
				.entry_handler = fib_entry, .data_size = sizeof(unsigned long),
				.maxactive = 3, .entry_args = true };

	memset(&seen, 0, sizeof(seen));
	seen.order_ok = true;
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	EXPECT_EQ(t, fib(8), 21);	/* depth 8 needs 8 instances at once */
	unregister_kretprobe(&rp);
	EXPECT_TRUE(t, rp.nmissed > 0);
	EXPECT_EQ(t, seen.calls + rp.nmissed, fib_calls(8));
	EXPECT_TRUE(t, seen.order_ok);
}

static void only_at_a_function_entry(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "krp_six", .kp.offset = 5,
				.handler = remember_return };

	EXPECT_EQ(t, register_kretprobe(&rp), -EINVAL);
}

static void unregistering_frees_everything(struct selftest *t)
{
	struct kmalloc_usage before;
	int i;

	leak_check_start(&before);	/* earlier tests' pools, still queued */
	for (i = 0; i < 20; i++) {
		struct kretprobe rp = { .kp.symbol_name = "krp_six", .handler = remember_return,
					.data_size = 64 };

		ASSERT_EQ(t, register_kretprobe(&rp), 0);
		krp_six(1, 1, 1, 1, 1, 1);
		unregister_kretprobe(&rp);
	}
	EXPECT_NO_LEAK(t, &before);	/* the pools go through call_rcu */
}

/* /sys/kernel/debug/kprobes: each kind of probe listed with its state. */
static void debugfs_list_enabled_and_blacklist(struct selftest *t)
{
	static char buf[4096];
	struct seq_out out = { .buf = buf, .size = sizeof(buf) };
	struct kretprobe rp = { .kp.symbol_name = "krp_six", .handler = remember_return };
	struct kprobe mid = { .symbol_name = "krp_six", .offset = 5 };
	u8 byte;

	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	ASSERT_EQ(t, register_kprobe(&mid), 0);
	ASSERT_EQ(t, disable_kprobe(&mid), 0);
	krp_six(1, 2, 3, 4, 5, 6);
	EXPECT_EQ(t, pfs_read_path("/sys/kernel/debug/kprobes/list", &out), 0);
	EXPECT_TRUE(t, strstr(buf, "  r  krp_six+0x0 [FTRACE]  hits 1 misses 0") != NULL);
	EXPECT_TRUE(t, strstr(buf, "  k  krp_six+0x5 [DISABLED]") != NULL);
	ASSERT_EQ(t, enable_kprobe(&mid), 0);
	EXPECT_EQ(t, pfs_write_path("/sys/kernel/debug/kprobes/enabled", "0\n", 2, false), 0);
	byte = *(u8 *)((unsigned long)krp_six + MCOUNT_INSN_SIZE);
	EXPECT_TRUE(t, byte != INT3_INSN_OPCODE && byte != JMP32_INSN_OPCODE);
	EXPECT_EQ(t, pfs_write_path("/sys/kernel/debug/kprobes/enabled", "1\n", 2, false), 0);
	byte = *(u8 *)((unsigned long)krp_six + MCOUNT_INSN_SIZE);
	EXPECT_TRUE(t, byte == INT3_INSN_OPCODE || byte == JMP32_INSN_OPCODE);
	EXPECT_EQ(t, pfs_write_path("/sys/kernel/debug/kprobes/enabled", "2\n", 2, false), -EINVAL);
	out.len = 0;
	EXPECT_EQ(t, pfs_read_path("/sys/kernel/debug/kprobes/blacklist", &out), 0);
	EXPECT_TRUE(t, strstr(buf, "[.kprobes.text: the int3/debug path]") != NULL);
	unregister_kprobe(&mid);
	unregister_kretprobe(&rp);
}

static const struct selftest_case kretprobe_cases[] = {
	SELFTEST_CASE(handler_sees_return_value_and_entry_args),
	SELFTEST_CASE(entry_args_are_kept_only_when_asked),
	SELFTEST_CASE(handler_backtrace_shows_the_real_caller),
	SELFTEST_CASE(nested_returns_of_recursive_fib),
	SELFTEST_CASE(too_few_instances_are_counted_missed),
	SELFTEST_CASE(only_at_a_function_entry),
	SELFTEST_CASE(unregistering_frees_everything),
	SELFTEST_CASE(debugfs_list_enabled_and_blacklist),
};
SELFTEST_SUITE("kretprobes", kretprobe_cases);
