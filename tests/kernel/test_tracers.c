// SPDX-License-Identifier: MIT
/*
 * Self-tests of the tracers and the function-hook helper: the function
 * tracer records exactly the calls made; function_graph nests, and a
 * parent lasts at least as long as its children together; the livepatch
 * demo swaps a function and gives it back; a hook table that cannot be
 * installed whole leaves nothing behind.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/stacktrace.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/wait.h>
#include <kernel/pseudofs.h>
#include <kernel/printk.h>
#include <asm/cpu.h>
#include <lib/printf.h>
#include <kernel/time.h>
#include <kernel/workloads/workloads.h>
#include <trace/fhook.h>
#include <trace/ftrace.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <asm/text-patching.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

int livepatch_demo_set(bool on);

/* Walk the trace buffer without consuming it; call @fn on each record. */
static unsigned walk_trace(void (*fn)(const struct ring_buffer_record *rec, void *arg), void *arg)
{
	struct ring_buffer_record *rec = kmalloc(sizeof(*rec));
	struct ring_buffer_iter *it = ring_buffer_iter_start(trace_buffer);
	unsigned n = 0;

	if (!rec || IS_ERR(it)) {
		kfree(rec);
		return 0;
	}
	while (!ring_buffer_iter_next(it, rec)) {
		fn(rec, arg);
		n++;
	}
	ring_buffer_iter_end(it);
	kfree(rec);
	return n;
}

static void count_fib(const struct ring_buffer_record *rec, void *arg)
{
	const struct fn_entry *e = (const void *)rec->data;

	if (e->ent.type == TRACE_FN && e->ip == (unsigned long)fib)
		(*(unsigned *)arg)++;
}

static void function_tracer_records_each_fib_call(struct selftest *t)
{
	unsigned calls = 0;

	ASSERT_EQ(t, ftrace_set_filter(&trace_ops, "fib", true), 0);
	ASSERT_EQ(t, trace_set_tracer("function"), 0);
	ASSERT_EQ(t, ring_buffer_reset(trace_buffer), 0);
	fib(5);
	fib(7);
	walk_trace(count_fib, &calls);		/* before nop: a switch empties the buffer */
	EXPECT_EQ(t, trace_set_tracer("nop"), 0);
	EXPECT_EQ(t, calls, 15 + 41);
	EXPECT_EQ(t, ring_buffer_entries(trace_buffer), 0);
	EXPECT_EQ(t, ftrace_set_filter(&trace_ops, "", true), 0);
}

struct graph_check {
	u64 child_sum[TASK_RET_STACK_DEPTH + 1];
	unsigned entries, returns, bad;
	int max_depth;
};

/* On each return: its duration covers its children's; add it to its parent's. */
static void check_graph(const struct ring_buffer_record *rec, void *arg)
{
	struct graph_check *g = arg;
	const struct trace_entry *ent = (const void *)rec->data;

	if (ent->type == TRACE_GRAPH_ENT) {
		const struct graph_entry *e = (const void *)rec->data;

		g->entries++;
		g->child_sum[e->depth + 1] = 0;
		if (e->depth > g->max_depth)
			g->max_depth = e->depth;
	} else if (ent->type == TRACE_GRAPH_RET) {
		const struct graph_ret_entry *r = (const void *)rec->data;
		u64 d = r->rettime - r->calltime;

		g->returns++;
		if (d < g->child_sum[r->depth + 1])
			g->bad++;
		g->child_sum[r->depth] += d;
	}
}

static void function_graph_nests_and_parents_outlast_children(struct selftest *t)
{
	struct graph_check g;

	memset(&g, 0, sizeof(g));
	ASSERT_EQ(t, ftrace_set_filter(&trace_ops, "fib", true), 0);
	ASSERT_EQ(t, trace_set_tracer("function_graph"), 0);
	ASSERT_EQ(t, ring_buffer_reset(trace_buffer), 0);
	EXPECT_EQ(t, fib(6), 8);
	walk_trace(check_graph, &g);		/* before nop: a switch empties the buffer */
	EXPECT_EQ(t, trace_set_tracer("nop"), 0);
	EXPECT_EQ(t, g.entries, 25);		/* fib(6) makes 25 calls */
	EXPECT_EQ(t, g.returns, 25);
	EXPECT_EQ(t, g.max_depth, 5);
	EXPECT_EQ(t, g.bad, 0);
	EXPECT_EQ(t, ftrace_set_filter(&trace_ops, "", true), 0);
}

static void livepatch_demo_swaps_and_restores(struct selftest *t)
{
	char buf[128];

	uptime_format(buf, sizeof(buf));
	EXPECT_TRUE(t, !strstr(buf, "livepatched"));
	ASSERT_EQ(t, livepatch_demo_set(true), 0);
	uptime_format(buf, sizeof(buf));
	EXPECT_TRUE(t, strstr(buf, "up ") == buf);	/* the original still ran */
	EXPECT_TRUE(t, strstr(buf, "livepatched") != NULL);
	ASSERT_EQ(t, livepatch_demo_set(false), 0);
	uptime_format(buf, sizeof(buf));
	EXPECT_TRUE(t, !strstr(buf, "livepatched"));
	EXPECT_EQ(t, memcmp((void *)uptime_format, x86_nop5, NOP5_INSN_SIZE), 0);
	EXPECT_EQ(t, fhook_in_flight(), 0);
}

static int fake_replacement(void)
{
	return 0;
}

static void hook_table_installs_whole_or_not_at_all(struct selftest *t)
{
	struct fhook hooks[] = {
		{ .name = "uptime_format", .replacement = fake_replacement },
		{ .name = "no_such_function_at_all", .replacement = fake_replacement },
	};
	struct kmalloc_usage before, after;

	leak_check_start(&before);
	EXPECT_EQ(t, fhook_install(hooks, 2), -ENOENT);
	EXPECT_EQ(t, memcmp((void *)uptime_format, x86_nop5, NOP5_INSN_SIZE), 0);	/* rolled back */
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
}

/*
 * A table with a hole is refused whole before anything is hooked: no name
 * (which the lookup would dereference), no replacement (every call would
 * jump to 0), or no table at all.
 */
static void hook_table_with_a_hole_is_refused(struct selftest *t)
{
	struct fhook no_replacement[] = {
		{ .name = "uptime_format", .replacement = fake_replacement },
		{ .name = "fib", .replacement = NULL },
	};
	struct fhook no_name[] = {
		{ .name = "uptime_format", .replacement = fake_replacement },
		{ .name = NULL, .replacement = fake_replacement },
	};
	struct kmalloc_usage before, after;
	int err;

	leak_check_start(&before);
	err = fhook_install(no_replacement, 2);
	EXPECT_EQ(t, err, -EINVAL);
	if (!err)			/* never call fib through a NULL hook */
		fhook_remove(no_replacement, 2);
	EXPECT_EQ(t, fhook_install(no_name, 2), -EINVAL);
	EXPECT_EQ(t, fhook_install(NULL, 1), -EINVAL);
	EXPECT_EQ(t, memcmp((void *)uptime_format, x86_nop5, NOP5_INSN_SIZE), 0);
	EXPECT_EQ(t, memcmp((void *)fib, x86_nop5, NOP5_INSN_SIZE), 0);
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
	EXPECT_EQ(t, fhook_install(NULL, 0), 0);	/* an empty table is no error */
}

static void global_switch_lets_the_original_run(struct selftest *t)
{
	char buf[128];

	ASSERT_EQ(t, livepatch_demo_set(true), 0);
	EXPECT_TRUE(t, fhook_is_enabled());
	fhook_disable();
	EXPECT_TRUE(t, !fhook_is_enabled());
	uptime_format(buf, sizeof(buf));
	EXPECT_TRUE(t, !strstr(buf, "livepatched"));
	fhook_enable();
	EXPECT_TRUE(t, fhook_is_enabled());
	uptime_format(buf, sizeof(buf));
	EXPECT_TRUE(t, strstr(buf, "livepatched") != NULL);
	EXPECT_EQ(t, livepatch_demo_set(false), 0);
}

noinline unsigned graph_bt_target(unsigned long *entries)
{
	unsigned n = stack_trace_save(entries, STACKTRACE_MAX);

	barrier();
	return n;
}

/* Inside a function whose return function_graph hooked, the backtrace
 * shows the real caller, never the return trampoline. */
static void graph_hooked_backtrace_shows_real_callers(struct selftest *t)
{
	unsigned long entries[STACKTRACE_MAX];
	unsigned n, i, callers = 0;

	ASSERT_EQ(t, ftrace_set_filter(&trace_ops, "graph_bt_target", true), 0);
	ASSERT_EQ(t, trace_set_tracer("function_graph"), 0);
	n = graph_bt_target(entries);
	EXPECT_EQ(t, trace_set_tracer("nop"), 0);
	EXPECT_EQ(t, ftrace_set_filter(&trace_ops, "", true), 0);
	for (i = 0; i < n; i++) {
		struct ksym sym;

		EXPECT_NE(t, entries[i], (unsigned long)return_to_handler);
		if (kallsyms_lookup_addr(entries[i] - 1, &sym, NULL) &&
		    !strcmp(sym.name, "graph_hooked_backtrace_shows_real_callers"))
			callers++;
	}
	EXPECT_EQ(t, callers, 1);
}

/*
 * function_graph prints a call with no child as one line (`fib();`),
 * looking ahead on the call's own CPU as Linux does. Here another CPU
 * records fib(3) in a loop while this one runs fib(4), so in time order
 * the other CPU's records lie between a call and its return; fib(4)'s
 * five leaves must still print as five one-line calls. fib(4) runs
 * GRAPH_ROUNDS times in a row (about 1300 records, well inside the
 * buffer). The other CPU may happen not to record meanwhile (a virtual
 * CPU the host paused): then try again, a few times.
 */
#define GRAPH_ROUNDS	50
static int noise_stop, noise_running;
static struct completion noise_done;

static int graph_noise(void *unused)
{
	(void)unused;
	WRITE_ONCE(noise_running, 1);
	while (!READ_ONCE(noise_stop))
		fib(3);
	complete(&noise_done);
	return 0;
}

/* Lines of CPU @cpu's records in @text; *@between counts other CPUs' lines
 * between its first and last. */
static int graph_lines(const char *text, int cpu, int *leaves, int *between)
{
	char tag[8];
	const char *l;
	int n = 0, others = 0;

	snprintf(tag, sizeof(tag), " %d)", cpu);
	*leaves = *between = 0;
	for (l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);

		if (len > 3 && l[0] == ' ' && l[2] == ')' && l[1] >= '0' && l[1] <= '9') {
			if (!strncmp(l, tag, 3)) {
				n++;
				*between += others;
				others = 0;
				if (len >= 6 && !strncmp(l + len - 6, "fib();", 6))
					(*leaves)++;
			} else if (n) {
				others++;
			}
		}
	}
	return n;
}

static void graph_folds_leaves_past_other_cpus_records(struct selftest *t)
{
	const size_t size = 256 * 1024;
	int me = smp_processor_id(), other = -1, cpu, attempt, i, leaves = 0, between = 0, lines = 0;
	char *text = kmalloc(size);

	for_each_online_cpu(cpu)
		if (cpu != me)
			other = cpu;
	if (other < 0) {
		kfree(text);
		selftest_skip(t, "needs a second CPU running tasks");
		return;
	}
	ASSERT_TRUE(t, text != NULL);
	ASSERT_EQ(t, ftrace_set_filter(&trace_ops, "fib", true), 0);
	ASSERT_EQ(t, trace_set_tracer("function_graph"), 0);
	for (attempt = 0; attempt < 20 && !between; attempt++) {
		struct task_struct *task = kthread_create(graph_noise, NULL, "graph-noise");
		struct seq_out s = { .buf = text, .size = size };

		if (!EXPECT_TRUE(t, task != NULL))
			break;
		noise_stop = noise_running = 0;
		init_completion(&noise_done);
		kthread_bind(task, other);
		wake_up_process(task);
		while (!READ_ONCE(noise_running))
			cpu_relax();
		EXPECT_EQ(t, ring_buffer_reset(trace_buffer), 0);
		for (i = 0; i < GRAPH_ROUNDS; i++)
			EXPECT_EQ(t, fib(4), 3);
		WRITE_ONCE(noise_stop, 1);
		wait_for_completion(&noise_done);
		EXPECT_EQ(t, trace_show_cpu(&s, TRACE_ALL_CPUS), 0);
		text[s.len < size ? s.len : size - 1] = '\0';
		lines = graph_lines(text, me, &leaves, &between);
	}
	EXPECT_EQ(t, trace_set_tracer("nop"), 0);
	EXPECT_EQ(t, ftrace_set_filter(&trace_ops, "", true), 0);
	/* fib(4): 4 calls with children (2 lines each), 5 leaves */
	EXPECT_EQ(t, lines, 13 * GRAPH_ROUNDS);
	EXPECT_EQ(t, leaves, 5 * GRAPH_ROUNDS);
	kfree(text);
	/*
	 * Under QEMU's TCG every rdtsc takes one lock shared by all virtual
	 * CPUs, and both CPUs here read the clock for every record: on a
	 * loaded host one can starve the other for milliseconds, so that
	 * nothing of CPU 1 lands between CPU 0's records. Then the look-ahead
	 * was not needed, and that is all this run can say.
	 */
	if (!between)
		selftest_skip(t, "the other CPU never recorded while this one did (the emulator "
			      "ran them one after the other): the folding is not proved past "
			      "another CPU's records");
}

/* A recursion deeper than function_graph's return stack. */
#define GRAPH_DEEP	(TASK_RET_STACK_DEPTH + 6)
noinline unsigned long graph_deep(unsigned long n)
{
	unsigned long r = n ? graph_deep(n - 1) + 1 : 0;

	barrier();		/* not a tail call: each level returns through here */
	return r;
}

struct deep_check {
	unsigned returns, bad_overrun, bad_retval;
	unsigned overrun;		/* what each return should carry */
};

static void check_deep(const struct ring_buffer_record *rec, void *arg)
{
	const struct graph_ret_entry *r = (const void *)rec->data;
	struct deep_check *d = arg;

	if (r->ent.type != TRACE_GRAPH_RET || r->func != (unsigned long)graph_deep)
		return;
	d->returns++;
	d->bad_overrun += r->overrun != d->overrun;
	d->bad_retval += r->retval != GRAPH_DEEP - (unsigned long)r->depth;
}

/*
 * graph_deep(70) makes 71 nested calls: the first TASK_RET_STACK_DEPTH
 * are hooked, the 7 past them are not, and every return recorded
 * counts them (funcgraph-overrun prints it) and carries the value its
 * call returned (funcgraph-retval): graph_deep(n) returns n.
 */
static void graph_returns_carry_overruns_and_values(struct selftest *t)
{
	struct deep_check d = { 0 };

	d.overrun = current->graph_overrun + (GRAPH_DEEP + 1 - TASK_RET_STACK_DEPTH);
	ASSERT_EQ(t, ftrace_set_filter(&trace_ops, "graph_deep", true), 0);
	ASSERT_EQ(t, trace_set_tracer("function_graph"), 0);
	ASSERT_EQ(t, ring_buffer_reset(trace_buffer), 0);
	EXPECT_EQ(t, graph_deep(GRAPH_DEEP), GRAPH_DEEP);
	walk_trace(check_deep, &d);		/* before nop: a switch empties the buffer */
	EXPECT_EQ(t, trace_set_tracer("nop"), 0);
	EXPECT_EQ(t, ftrace_set_filter(&trace_ops, "", true), 0);
	EXPECT_EQ(t, d.returns, TASK_RET_STACK_DEPTH);
	EXPECT_EQ(t, d.bad_overrun, 0);
	EXPECT_EQ(t, d.bad_retval, 0);
}

static const struct selftest_case tracer_cases[] = {
	SELFTEST_CASE(function_tracer_records_each_fib_call),
	SELFTEST_CASE(function_graph_nests_and_parents_outlast_children),
	SELFTEST_CASE(graph_folds_leaves_past_other_cpus_records),
	SELFTEST_CASE(livepatch_demo_swaps_and_restores),
	SELFTEST_CASE(hook_table_installs_whole_or_not_at_all),
	SELFTEST_CASE(hook_table_with_a_hole_is_refused),
	SELFTEST_CASE(global_switch_lets_the_original_run),
	SELFTEST_CASE(graph_hooked_backtrace_shows_real_callers),
	SELFTEST_CASE(graph_returns_carry_overruns_and_values),
};
SELFTEST_SUITE("tracers", tracer_cases);
