// SPDX-License-Identifier: MIT
/*
 * fprobe events (f:): a probe event on one function through an fprobe,
 * its entry (SYM) or its exit (SYM%return). At the exit, $argN is the
 * argument as it was at entry: fprobe_entry_arg() reads what the rethook
 * node kept (FPROBE_FL_ENTRY_ARGS, set when the event reads one).
 */
#include <trace/probe_record.h>
#include <trace/fprobe.h>
#include <trace/ftrace.h>
#include <kernel/mm/kmalloc.h>
#include <lib/errno.h>

struct trace_fprobe {
	struct probe_event ev;
	struct fprobe fp;
};

static struct trace_fprobe *to_tf(struct probe_event *ev)
{
	return container_of(ev, struct trace_fprobe, ev);
}

/*
 * The entry handler of an f: event: record one line at the function's
 * address. Context: the ftrace callback, preemption off. Returns 0:
 * an entry-only fprobe has no exit to skip.
 */
static int fentry_event_hit(struct fprobe *fp, unsigned long entry_ip,
			    unsigned long ret_ip __always_unused,
			    struct pt_regs *regs, void *entry_data __always_unused)
{
	struct trace_fprobe *tf = container_of(fp, struct trace_fprobe, fp);
	struct probe_fetch_ctx ctx = { .regs = regs };

	probe_event_record_entry(&tf->ev, &ctx, entry_ip);
	return 0;
}

/* $argN at the exit: what fprobe kept in the rethook node at entry. */
static unsigned long fexit_event_arg(const void *cookie, unsigned n)
{
	return fprobe_entry_arg(cookie, n);
}

/* The exit handler of an f:...%return event, run from the rethook
 * trampoline when the function returns to @ret_ip. Probe context. */
static void fexit_event_hit(struct fprobe *fp, unsigned long entry_ip, unsigned long ret_ip,
			    struct pt_regs *regs, void *entry_data)
{
	struct trace_fprobe *tf = container_of(fp, struct trace_fprobe, fp);
	struct probe_fetch_ctx ctx = {
		.regs = regs, .entry_arg = fexit_event_arg, .cookie = entry_data,
	};

	probe_event_record_return(&tf->ev, &ctx, entry_ip, ret_ip);
}

static struct probe_event *tf_alloc(void)
{
	struct trace_fprobe *tf = kzalloc(sizeof(*tf));

	return tf ? &tf->ev : NULL;
}

static void tf_free(struct probe_event *ev)
{
	kfree(to_tf(ev));
}

/*
 * register_fprobe_syms() wants a function that has an fentry site;
 * register_fprobe() a glob that matches at least one.
 */
static int tf_check(const struct probe_def *def)
{
	struct ftrace_hash *matches;
	int err;

	if (!def->glob)
		return ftrace_location(def->addr) == def->addr ? 0 : -ENOENT;
	err = ftrace_hash_edit(NULL, def->symbol, true, false, &matches);
	if (err)
		return err == -ENOMEM ? err : -ENOENT;
	kfree(matches);
	return 0;
}

/*
 * Register the event's fprobe, disabled, on its one function: an entry
 * or an exit handler, never both. Returns 0 or register_fprobe_syms()'s
 * errno. May sleep (ftrace patches the site).
 */
static int tf_reg(struct probe_event *ev)
{
	struct trace_fprobe *tf = to_tf(ev);
	const char *syms[1] = { ev->def->symbol };

	tf->fp.flags = FPROBE_FL_DISABLED;
	tf->fp.name = ev->def->event;
	if (ev->def->kind == PROBE_FENTRY) {
		tf->fp.entry_handler = fentry_event_hit;
	} else {
		tf->fp.exit_handler = fexit_event_hit;
		tf->fp.nr_maxactive = ev->def->maxactive;
		if (ev->def->uses_entry_args)	/* $argN kept only if read */
			tf->fp.flags |= FPROBE_FL_ENTRY_ARGS;
	}
	if (ev->def->glob)
		return register_fprobe(&tf->fp, ev->def->symbol, NULL);
	return register_fprobe_syms(&tf->fp, syms, 1);
}

/* Unregister; on return no handler of the event runs any more. */
static void tf_unreg(struct probe_event *ev)
{
	unregister_fprobe(&to_tf(ev)->fp);
}

/* Switching an fprobe only flips its flag: it cannot fail. */
static int tf_enable(struct probe_event *ev, bool on)
{
	struct fprobe *fp = &to_tf(ev)->fp;

	if (on)
		enable_fprobe(fp);
	else
		disable_fprobe(fp);
	return 0;
}

/* Hits while a handler ran, and exits lost to an empty return pool. */
static unsigned long tf_nmissed(const struct probe_event *ev)
{
	return container_of(ev, struct trace_fprobe, ev)->fp.nmissed;
}

const struct probe_event_ops trace_fprobe_ops = {
	.subsystem = "trace_fprobe",
	.alloc = tf_alloc,
	.check = tf_check,
	.reg = tf_reg,
	.unreg = tf_unreg,
	.enable = tf_enable,
	.nmissed = tf_nmissed,
	.free = tf_free,
};
