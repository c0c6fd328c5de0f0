// SPDX-License-Identifier: MIT
/*
 * kprobe events (p: and r:): a probe event whose probe is a kprobe, or a
 * kretprobe for a return event. The kretprobe is used for both - its kp
 * member is the plain kprobe of a p: event - so one struct serves.
 *
 * $argN in an r: event is the argument at entry: the kretprobe instance
 * kept the argument registers (kretprobe_entry_arg()), when the event
 * reads one (rp.entry_args): else nothing keeps them, as on Linux.
 */
#include <trace/probe_record.h>
#include <trace/kprobes.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <lib/errno.h>

struct trace_kprobe {
	struct probe_event ev;
	struct kretprobe rp;		/* rp.kp alone for a p: event */
};

static struct trace_kprobe *to_tk(struct probe_event *ev)
{
	return container_of(ev, struct trace_kprobe, ev);
}

/*
 * The pre_handler of a p: event: record one line at the probed address.
 * Context: the int3 (or ftrace) handler, preemption off, probe guard
 * held. Returns 0: the event never changes where execution goes.
 */
static int kprobe_event_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct trace_kprobe *tk = container_of(kp, struct trace_kprobe, rp.kp);
	struct probe_fetch_ctx ctx = { .regs = regs };

	probe_event_record_entry(&tk->ev, &ctx, kp->addr);
	return 0;
}

/* $argN at a return: the argument registers the instance kept at entry. */
static unsigned long kretprobe_event_arg(const void *cookie, unsigned n)
{
	return kretprobe_entry_arg(cookie, n);
}

/* The handler of an r: event, at the function's return: recorded at the
 * function's address, with the caller it returns to. Probe context. */
static int kretprobe_event_hit(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct trace_kprobe *tk = container_of(ri->rp, struct trace_kprobe, rp);
	struct probe_fetch_ctx ctx = {
		.regs = regs, .entry_arg = kretprobe_event_arg, .cookie = ri,
	};

	probe_event_record_return(&tk->ev, &ctx, tk->rp.kp.addr, kretprobe_ret_addr(ri));
	return 0;
}

static struct probe_event *tk_alloc(void)
{
	struct trace_kprobe *tk = kzalloc(sizeof(*tk));

	return tk ? &tk->ev : NULL;
}

static void tk_free(struct probe_event *ev)
{
	kfree(to_tk(ev));
}

/* At definition: would the probe register? The same checks and errnos. */
static int tk_check(const struct probe_def *def)
{
	return kprobe_check_target(def->addr);
}

/*
 * Register the event's probe, disabled: a bad address fails the command
 * now, and enabling later only arms it. Returns 0 or the kprobe errno
 * (-ENOENT, -EFAULT, -EILSEQ, -EPERM, -EOPNOTSUPP ...). May sleep.
 */
static int tk_reg(struct probe_event *ev)
{
	struct trace_kprobe *tk = to_tk(ev);
	const struct probe_def *def = ev->def;
	struct kprobe *kp = &tk->rp.kp;
	int err;

	if (def->symbol[0]) {
		kp->symbol_name = def->symbol;
		kp->offset = (unsigned int)def->offset;
	} else {
		kp->addr = def->addr;
	}
	kp->flags = KPROBE_FLAG_DISABLED;
	if (def->kind == PROBE_KPROBE) {
		kp->pre_handler = kprobe_event_hit;
		return register_kprobe(kp);
	}
	tk->rp.handler = kretprobe_event_hit;
	tk->rp.maxactive = def->maxactive;
	tk->rp.entry_args = def->uses_entry_args;	/* $argN kept only if read */
	err = register_kretprobe(&tk->rp);
	/* As on Linux, kprobe_events lists the pool registering chose: r10: */
	if (!err)
		ev->def->maxactive = tk->rp.maxactive;
	return err;
}

/* Unregister; on return no handler of the event runs on any CPU. */
static void tk_unreg(struct probe_event *ev)
{
	struct trace_kprobe *tk = to_tk(ev);

	if (ev->def->kind == PROBE_KPROBE)
		unregister_kprobe(&tk->rp.kp);
	else
		unregister_kretprobe(&tk->rp);
}

static int tk_enable(struct probe_event *ev, bool on)
{
	struct kprobe *kp = &to_tk(ev)->rp.kp;

	return on ? enable_kprobe(kp) : disable_kprobe(kp);
}

/* kprobe_profile's misses: hits while another probe ran, plus, for r:,
 * calls that found no free return instance. */
static unsigned long tk_nmissed(const struct probe_event *ev)
{
	const struct trace_kprobe *tk = container_of(ev, struct trace_kprobe, ev);

	return tk->rp.kp.nmissed + (ev->def->kind == PROBE_KRETPROBE ? tk->rp.nmissed : 0);
}

const struct probe_event_ops trace_kprobe_ops = {
	.subsystem = "trace_kprobe",
	.alloc = tk_alloc,
	.check = tk_check,
	.reg = tk_reg,
	.unreg = tk_unreg,
	.enable = tk_enable,
	.nmissed = tk_nmissed,
	.free = tk_free,
};
