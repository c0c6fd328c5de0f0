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

struct kprobe;
struct pt_regs;

/* Return non-zero if the handler changed regs->ip: the probed instruction
 * is then skipped and execution resumes at regs->ip. */
typedef int (*kprobe_pre_handler_t)(struct kprobe *p, struct pt_regs *regs);
typedef void (*kprobe_post_handler_t)(struct kprobe *p, struct pt_regs *regs,
				      unsigned long flags);

enum {
	KPROBE_FLAG_DISABLED	= 1 << 0,	/* registered but not firing */
	KPROBE_FLAG_FTRACE	= 1 << 1,	/* on an fentry site, via ftrace */
	KPROBE_FLAG_BOOSTED	= 1 << 2,	/* runs its copy without a trap */
	KPROBE_FLAG_OPTIMIZED	= 1 << 3,	/* jump-optimized */
	KPROBE_FLAG_EMULATED	= 1 << 4,	/* its instruction is emulated */
	KPROBE_FLAG_IPMODIFY	= 1 << 5,	/* its handler may change regs->ip */
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
	unsigned long nhit;
	void *data;			/* for the owner */

	/* private to kprobes */
	struct kprobe_point *point;
	struct kprobe *next;		/* on the same point (RCU) */
	struct list_head list;		/* all registered probes */
};

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

/* The probe running on this CPU, or NULL (handlers run with it set). */
struct kprobe *kprobe_running(void);

/* Walk registered probes (the debugfs list), under the kprobes mutex. */
void kprobes_for_each(void (*fn)(struct kprobe *p, void *arg), void *arg);
/* The slot address of @p's copy, or 0 (emulated, ftrace). */
unsigned long kprobe_slot_address(const struct kprobe *p);

#endif /* TRACE_KPROBES_H */
