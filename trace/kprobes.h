/* SPDX-License-Identifier: MIT */
/*
 * kprobes: run a handler when (almost) any instruction of the kernel runs.
 *
 * A probe is placed by symbol_name + offset, or by address. The address
 * must be kernel text, an instruction boundary, not blacklisted, and an
 * instruction we can run out of line or emulate. Arming writes int3 over
 * the first byte (or, at a function's fentry site, registers an ftrace_ops
 * instead). When the CPU hits it, the pre_handler runs, then the original
 * instruction - emulated (branches, calls, rets), or run from a copy in an
 * executable slot page, either single-stepped (then the post_handler runs)
 * or "boosted" with a jump back - and execution goes on.
 *
 * Several probes on one address share one probe point, which runs each.
 */
#ifndef TRACE_KPROBES_H
#define TRACE_KPROBES_H

#include <lib/types.h>
#include <lib/list.h>
#include <kernel/percpu_counter.h>

struct kprobe;
struct pt_regs;

/* Return non-zero if the handler changed regs->ip: the probed instruction
 * is then skipped and execution resumes at regs->ip. A probe whose handler
 * does so sets KPROBE_FLAG_IPMODIFY (as Linux's users add a post_handler):
 * a jump-optimized probe's detour cannot follow a new RIP. */
typedef int (*kprobe_pre_handler_t)(struct kprobe *p, struct pt_regs *regs);
typedef void (*kprobe_post_handler_t)(struct kprobe *p, struct pt_regs *regs,
				      unsigned long flags);

enum {
	KPROBE_FLAG_DISABLED	= 1 << 0,	/* registered but not firing */
	/* What kprobes made of the probe: kprobe_state(), never in p->flags. */
	KPROBE_FLAG_FTRACE	= 1 << 1,	/* on an fentry site, via ftrace */
	KPROBE_FLAG_BOOSTED	= 1 << 2,	/* runs its copy without a trap */
	KPROBE_FLAG_OPTIMIZED	= 1 << 3,	/* jump-optimized */
	KPROBE_FLAG_EMULATED	= 1 << 4,	/* its instruction is emulated */
	KPROBE_FLAG_IPMODIFY	= 1 << 5,	/* its handler may change regs->ip: never
						 * jump-optimized; IPMODIFY ftrace_ops at entry */
	KPROBE_FLAG_GOING	= 1 << 6,	/* private: being unregistered */
};


struct kprobe_point;

struct kprobe {
	const char *symbol_name;
	unsigned int offset;
	unsigned long addr;		/* resolved by register_kprobe() if 0 */
	kprobe_pre_handler_t pre_handler;
	kprobe_post_handler_t post_handler;
	unsigned long flags;
	unsigned long nmissed;		/* hits while another probe was running */
	struct pcpu_counter nhit;	/* hits, per CPU: kprobe_nhit() sums them */
	void *data;			/* for the owner */

	/* private to kprobes */
	struct kprobe_point *point;
	struct kprobe *next;		/* on the same point (RCU) */
	struct list_head list;		/* all registered probes */
};

/* How many times @p was hit (handled or not), summed over the CPUs. */
static inline unsigned long kprobe_nhit(const struct kprobe *p)
{
	return pcpu_counter_sum(&p->nhit);
}

/**
 * register_kprobe - place and arm @p
 *
 * Returns 0, or a negative errno whose meaning kprobe_strerror() gives:
 * -EINVAL (symbol and address both or neither, bad offset), -ENOENT
 * (unknown symbol), -EFAULT (not kernel text), -EILSEQ (not on an
 * instruction boundary), -EPERM (blacklisted), -EOPNOTSUPP (an instruction
 * that cannot be probed), -EEXIST (@p already registered), -ENOMEM.
 * Context: task, may sleep.
 */
int register_kprobe(struct kprobe *p);
/*
 * kprobe_check_target - would register_kprobe() take a probe at @addr?
 * The same checks, with nothing registered: lets a caller that replaces a
 * set of probes refuse a bad one before it removes the old ones. Returns
 * 0 or register_kprobe()'s errno (but -EEXIST). Context: task, may sleep.
 */
int kprobe_check_target(unsigned long addr);
/*
 * unregister_kprobe(s) - disarm and forget; returns only once no handler
 * of the probe(s) can still be running on any CPU (handlers run with
 * interrupts or preemption off: a grace period), so the caller may free
 * them. Context: task, may sleep.
 */
void unregister_kprobe(struct kprobe *p);
int register_kprobes(struct kprobe **ps, int num);
void unregister_kprobes(struct kprobe **ps, int num);
int enable_kprobe(struct kprobe *p);
int disable_kprobe(struct kprobe *p);

/* The message a person sees for an error of register_kprobe(). */
const char *kprobe_strerror(int err);

/* Is @addr blacklisted (on the int3 path, or marked NOKPROBE)? */
bool kprobe_blacklisted(unsigned long addr);

/* Disarm or re-arm every probe (/sys/kernel/debug/kprobes/enabled). */
int kprobes_set_enabled(bool on);
bool kprobes_all_enabled(void);

/* Is @addr the first byte of a function? */
bool kprobe_at_function_entry(unsigned long addr);

/*
 * The probe whose handler runs on this CPU, or NULL: a kprobe's, or a
 * kretprobe's kp in its entry and return handlers; kprobe_busy (a
 * placeholder) in an fprobe's handlers. A probe hit while it is set is
 * counted missed (trace/probe_guard.h).
 */
struct kprobe *kprobe_running(void);

/* Jump optimization: on by default (/proc/sys/debug/kprobes-optimization). */
void kprobes_set_optimization(bool on);
bool kprobes_optimization(void);
void kprobes_set_optimize_sync(bool on);
void kprobes_start_optimizer(void);

/* Create /sys/kernel/debug/kprobes/{list,enabled,blacklist}. */
void kprobes_debugfs_init(void);

/* Walk registered probes (the debugfs list), under the kprobes mutex. */
void kprobes_for_each(void (*fn)(struct kprobe *p, void *arg), void *arg);
/*
 * How @p fires: KPROBE_FLAG_OPTIMIZED, _FTRACE, _EMULATED or _BOOSTED, or 0
 * (an int3 that single-steps, or @p is not registered). kprobe_state()
 * takes the kprobes mutex (may sleep); __kprobe_state() is for the
 * callbacks of kprobes_for_each(), which hold it.
 */
unsigned long kprobe_state(const struct kprobe *p);
unsigned long __kprobe_state(const struct kprobe *p);
/* The slot address of @p's copy, or 0 (emulated, ftrace). */
unsigned long kprobe_slot_address(const struct kprobe *p);
/* The detour of @p's optimized point, or 0 (not optimized). Same context. */
unsigned long kprobe_detour_address(const struct kprobe *p);

/* ---- kretprobes: a handler when the probed function returns ---- */

#include <trace/rethook.h>

struct kretprobe;

/* One call in flight: the rethook node, then data_size bytes for the owner. */
struct kretprobe_instance {
	struct rethook_node node;	/* first: rethook frees nodes by address */
	struct kretprobe *rp;
	unsigned long ret_addr;		/* the real one; set just before handler runs */
	char data[];
};

typedef int (*kretprobe_handler_t)(struct kretprobe_instance *ri, struct pt_regs *regs);

/*
 * handler runs at the return, with regs->ax the return value; with
 * entry_args set, kretprobe_entry_arg() gives the arguments as they were
 * at entry (without, nothing keeps them: six stores a call saved).
 * entry_handler (optional) runs at entry; non-zero skips this call's return.
 */
struct kretprobe {
	struct kprobe kp;		/* at the function's entry */
	kretprobe_handler_t handler;
	kretprobe_handler_t entry_handler;
	int maxactive;			/* calls in flight at once; 0: the default */
	unsigned long nmissed;		/* entries with no free instance, returns
					 * met inside another probe's handler */
	size_t data_size;
	bool entry_args;		/* keep the arguments for kretprobe_entry_arg() */
	struct rethook *rh;		/* private */
};

#define KRETPROBE_MAXACTIVE_DEFAULT	10	/* Linux's: max(10, 2 * CPUs) */

/**
 * register_kretprobe - hook every return of the function @rp->kp names
 *
 * The probe must be at the function's entry (offset 0). Returns 0, the
 * errors of register_kprobe(), -EINVAL (not at the entry), or -ENOMEM.
 * Context: task, may sleep.
 */
int register_kretprobe(struct kretprobe *rp);
/* Stop; returns still pending finish without calling handler. Returns
 * once no handler of @rp runs on any CPU (@rp may be freed). May sleep. */
void unregister_kretprobe(struct kretprobe *rp);

/* Is @p the entry probe of a kretprobe (shown as 'r' in kprobes/list)? */
bool kprobe_is_return(const struct kprobe *p);

/* From the return handler: argument @n (1-based, up to 6) at entry; 0
 * unless the kretprobe has entry_args set. */
static inline unsigned long kretprobe_entry_arg(const struct kretprobe_instance *ri, unsigned n)
{
	return rethook_entry_arg(&ri->node, n);
}

/*
 * The real return address of this call (the caller), from its handler.
 * Not simply the node's: when another return hook (an fprobe, a second
 * kretprobe) took this return first, the node saved that one's trampoline.
 * rethook found the real one on the shadow stack for this very return and
 * handed it to us (rethook_handler_t's @ret_addr), so this is one load.
 */
static inline unsigned long kretprobe_ret_addr(const struct kretprobe_instance *ri)
{
	return ri->ret_addr;
}

#endif /* TRACE_KPROBES_H */
