// SPDX-License-Identifier: MIT
/*
 * The kinds `bench` times, each a mechanism with an (almost) empty handler
 * - it only counts its hits - or what a user turns on:
 *
 *	nop		the NOPed fentry site vs the same function built without -pg
 *	direct_call	one plain call of an empty function: the floor
 *	ftrace_empty	one ftrace_ops on the function
 *	kprobe_ftrace	a kprobe on the fentry site (through ftrace)
 *	kprobe_int3	a kprobe mid-function, single-stepped (it has a post_handler)
 *	kprobe_boost	the same instruction, boosted (no post_handler: one trap)
 *	kprobe_opt	the same instruction, jump-optimized (no trap)
 *	kretprobe	a kretprobe on the function
 *	fprobe_entry	an fprobe with an empty entry handler
 *	fprobe_exit	an fprobe with entry and exit handlers (the exit counts)
 *	function	the function tracer, filtered to the function
 *	function_graph	the function_graph tracer, filtered to the function
 *	ev_kprobe_entry	a p: probe event with one fetch-arg, recording into the buffer
 *	ev_kprobe_mid	the same mid-function (bench_target+5)
 *	ev_kretprobe	an r: event recording $retval
 *	ev_fprobe_entry	an f: event
 *	ev_fprobe_exit	an f: ...%return event recording $retval
 *
 * The probe events are made, enabled and removed by writing the tracefs
 * files, the very path the console's echo takes. The f: events are made
 * and removed around each probed repetition (see ev_fp_on()).
 */
#include <trace/bench.h>
#include <trace/fprobe.h>
#include <trace/ftrace.h>
#include <trace/kprobes.h>
#include <trace/probe_events.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <kernel/console.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <kernel/workloads/bench_target.h>
#include <asm/ptrace.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#define MID_OFFSET	5	/* push %rbp, just after the fentry site */

/* ---- ftrace ---- */

/* The handlers below only count the hit: an empty handler is what makes
 * the overhead the mechanism's own. They run in probe context. */
static void ftrace_count(unsigned long ip __always_unused, unsigned long parent_ip __always_unused,
			 struct ftrace_ops *op __always_unused,
			 struct pt_regs *regs __always_unused)
{
	bench_hit();
}
/* Like every ftrace_ops callback, it runs from the trampoline before any
 * kprobe busy mark (scripts/check-nokprobe.py walks them all). */
NOKPROBE_SYMBOL(ftrace_count);

static struct ftrace_ops bench_ops = { .func = ftrace_count };

static int ftrace_setup(void)
{
	return ftrace_set_filter(&bench_ops, "bench_target", true);
}

static void ftrace_teardown(void)
{
	ftrace_free_filter(&bench_ops);
}

static int ftrace_on(void)
{
	return register_ftrace_function(&bench_ops);
}

static int ftrace_off(void)
{
	return unregister_ftrace_function(&bench_ops);
}

/* ---- kprobes ---- */

static int kp_count(struct kprobe *p __always_unused, struct pt_regs *regs __always_unused)
{
	bench_hit();
	return 0;
}

static void kp_post_nothing(struct kprobe *p __always_unused, struct pt_regs *regs __always_unused,
			    unsigned long flags __always_unused)
{
}

static struct kprobe bench_kp;

/* A disabled kprobe at bench_target+@offset; @post adds an empty
 * post_handler, which forces the single-step (no boost, no jump). */
static int kprobe_setup_at(unsigned offset, bool post)
{
	bench_kp = (struct kprobe){ .symbol_name = "bench_target", .offset = offset,
				    .pre_handler = kp_count,
				    .post_handler = post ? kp_post_nothing : NULL,
				    .flags = KPROBE_FLAG_DISABLED };
	return register_kprobe(&bench_kp);
}

static int kprobe_ftrace_setup(void) { return kprobe_setup_at(0, false); }
static int kprobe_int3_setup(void) { return kprobe_setup_at(MID_OFFSET, true); }
static void kprobe_teardown(void) { unregister_kprobe(&bench_kp); }

/* Boosted: the same probe with jump optimization off (it is on by default). */
static int kprobe_boost_setup(void)
{
	kprobes_set_optimization(false);
	return kprobe_setup_at(MID_OFFSET, false);
}

static void kprobe_boost_teardown(void)
{
	unregister_kprobe(&bench_kp);
	kprobes_set_optimization(true);
}

/* Jump-optimized: optimized synchronously each time it is enabled. */
static int kprobe_opt_setup(void)
{
	kprobes_set_optimize_sync(true);
	return kprobe_setup_at(MID_OFFSET, false);
}

static void kprobe_opt_teardown(void)
{
	unregister_kprobe(&bench_kp);
	kprobes_set_optimize_sync(false);
}
static int kprobe_on(void) { return enable_kprobe(&bench_kp); }
static int kprobe_off(void) { return disable_kprobe(&bench_kp); }

/* ---- kretprobe ---- */

static int krp_count(struct kretprobe_instance *ri __always_unused,
		     struct pt_regs *regs __always_unused)
{
	bench_hit();
	return 0;
}

static struct kretprobe bench_krp;

/* Registered, then disabled until the first "on": like every kind, it
 * is armed only while a probed repetition runs. */
static int kretprobe_setup(void)
{
	int err;

	bench_krp = (struct kretprobe){ .kp.symbol_name = "bench_target", .handler = krp_count };
	err = register_kretprobe(&bench_krp);
	return err ? err : disable_kprobe(&bench_krp.kp);
}

static void kretprobe_teardown(void) { unregister_kretprobe(&bench_krp); }
static int kretprobe_on(void) { return enable_kprobe(&bench_krp.kp); }
static int kretprobe_off(void) { return disable_kprobe(&bench_krp.kp); }

/* ---- fprobe ---- */

static int fp_entry_count(struct fprobe *fp __always_unused, unsigned long ip __always_unused,
			  unsigned long ret_ip __always_unused,
			  struct pt_regs *regs __always_unused, void *entry_data __always_unused)
{
	bench_hit();
	return 0;
}

static int fp_entry_nothing(struct fprobe *fp __always_unused, unsigned long ip __always_unused,
			    unsigned long ret_ip __always_unused,
			    struct pt_regs *regs __always_unused, void *entry_data __always_unused)
{
	return 0;
}

static void fp_exit_count(struct fprobe *fp __always_unused, unsigned long ip __always_unused,
			  unsigned long ret_ip __always_unused,
			  struct pt_regs *regs __always_unused, void *entry_data __always_unused)
{
	bench_hit();
}

static struct fprobe bench_fp;

/* Registered only while timed "on": off, the site is a NOP again. */
static int fprobe_entry_setup(void)
{
	bench_fp = (struct fprobe){ .entry_handler = fp_entry_count };
	return 0;
}

static int fprobe_exit_setup(void)
{
	bench_fp = (struct fprobe){ .entry_handler = fp_entry_nothing,
				    .exit_handler = fp_exit_count };
	return 0;
}

static int fprobe_on(void) { return register_fprobe(&bench_fp, "bench_target", NULL); }
static int fprobe_off(void) { return unregister_fprobe(&bench_fp); }

/* ---- tracers ---- */

/* Point the function tracers at bench_target alone, from an empty buffer. */
static int tracer_setup(void)
{
	int err = ftrace_set_filter(&trace_ops, "bench_target", true);

	return err ? err : ring_buffer_reset(trace_buffer);
}

static void tracer_teardown(void)
{
	trace_set_tracer("nop");
	ftrace_set_filter(&trace_ops, "", true);
}

static int function_on(void) { return trace_set_tracer("function"); }
static int graph_on(void) { return trace_set_tracer("function_graph"); }
static int tracer_off(void) { return trace_set_tracer("nop"); }

/* ---- probe events ---- */

#define EV_GROUP	"bench"

static const char *ev_name;		/* the event of the current kind */
static unsigned long ev_counted;	/* its hits already added to the bench count */

/* `echo TEXT >> FILE` from the kernel: the same write path, tree lock
 * and checks as the console's. Returns the file's errno. */
static int tracefs_write(const char *file, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), TRACEFS_PATH "/%s", file);
	return pfs_write_path(path, text, strlen(text), true);
}

static int ev_enable(bool on)
{
	char file[96];

	snprintf(file, sizeof(file), "events/" EV_GROUP "/%s/enable", ev_name);
	return tracefs_write(file, on ? "1\n" : "0\n");
}

/* Create the event named @name with @cmd through @file. */
static int ev_setup(const char *file, const char *name, const char *cmd)
{
	int err = ring_buffer_reset(trace_buffer);

	ev_name = name;
	ev_counted = 0;
	return err ? err : tracefs_write(file, cmd);
}

/* Remove the event (the echo -:bench/NAME way) and empty the buffer. */
static void ev_teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "-:" EV_GROUP "/%s\n", ev_name);
	tracefs_write("dynamic_events", cmd);
	ring_buffer_reset(trace_buffer);
}

static int ev_on(void) { return ev_enable(true); }

/* Off, and add the hits the event counted to the bench's count. */
static int ev_off(void)
{
	int err = ev_enable(false);
	unsigned long hits = probe_event_hits(EV_GROUP, ev_name);

	bench_hits_add(hits - ev_counted);
	ev_counted = hits;
	return err;
}

static int ev_kp_setup(void)
{
	return ev_setup("kprobe_events", "ev_kp", "p:" EV_GROUP "/ev_kp bench_target x=$arg1:s32\n");
}

static int ev_kpm_setup(void)
{
	return ev_setup("kprobe_events", "ev_kpm",
			"p:" EV_GROUP "/ev_kpm bench_target+5 x=%di:s32\n");
}

static int ev_krp_setup(void)
{
	return ev_setup("kprobe_events", "ev_krp",
			"r:" EV_GROUP "/ev_krp bench_target ret=$retval:s32\n");
}

/*
 * f: events exist only while timed "on". A disabled f: event keeps its
 * fprobe registered - the site stays patched and every call still goes
 * through ftrace to a handler that returns at once (Linux does the same)
 * - which would make the unprobed repetitions pay for part of the probe.
 * So "on" creates and enables the event, and "off" disables it, counts
 * its hits and removes it: off, bench_target's site is a NOP again.
 */
static const char *ev_cmd;		/* creates the event of the current kind */
static bool ev_live;			/* it exists now */

static int ev_fp_setup_cmd(const char *name, const char *cmd)
{
	ev_name = name;
	ev_cmd = cmd;
	ev_counted = 0;
	ev_live = false;
	return ring_buffer_reset(trace_buffer);
}

static int ev_fp_setup(void)
{
	return ev_fp_setup_cmd("ev_fp", "f:" EV_GROUP "/ev_fp bench_target x=$arg1:s32\n");
}

static int ev_fpx_setup(void)
{
	return ev_fp_setup_cmd("ev_fpx", "f:" EV_GROUP "/ev_fpx bench_target%return ret=$retval:s32\n");
}

static void ev_fp_remove(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "-:" EV_GROUP "/%s\n", ev_name);
	tracefs_write("dynamic_events", cmd);
	ev_live = false;
}

/* Create and enable the f: event for one probed repetition. */
static int ev_fp_on(void)
{
	int err = tracefs_write("dynamic_events", ev_cmd);

	if (err)
		return err;
	ev_live = true;
	ev_counted = 0;			/* a new event counts from zero */
	return ev_enable(true);
}

/* Count the repetition's hits, then remove the event (see above). */
static int ev_fp_off(void)
{
	int err = ev_off();		/* adds this repetition's hits */

	ev_fp_remove();
	return err;
}

static void ev_fp_teardown(void)
{
	if (ev_live)			/* an "on" that failed half-way */
		ev_fp_remove();
	ring_buffer_reset(trace_buffer);
}

/*
 * The table `bench` walks, in the order it prints: name, setup, teardown,
 * on, off, the function timed with the probe off and with it on,
 * extra_call (add an empty call on the probed side: direct_call times
 * one call against none), counts_hits (check the handler's count).
 */
const struct bench_kind bench_kinds[] = {
	{ "nop", NULL, NULL, NULL, NULL, bench_target_nopg, bench_target, false, false },
	{ "direct_call", NULL, NULL, NULL, NULL, bench_target, bench_target, true, false },
	{ "ftrace_empty", ftrace_setup, ftrace_teardown, ftrace_on, ftrace_off,
	  bench_target, bench_target, false, true },
	{ "kprobe_ftrace", kprobe_ftrace_setup, kprobe_teardown, kprobe_on, kprobe_off,
	  bench_target, bench_target, false, true },
	{ "kprobe_int3", kprobe_int3_setup, kprobe_teardown, kprobe_on, kprobe_off,
	  bench_target, bench_target, false, true },
	{ "kprobe_boost", kprobe_boost_setup, kprobe_boost_teardown, kprobe_on, kprobe_off,
	  bench_target, bench_target, false, true },
	{ "kprobe_opt", kprobe_opt_setup, kprobe_opt_teardown, kprobe_on, kprobe_off,
	  bench_target, bench_target, false, true },
	{ "kretprobe", kretprobe_setup, kretprobe_teardown, kretprobe_on, kretprobe_off,
	  bench_target, bench_target, false, true },
	{ "fprobe_entry", fprobe_entry_setup, NULL, fprobe_on, fprobe_off,
	  bench_target, bench_target, false, true },
	{ "fprobe_exit", fprobe_exit_setup, NULL, fprobe_on, fprobe_off,
	  bench_target, bench_target, false, true },
	{ "function", tracer_setup, tracer_teardown, function_on, tracer_off,
	  bench_target, bench_target, false, false },
	{ "function_graph", tracer_setup, tracer_teardown, graph_on, tracer_off,
	  bench_target, bench_target, false, false },
	{ "ev_kprobe_entry", ev_kp_setup, ev_teardown, ev_on, ev_off,
	  bench_target, bench_target, false, true },
	{ "ev_kprobe_mid", ev_kpm_setup, ev_teardown, ev_on, ev_off,
	  bench_target, bench_target, false, true },
	{ "ev_kretprobe", ev_krp_setup, ev_teardown, ev_on, ev_off,
	  bench_target, bench_target, false, true },
	{ "ev_fprobe_entry", ev_fp_setup, ev_fp_teardown, ev_fp_on, ev_fp_off,
	  bench_target, bench_target, false, true },
	{ "ev_fprobe_exit", ev_fpx_setup, ev_fp_teardown, ev_fp_on, ev_fp_off,
	  bench_target, bench_target, false, true },
	{ NULL },
};
