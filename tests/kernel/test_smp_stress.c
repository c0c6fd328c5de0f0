// SPDX-License-Identifier: MIT
/*
 * Stress of every probe kind on a busy SMP machine, with nothing lost
 * (issue 15 point 7). Kernel threads bound to every CPU but this one call
 * fib() in a loop while this CPU registers, disables, enables and
 * unregisters a probe on it again and again: a kprobe trapping with int3
 * in the middle of fib, a kprobe at its entry (through ftrace), a
 * jump-optimized kprobe, a kretprobe, an fprobe with entry and exit
 * handlers, and a bare ftrace_ops. Then the function tracer on every
 * function is switched on and off under the same load, and workers deep
 * in probed recursion are killed from this CPU.
 *
 * Each case ends the same way: the workers stopped (and reaped), every
 * deferred free done (kernel_quiesce()), kmalloc objects and bytes and
 * allocated pages equal to what they were before the workers started,
 * and nothing left in kprobes/list or enabled_functions.
 *
 * The number of cycles per probe kind is smp_stress_cycles: small by
 * default so that `make test` stays short under TCG; `stress-cycles N`
 * at the console changes it (`make stress-smp` runs the 10,000).
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <asm/pgtable.h>
#include <kernel/arch.h>
#include <asm/text-patching.h>
#include <kernel/console.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <kernel/workloads/workloads.h>
#include <trace/fprobe.h>
#include <trace/ftrace.h>
#include <trace/kprobes.h>
#include <trace/tracefs.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Cycles per probe kind; see the file comment. */
static unsigned long smp_stress_cycles = 20;

/* Function tracer on/off rounds under load: the 100, or fewer
 * when the cycles are fewer (make test). */
#define TRACER_TOGGLES_MAX	100
/* Workers killed inside probed recursion, per probe kind. */
#define KILL_ROUNDS		20
/* fib(WORK_N) per loop of a worker: ~2,000 calls, a few ms under TCG. */
#define WORK_N			15

/* ---- hits, per CPU ---- */

static unsigned long hits[NR_CPUS];

static void hit(void)
{
	fetch_add_relaxed(&hits[smp_processor_id()], 1);
}

static unsigned long hits_elsewhere(void)
{
	unsigned long n = 0;
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu != (int)smp_processor_id())
			n += READ_ONCE(hits[cpu]);
	return n;
}

static int kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p; (void)regs;
	hit();
	return 0;
}

static int rp_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri; (void)regs;
	hit();
	return 0;
}

static int fp_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		    struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	hit();
	return 0;
}

static void fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
		    struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	hit();
}

static void ops_func(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
		     struct pt_regs *regs)
{
	(void)ip; (void)parent_ip; (void)op; (void)regs;
	hit();
}

/* ---- workers: fib on every other CPU ---- */

struct worker {
	struct task_struct *task;
	struct completion done;
	int pid;
	unsigned long loops;
};

/* Static: a worker outlives no test, but must never write to a frame the
 * test has left if it does. */
static struct worker workers[NR_CPUS];
static bool workers_stop;

static int worker_fn(void *arg)
{
	struct worker *w = arg;

	while (!READ_ONCE(workers_stop) && !kthread_should_stop()) {
		fib(WORK_N);
		WRITE_ONCE(w->loops, w->loops + 1);
	}
	return 0;
}

/* Start one worker bound to @cpu running @fn; killable and stoppable
 * anywhere (it holds no locks), like `run fib`. */
static struct worker *worker_start(int cpu, int (*fn)(void *))
{
	struct worker *w = &workers[cpu];

	memset(w, 0, sizeof(*w));
	init_completion(&w->done);
	w->task = kthread_create(fn, w, "stress");
	if (!w->task)
		return NULL;
	w->pid = w->task->pid;
	kthread_bind(w->task, cpu);
	w->task->killable = true;
	w->task->async_kill = true;
	w->task->exit_done = &w->done;
	wake_up_process(w->task);
	return w;
}

/* Start a worker on every online CPU but this one. Returns how many. */
static int workers_start(void)
{
	int cpu, n = 0;

	WRITE_ONCE(workers_stop, false);
	for_each_online_cpu(cpu)
		if (cpu != (int)smp_processor_id() && worker_start(cpu, worker_fn))
			n++;
	return n;
}

/* Stop them and wait until each has exited; false if one never did. */
static bool workers_stop_all(void)
{
	bool ok = true;
	int cpu;

	WRITE_ONCE(workers_stop, true);
	for_each_online_cpu(cpu) {
		if (cpu == (int)smp_processor_id() || !workers[cpu].task)
			continue;
		if (!wait_for_completion_timeout(&workers[cpu].done, 20000))
			ok = false;
		workers[cpu].task = NULL;
	}
	return ok;
}

/* Wait until every worker has made @loops more loops (it really runs). */
static bool workers_progress(unsigned long loops)
{
	unsigned long start[NR_CPUS];
	u64 deadline = clock_ns() + 10 * NSEC_PER_SEC;
	int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		start[cpu] = workers[cpu].task ? READ_ONCE(workers[cpu].loops) : 0;
	for_each_online_cpu(cpu) {
		if (!workers[cpu].task)
			continue;
		while (READ_ONCE(workers[cpu].loops) < start[cpu] + loops) {
			if (clock_ns() > deadline)
				return false;
			msleep(1);
		}
	}
	return true;
}

/* ---- what must come back ---- */

struct mem_snapshot {
	struct kmalloc_usage km;
	unsigned long pages;
	unsigned long exec_pages;
};

/* The pages in use, after the deferred frees leak_check_*() waited for. */
static void mem_pages(struct mem_snapshot *s)
{
	struct buddy_stats b;

	kmalloc_shrink();	/* a spare empty slab is not a leak */
	page_alloc_stats(&b);
	/* Page tables made for new addresses stay (kernel/arch.h). */
	s->pages = b.allocated_pages - page_table_pages();
	s->exec_pages = exec_pages_in_use();
}

static void mem_snapshot(struct mem_snapshot *s)
{
	leak_check_start(&s->km);
	mem_pages(s);
}

static char text_buf[8192];

static const char *read_file(const char *path)
{
	struct seq_out out = { .buf = text_buf, .size = sizeof(text_buf) };

	text_buf[0] = '\0';
	if (pfs_read_path(path, &out))
		return "(unreadable)";
	text_buf[out.len < sizeof(text_buf) ? out.len : sizeof(text_buf) - 1] = '\0';
	return text_buf;
}

static void write_file(struct selftest *t, const char *path, const char *text)
{
	EXPECT_EQ(t, pfs_write_path(path, text, strlen(text), false), 0);
}

/* The end of every case: memory back where it was, no probe left. */
static void expect_nothing_left(struct selftest *t, const struct mem_snapshot *before)
{
	struct mem_snapshot after;

	leak_check_end(&before->km, &after.km);
	mem_pages(&after);
	EXPECT_EQ(t, after.km.objects, before->km.objects);
	EXPECT_EQ(t, after.km.bytes, before->km.bytes);
	EXPECT_EQ(t, after.pages, before->pages);
	EXPECT_EQ(t, after.exec_pages, before->exec_pages);
	EXPECT_STREQ(t, read_file("/sys/kernel/debug/kprobes/list"), "");
	EXPECT_STREQ(t, read_file(TRACEFS_PATH "/enabled_functions"), "");
}

/* ---- one probe kind: register, disable, enable, unregister ---- */

enum stress_kind {
	KIND_KPROBE_INT3,	/* fib+0xf: a trap (boosted or single-stepped) */
	KIND_KPROBE_ENTRY,	/* fib+0: through ftrace */
	KIND_KPROBE_OPT,	/* fib+5: push %rbp, jump-optimized */
	KIND_KRETPROBE,
	KIND_FPROBE,		/* entry and exit */
	KIND_FTRACE_OPS,
};

static struct kprobe kp;
static struct kretprobe rp;
static struct fprobe fp;
static struct ftrace_ops ops;

/* Offsets into fib (see `dis fib`): +5 push %rbp, +0xf cmp $1,%rdi. */
#define FIB_PUSH_RBP	5
#define FIB_CMP		0xf

static int kind_register(enum stress_kind k)
{
	switch (k) {
	case KIND_KPROBE_INT3:
	case KIND_KPROBE_ENTRY:
	case KIND_KPROBE_OPT:
		kp = (struct kprobe){ .symbol_name = "fib", .pre_handler = kp_pre };
		kp.offset = k == KIND_KPROBE_INT3 ? FIB_CMP : k == KIND_KPROBE_OPT ? FIB_PUSH_RBP : 0;
		return register_kprobe(&kp);
	case KIND_KRETPROBE:
		rp = (struct kretprobe){ .kp.symbol_name = "fib", .handler = rp_handler,
					 .maxactive = 20 };
		return register_kretprobe(&rp);
	case KIND_FPROBE:
		fp = (struct fprobe){ .entry_handler = fp_entry, .exit_handler = fp_exit,
				      .nr_maxactive = 20 };
		return register_fprobe(&fp, "fib", NULL);
	case KIND_FTRACE_OPS:
		/* the filter stays set across cycles; freed at the end */
		ops.func = ops_func;
		return register_ftrace_function(&ops);
	}
	return -EINVAL;
}

static int kind_set_enabled(enum stress_kind k, bool on)
{
	switch (k) {
	case KIND_KPROBE_INT3:
	case KIND_KPROBE_ENTRY:
	case KIND_KPROBE_OPT:
		return on ? enable_kprobe(&kp) : disable_kprobe(&kp);
	case KIND_KRETPROBE:
		return on ? enable_kprobe(&rp.kp) : disable_kprobe(&rp.kp);
	case KIND_FPROBE:
		if (on)
			enable_fprobe(&fp);
		else
			disable_fprobe(&fp);
		return 0;
	case KIND_FTRACE_OPS:
		return 0;	/* an ftrace_ops is either registered or not */
	}
	return -EINVAL;
}

static int kind_unregister(enum stress_kind k)
{
	switch (k) {
	case KIND_KPROBE_INT3:
	case KIND_KPROBE_ENTRY:
	case KIND_KPROBE_OPT:
		unregister_kprobe(&kp);
		return 0;
	case KIND_KRETPROBE:
		unregister_kretprobe(&rp);
		return 0;
	case KIND_FPROBE:
		return unregister_fprobe(&fp);
	case KIND_FTRACE_OPS:
		return unregister_ftrace_function(&ops);
	}
	return -EINVAL;
}

/*
 * The first probe of a kind allocates what stays for the next ones (an
 * instruction-slot page, a slab page of a new size class, ...): one
 * register and unregister before the snapshot, so that what is compared
 * is what the cycles themselves leave.
 */

static void warm_up(struct selftest *t, enum stress_kind k)
{
	EXPECT_EQ(t, kind_register(k), 0);
	read_file("/sys/kernel/debug/kprobes/list");
	read_file(TRACEFS_PATH "/enabled_functions");
	EXPECT_EQ(t, kind_unregister(k), 0);
}

/* The probe is what this kind promises (checked on the first cycle). */
static void kind_check_flags(struct selftest *t, enum stress_kind k)
{
	unsigned long state = kprobe_state(&kp);

	if (k == KIND_KPROBE_ENTRY)
		EXPECT_TRUE(t, state & KPROBE_FLAG_FTRACE);
	if (k == KIND_KPROBE_OPT)
		EXPECT_EQ(t, *(u8 *)kp.addr, JMP32_INSN_OPCODE);		/* the detour's jmp */
	if (k == KIND_KPROBE_INT3) {
		EXPECT_EQ(t, *(u8 *)kp.addr, INT3_INSN_OPCODE);
		EXPECT_TRUE(t, !(state & KPROBE_FLAG_OPTIMIZED));
	}
}

static void stress_kind(struct selftest *t, enum stress_kind k)
{
	struct mem_snapshot before;
	unsigned long i, cycles = READ_ONCE(smp_stress_cycles);
	u64 t0;
	int err = 0;

	if (nr_cpus_online < 2) {
		selftest_skip(t, "needs a second CPU");
		return;
	}
	if (k == KIND_KPROBE_OPT) {
		kprobes_set_optimization(true);
		kprobes_set_optimize_sync(true);	/* optimized before register returns */
	} else if (k == KIND_KPROBE_INT3) {
		kprobes_set_optimization(false);	/* stays an int3 */
	}
	if (k == KIND_FTRACE_OPS) {
		ops = (struct ftrace_ops){ .func = ops_func };
		ASSERT_EQ(t, ftrace_set_filter(&ops, "fib", true), 0);
		warm_up(t, k);
		ftrace_free_filter(&ops);
	} else {
		warm_up(t, k);
	}
	memset(hits, 0, sizeof(hits));
	mem_snapshot(&before);
	if (k == KIND_FTRACE_OPS)
		ASSERT_EQ(t, ftrace_set_filter(&ops, "fib", true), 0);
	ASSERT_TRUE(t, workers_start() == (int)nr_cpus_online - 1);
	EXPECT_TRUE(t, workers_progress(1));
	t0 = clock_ns();
	for (i = 0; i < cycles && !err; i++) {
		err = kind_register(k);
		if (err)
			break;
		if (i == 0)
			kind_check_flags(t, k);
		err = kind_set_enabled(k, false) ?: kind_set_enabled(k, true);
		/* give the workers a chance at the probe now and then */
		if (i % 64 == 0)
			msleep(1);
		err = kind_unregister(k) ?: err;
		if (console_break_pending())
			break;
	}
	EXPECT_EQ(t, err, 0);
	EXPECT_EQ(t, i, cycles);
	console_printf("    # %lu cycles in %llu ms, %lu hits on other CPUs\n", i,
		       (unsigned long long)((clock_ns() - t0) / NSEC_PER_MSEC), hits_elsewhere());
	EXPECT_TRUE(t, workers_progress(1));	/* nothing broke them */
	EXPECT_TRUE(t, workers_stop_all());
	EXPECT_NE(t, hits_elsewhere(), 0);
	if (k == KIND_FTRACE_OPS)
		ftrace_free_filter(&ops);
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(true);
	expect_nothing_left(t, &before);
}

static void kprobe_int3_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_KPROBE_INT3);
}

static void kprobe_at_entry_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_KPROBE_ENTRY);
}

static void optimized_kprobe_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_KPROBE_OPT);
}

static void kretprobe_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_KRETPROBE);
}

static void fprobe_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_FPROBE);
}

static void ftrace_ops_cycles_under_load(struct selftest *t)
{
	stress_kind(t, KIND_FTRACE_OPS);
}

/* ---- the function tracer on every function, toggled ---- */

static void function_tracer_toggled_under_load(struct selftest *t)
{
	struct mem_snapshot before;
	unsigned long i, toggles = READ_ONCE(smp_stress_cycles);

	if (toggles > TRACER_TOGGLES_MAX)
		toggles = TRACER_TOGGLES_MAX;
	if (nr_cpus_online < 2) {
		selftest_skip(t, "needs a second CPU");
		return;
	}
	write_file(t, TRACEFS_PATH "/current_tracer", "function");	/* warm up */
	write_file(t, TRACEFS_PATH "/current_tracer", "nop");
	write_file(t, TRACEFS_PATH "/trace", "");
	mem_snapshot(&before);
	ASSERT_TRUE(t, workers_start() == (int)nr_cpus_online - 1);
	for (i = 0; i < toggles && !t->failures; i++) {
		write_file(t, TRACEFS_PATH "/current_tracer", "function");
		write_file(t, TRACEFS_PATH "/current_tracer", "nop");
	}
	EXPECT_STREQ(t, read_file(TRACEFS_PATH "/current_tracer"), "nop\n");
	EXPECT_TRUE(t, workers_progress(1));
	EXPECT_TRUE(t, workers_stop_all());
	write_file(t, TRACEFS_PATH "/trace", "");	/* what it recorded */
	expect_nothing_left(t, &before);
}

/* ---- kill inside probed recursion ---- */

/* fib(28): ~830,000 calls, about a second under TCG; killed long before. */
static int deep_fn(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		fib(28);
		WRITE_ONCE(w->loops, w->loops + 1);
	}
	return 0;
}

static void kill_inside_recursion(struct selftest *t, enum stress_kind k)
{
	struct mem_snapshot before;
	int round, cpu = -1, c;

	for_each_online_cpu(c)
		if (c != (int)smp_processor_id())
			cpu = c;
	if (cpu < 0) {
		selftest_skip(t, "needs a second CPU");
		return;
	}
	warm_up(t, k);
	memset(hits, 0, sizeof(hits));
	mem_snapshot(&before);
	ASSERT_EQ(t, kind_register(k), 0);
	for (round = 0; round < KILL_ROUNDS; round++) {
		struct worker *w = worker_start(cpu, deep_fn);
		unsigned long seen = READ_ONCE(hits[cpu]);
		u64 deadline = clock_ns() + 5 * NSEC_PER_SEC;

		ASSERT_TRUE(t, w != NULL);
		/* deep enough: it has been through the probe a few times,
		 * more each round, so that kills land at varied depths */
		while (READ_ONCE(hits[cpu]) < seen + 50 + 200 * round && clock_ns() < deadline)
			msleep(1);
		EXPECT_EQ(t, task_kill(w->pid), 0);
		if (!EXPECT_TRUE(t, wait_for_completion_timeout(&w->done, 10000))) {
			selftest_fail(t, __FILE__, __LINE__, "pid %d not dead after kill (round %d)",
				      w->pid, round);
			return;
		}
		w->task = NULL;
	}
	EXPECT_NE(t, hits[cpu], 0);
	EXPECT_EQ(t, kind_unregister(k), 0);
	expect_nothing_left(t, &before);
}

static void kill_inside_kretprobed_recursion(struct selftest *t)
{
	kill_inside_recursion(t, KIND_KRETPROBE);
}

static void kill_inside_fprobed_recursion(struct selftest *t)
{
	kill_inside_recursion(t, KIND_FPROBE);
}

static const struct selftest_case smp_stress_cases[] = {
	SELFTEST_CASE(kprobe_int3_cycles_under_load),
	SELFTEST_CASE(kprobe_at_entry_cycles_under_load),
	SELFTEST_CASE(kretprobe_cycles_under_load),
	SELFTEST_CASE(fprobe_cycles_under_load),
	SELFTEST_CASE(ftrace_ops_cycles_under_load),
	SELFTEST_CASE(function_tracer_toggled_under_load),
	SELFTEST_CASE(kill_inside_kretprobed_recursion),
	SELFTEST_CASE(kill_inside_fprobed_recursion),
	/* last: it can still crash the kernel (see optimize_point()'s "What
	 * this does not see"), and a crash ends the run */
	SELFTEST_CASE(optimized_kprobe_cycles_under_load),
};
SELFTEST_SUITE("smp_stress", smp_stress_cases);

/* `stress-cycles [N]`: show or set the cycles per probe kind. */
static int cmd_stress_cycles(int argc, char **argv)
{
	unsigned long n = 0;
	const char *s;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2) {
		for (s = argv[1]; *s >= '0' && *s <= '9'; s++)
			n = n * 10 + (unsigned long)(*s - '0');
		if (*s || !n || n > 1000000)
			return -EINVAL;
		WRITE_ONCE(smp_stress_cycles, n);
	}
	console_printf("smp_stress: %lu cycles per probe kind\n", smp_stress_cycles);
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "stress-cycles", "[N]", "cycles per probe kind of `selftest smp_stress`",
	      cmd_stress_cycles);
