/* SPDX-License-Identifier: MIT */
/*
 * The arch contract of kprobes: what the generic code (trace/kprobes.c,
 * kprobes_opt.c, kprobe_slots.c) and its arch half (arch/x86/kprobes/)
 * share. The probe point (one per probed address) and the walks that run
 * its handlers, which the arch's trap hooks call; the arch_* functions the
 * generic code calls, which a second architecture would define; and the
 * instruction-slot allocator the arch's copies live in. The arch's own
 * types (struct arch_kprobe) and trap hooks are in asm/kprobes.h.
 */
#ifndef TRACE_KPROBES_ARCH_H
#define TRACE_KPROBES_ARCH_H

#include <trace/kprobes.h>
#include <trace/ftrace.h>
#include <trace/probe_guard.h>
#include <asm/kprobes.h>
#include <kernel/rcu.h>
#include <lib/compiler.h>

struct kprobe_point {
	unsigned long addr;
	struct kprobe_point *hnext;	/* hash chain (RCU) */
	struct kprobe *probes;		/* RCU list of the probes here */
	bool armed;
	bool on_ftrace;			/* fires through ftrace, not int3 */
	bool boosted;			/* a copy that jumps back: no trap */
	bool optimized;			/* a jmp to the detour replaces the int3 */
	bool via_detour;		/* int3 hits go to the detour (while patching) */
	bool opt_queued;		/* waiting for the optimizer thread */
	bool has_post;			/* some probe here has a post_handler */
	struct list_head opt_node;
	struct arch_kprobe arch;
};

/* ---- run the probes of a point (generic, called by the arch) ---- */

#define KPROBE_HASH_BITS	6
#define KPROBE_TABLE_SIZE	(1 << KPROBE_HASH_BITS)

/* Probe points by address: RCU-read on hits, written under kprobe_mutex. */
extern struct kprobe_point *kprobe_table[KPROBE_TABLE_SIZE];

static __always_inline unsigned kprobe_hash(unsigned long addr)
{
	return (addr ^ (addr >> KPROBE_HASH_BITS) ^ (addr >> 12)) & (KPROBE_TABLE_SIZE - 1);
}

/*
 * The lookup and the handler walks run on every hit, so they are inline:
 * under QEMU's TCG each call and return on the hit path is a lookup of
 * the next translated block, dearer than these few instructions.
 */

/* The point armed at @addr (RCU read side), or NULL. */
static __always_inline struct kprobe_point *kprobe_point_lookup(unsigned long addr)
{
	struct kprobe_point *pt = rcu_dereference(kprobe_table[kprobe_hash(addr)]);

	for (; pt; pt = rcu_dereference(pt->hnext))
		if (pt->addr == addr && pt->armed)
			return pt;
	return NULL;
}

/*
 * Every enabled probe's pre_handler; true if one changed regs->ip. The
 * caller found the probe guard free; each handler runs holding it with
 * its own kprobe (kprobe_running()), and the caller releases it when the
 * hit is over.
 */
static __always_inline bool kprobe_point_pre(struct kprobe_point *pt, struct pt_regs *regs)
{
	struct kprobe *p;

	for (p = rcu_dereference(pt->probes); p; p = rcu_dereference(p->next)) {
		if (p->flags & KPROBE_FLAG_DISABLED)
			continue;
		pcpu_counter_inc(&p->nhit);
		probe_guard_set(p);
		if (p->pre_handler && p->pre_handler(p, regs))
			return true;
	}
	return false;
}

/* Every enabled probe's post_handler, each holding the guard as above. */
static __always_inline void kprobe_point_post(struct kprobe_point *pt, struct pt_regs *regs)
{
	struct kprobe *p;

	for (p = rcu_dereference(pt->probes); p; p = rcu_dereference(p->next)) {
		if (!(p->flags & KPROBE_FLAG_DISABLED) && p->post_handler) {
			probe_guard_set(p);
			p->post_handler(p, regs, 0);
		}
	}
}

bool kprobe_point_has_post(const struct kprobe_point *pt);
/* A hit while a probe was already running on this CPU: count it missed. */
void kprobe_point_missed(struct kprobe_point *pt);

/* ---- the arch half ---- */

/* Decode and check the instruction at pt->addr; fill pt->arch. 0 or -errno
 * (-EOPNOTSUPP for instructions that cannot be probed). */
int arch_prepare_kprobe(struct kprobe_point *pt);
/* The next original instruction: where the copy's jmp returns. */
unsigned long arch_kprobe_resume_addr(const struct kprobe_point *pt);
/* Write the copy and its jmp back into pt->arch's slot (a single-step
 * never reaches the jmp). 0, -ERANGE (data out of a disp32's reach) or
 * text_poke()'s error. */
int arch_prepare_slot(struct kprobe_point *pt);
void arch_arm_kprobe(struct kprobe_point *pt);
void arch_disarm_kprobe(struct kprobe_point *pt);
/* Can the instruction run from its copy with a jump back (no trap)? */
bool arch_kprobe_boostable(const struct kprobe_point *pt);
/* Jump optimization (arch/x86/kprobes/opt.c); @probed says whether an
 * address has a probe of its own. */
bool arch_can_optimize(struct kprobe_point *pt, bool (*probed)(unsigned long addr));
int arch_prepare_optimized(struct kprobe_point *pt);
void arch_optimize(struct kprobe_point *pt);
void arch_unoptimize(struct kprobe_point *pt);
void arch_free_optimized(struct kprobe_point *pt);
/* Does @pt have a detour whose jmp back lands inside (start, end)? Then
 * *@detour is its code. */
struct code_range;
bool arch_detour_returns_into(const struct kprobe_point *pt, unsigned long start,
			      unsigned long end, struct code_range *detour);

/* Does the instruction end on a boundary, decoding from @func? */
bool arch_kprobe_on_boundary(unsigned long func, unsigned long addr);

/* A probe on a fentry site fires through ftrace: the ftrace_ops callback
 * (arch/x86/kprobes/core.c), as an int3 hit would run it. */
void kprobe_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			   struct ftrace_ops *ops, struct pt_regs *regs);

/* What arch_recover_text() found patched (and undid), one bit each. */
enum {
	TEXT_PATCH_KPROBE	= 1 << 0,	/* a kprobe's int3 */
	TEXT_PATCH_OPTPROBE	= 1 << 1,	/* an optimized kprobe's jmp */
	TEXT_PATCH_FTRACE	= 1 << 2,	/* an fentry site's call (ftrace) */
};

/**
 * arch_recover_text - read kernel text as it was before any patch
 * @addr: where to read; @buf, @len: what to fill
 * @patched: if not NULL, set to the TEXT_PATCH_* kinds that were undone
 *
 * Every reader that decodes kernel text uses this, never the live bytes:
 * another probe's int3 or jmp would split its decoding. Fentry sites read
 * as their NOP. Returns 0, or -EFAULT if the text cannot be read.
 * Context: task or interrupts off (takes no lock; RCU read side inside).
 */
int arch_recover_text(unsigned long addr, u8 *buf, size_t len, unsigned *patched);

/* What dis says about a kprobe's patch at an address (kprobes/describe.c). */
enum kprobe_patch_note {
	KPROBE_NOTE_NONE,	/* no kprobe patch here */
	KPROBE_NOTE_INT3,	/* a probe's int3 over this instruction */
	KPROBE_NOTE_JMP,	/* an optimized probe's jmp starts here */
	KPROBE_NOTE_COVERED,	/* inside such a jmp, which starts before */
};

/**
 * arch_kprobe_patch_note - whose kprobe patch is at @addr, in words
 * @buf, @size: "int3 of kprobe fib+0x13 [BOOSTED]", "kprobe fib+0x5
 *	[OPTIMIZED]", "replaced by the jump of kprobe fib+0x5 [OPTIMIZED]"
 *
 * Returns the kind of patch; @buf is filled unless KPROBE_NOTE_NONE.
 * Context: task or interrupts off (RCU read side inside).
 */
enum kprobe_patch_note arch_kprobe_patch_note(unsigned long addr, char *buf, size_t size);

/**
 * arch_kprobe_code_note - what the instruction at @addr in a kprobe's
 * run-time code does: "copy of fib+0x13 ...", "detour: save the registers
 * ...", "relocated from fib+0x5 ...", "jump back to fib+0xa ..."
 *
 * Returns the note's length, 0 if @addr is in no slot or detour.
 * Context: task (reads the code without faulting; takes no lock).
 */
int arch_kprobe_code_note(unsigned long addr, char *buf, size_t size);

/* ---- instruction slots (trace/kprobe_slots.c) ---- */

#define KPROBE_SLOT_SIZE	32	/* longest instruction + a jmp rel32 */

/* A used slot for the probe at @owner, whose jmp will return to @resume
 * (the next original instruction), or NULL. Named "kprobe_insn_slot" while
 * used (kernel/kallsyms_code.c). May sleep. */
void *kprobe_slot_alloc(unsigned long owner, unsigned long resume);
/* The slot turns dirty; reclaimed once no task is inside (kprobe_slots_gc). */
void kprobe_slot_free(void *slot);
/* Reclaim dirty slots no task is inside; free empty pages but one. May sleep. */
void kprobe_slots_gc(void);
/* Add to @c every used or dirty slot whose jmp returns inside (start,
 * end): a task in one would land there. 0 or -ENOMEM. May sleep. */
struct code_ranges;
int kprobe_slots_returning_into(unsigned long start, unsigned long end, struct code_ranges *c);
struct kprobe_slot_stats {
	unsigned pages, used, dirty, clean;
};
void kprobe_slot_stats(struct kprobe_slot_stats *st);

#endif
