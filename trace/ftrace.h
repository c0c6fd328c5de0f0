/* SPDX-License-Identifier: MIT */
/*
 * ftrace: calling a callback at the start of any traced function.
 *
 * gcc puts a 5-byte `call __fentry__` first in every traced function and
 * records each site in __mcount_loc. At boot ftrace checks every site and
 * turns it into a NOP. A struct ftrace_ops names a callback and the
 * functions it wants (a filter, minus a notrace set); registering it
 * patches exactly the sites whose state changes, in one text_poke_bp batch:
 *
 *	no ops on a site	NOP
 *	one ops			call that ops' own trampoline (a copy of
 *				ftrace_caller or ftrace_regs_caller that calls
 *				its callback directly)
 *	several			call the list trampoline, which runs every ops
 *				whose filter matches
 */
#ifndef TRACE_FTRACE_H
#define TRACE_FTRACE_H

#include <asm/ftrace.h>
#include <lib/types.h>
#include <lib/list.h>
#include <lib/compiler.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>

struct pt_regs;
struct ftrace_ops;

/*
 * The callback. @ip is the traced function's address (its fentry site),
 * @parent_ip the address it will return to. Without FTRACE_OPS_FL_SAVE_REGS
 * @regs is partial: only ax, cx, dx, si, di, r8-r11 (the arguments), ip, sp,
 * bp and flags are valid. Runs with preemption off; must not sleep.
 */
typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *op, struct pt_regs *regs);

enum {
	FTRACE_OPS_FL_SAVE_REGS	= 1 << 0,	/* wants a full pt_regs */
	FTRACE_OPS_FL_IPMODIFY	= 1 << 1,	/* may change regs->ip: one per function */
	FTRACE_OPS_FL_RECURSION	= 1 << 2,	/* ftrace guards against re-entry */
	FTRACE_OPS_FL_ENABLED	= 1 << 8,	/* registered (set by ftrace) */
};

/*
 * A set of function addresses, sorted. Published with rcu_assign_pointer()
 * and never changed afterwards: an update builds a new set, publishes it,
 * waits a grace period and frees the old one, so the list trampoline can
 * read sets with no lock. NULL is the empty set; an empty filter means
 * every function.
 */
struct ftrace_hash {
	unsigned count;
	unsigned long ips[];
};

struct ftrace_ops {
	ftrace_func_t func;
	unsigned long flags;
	void *private;
	struct ftrace_hash *filter_hash;
	struct ftrace_hash *notrace_hash;
	/* private to ftrace */
	struct list_head list;
	void *trampoline;		/* this ops' own copy, or NULL */
	unsigned long sites;		/* sites that call it now */
};

/* Patch every recorded fentry site into a NOP (boot, once). */
void ftrace_init(void);
bool ftrace_is_enabled(void);

/**
 * register_ftrace_function - start calling @ops->func on its functions
 *
 * Returns 0, -EBUSY (another IPMODIFY ops already on one of them, or ftrace
 * disabled), -EEXIST (already registered), -ENOMEM or -EINVAL.
 * Context: task, may sleep.
 */
int register_ftrace_function(struct ftrace_ops *ops);
/* Stop; when it returns no CPU runs @ops->func any more. May sleep. */
int unregister_ftrace_function(struct ftrace_ops *ops);

/**
 * ftrace_set_filter - choose @ops's functions by glob, name or address
 * @buf: a glob (*, ?, [...]), a function name, or an address (0x...);
 *       a leading '!' removes the matches instead
 * @reset: empty the set first
 *
 * Returns 0, or -EINVAL if nothing traceable matches (the set is left as
 * it was). If @ops is registered its sites are updated. May sleep.
 */
int ftrace_set_filter(struct ftrace_ops *ops, const char *buf, bool reset);
int ftrace_set_notrace(struct ftrace_ops *ops, const char *buf, bool reset);
/**
 * ftrace_set_filter_list - ftrace_set_filter() for each blank-separated
 * pattern of @list, as one change (set_ftrace_filter's write)
 * @reset: empty the set first; with an empty @list, only that
 *
 * Returns 0; -EINVAL if a pattern matches nothing, or -ENOMEM, and then
 * the set is as it was: no pattern before the bad one took effect.
 * May sleep.
 */
int ftrace_set_filter_list(struct ftrace_ops *ops, const char *list, bool reset);
int ftrace_set_notrace_list(struct ftrace_ops *ops, const char *list, bool reset);
int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, bool remove, bool reset);
/**
 * ftrace_set_filter_ips - add @n functions to @ops's filter by address
 * @ips:   fentry sites (function addresses), in any order, duplicates allowed
 * @reset: empty the set first
 *
 * One update however many addresses (ftrace_set_filter_ip() is one each).
 * Returns 0, -EINVAL if @n is 0, -ENOENT if an address is not a fentry
 * site (nothing changes), or -ENOMEM. May sleep.
 */
int ftrace_set_filter_ips(struct ftrace_ops *ops, const unsigned long *ips, unsigned n,
			  bool reset);
/* Release the memory of @ops's sets (after unregistering). */
void ftrace_free_filter(struct ftrace_ops *ops);

/**
 * ftrace_hash_edit - a new set made from @old by a list of patterns
 * @list:  blank-separated globs, names or addresses, as set_ftrace_filter
 *         takes them; a leading '!' removes what the pattern names
 * @reset: start from the empty set instead of @old
 * @strict_remove: a '!' pattern must remove something in the set
 *
 * For sets that are not an ops' filter (set_graph_function). @old is only
 * read. Returns 0 and the new set in @out (NULL: empty; the caller
 * publishes and frees it), or -EINVAL (a pattern named nothing) or
 * -ENOMEM, and then @out is untouched. May sleep.
 */
int ftrace_hash_edit(const struct ftrace_hash *old, const char *list, bool reset,
		     bool strict_remove, struct ftrace_hash **out);
/* Is @ip in @h (NULL: the empty set)? Any context, no locks. */
bool ftrace_hash_contains(const struct ftrace_hash *h, unsigned long ip);

/* Does @ops want @ip (its filter contains it, or is empty, and its notrace
 * set does not)? */
bool ftrace_ops_test(const struct ftrace_ops *ops, unsigned long ip);

/* The fentry site of the function containing @addr, or 0 if untraceable. */
unsigned long ftrace_location(unsigned long addr);

/* Iterate traceable functions: fills *ip, returns false at the end. */
bool ftrace_rec_ip(unsigned i, unsigned long *ip);
unsigned ftrace_rec_count(void);
/* The pages the site records take (dyn_ftrace_total_info). */
unsigned ftrace_rec_pages(void);

/* For enabled_functions: what calls the site at @ip now. */
#define FTRACE_SITE_FUNCS	4
struct ftrace_site_info {
	unsigned nr_ops;
	bool regs, ipmodify;
	unsigned long target;		/* 0: NOP */
	bool touched;			/* ever patched to call something */
	ftrace_func_t func;		/* the callback, when one ops has the site */
	ftrace_func_t funcs[FTRACE_SITE_FUNCS];	/* the first ops' callbacks */
};
void ftrace_site_info(unsigned i, struct ftrace_site_info *info);
/* The same for the site at @ip (`dis`); false if @ip is no fentry site. */
bool ftrace_site_info_at(unsigned long ip, struct ftrace_site_info *info);

/* ---- function_graph's return stack ---- */

struct task_struct;
/* A new task: give it a return stack if function_graph is running. */
void ftrace_graph_init_task(struct task_struct *t);
/* The real return address behind @addr, read from the stack slot @slot
 * of task @t, if @addr is the function_graph return trampoline. */
unsigned long ftrace_graph_ret_addr(struct task_struct *t, unsigned long addr, unsigned long slot);

/* One function_graph frame of a task, as /proc/PID/graph_stack shows it. */
struct graph_snap_entry {
	unsigned long func;		/* the traced function */
	unsigned long ret;		/* its real return address */
	unsigned long fp;		/* where that address sat on the stack */
	u64 calltime;			/* trace_clock_ns() at entry */
};

/**
 * ftrace_graph_task_snapshot - copy @t's function_graph frames, newest first
 *
 * Returns how many frames are pending (may be more than @max, of which
 * @max are copied), or -EBUSY unless @t is current or held off its CPU
 * (sched_call_held()). Context: the caller keeps @t alive.
 */
int ftrace_graph_task_snapshot(struct task_struct *t, struct graph_snap_entry *out, unsigned max);

/* ---- recursion protection (per task and context) ---- */

/*
 * One bit per context: normal, softirq, irq, NMI (the int3/#DB path too),
 * in two sets. The list trampoline's loop takes a bit of the first set;
 * a callback that guards itself (ftrace_test_recursion_trylock(), or
 * FTRACE_OPS_FL_RECURSION on its own trampoline) takes one of the
 * second. So a self-guarding callback still runs when it shares its site
 * with other ops and is reached through the list, and a traced call from
 * inside either is still refused.
 *
 * These are inline because they run twice on every hit of an fprobe
 * (entry and exit): under QEMU's TCG each call's RET is an indirect jump,
 * which costs a lookup of the translated code, and the bodies are a few
 * instructions. Every user is notrace already.
 */
#define TRACE_LIST_BITS		0
#define TRACE_CALLBACK_BITS	4

static __always_inline int ftrace_context_bit(void)
{
	unsigned pc = preempt_count();

	if (pc & NMI_MASK)
		return 3;
	if (pc & HARDIRQ_MASK)
		return 2;
	return (pc & SOFTIRQ_MASK) ? 1 : 0;
}

/* Take bit @base + this context's, or return -1 if it is taken already. */
static __always_inline int ftrace_recursion_trylock(int base)
{
	struct task_struct *t = current;
	int bit = base + ftrace_context_bit();

	if (!t || (t->trace_recursion & (1UL << bit)))
		return -1;
	t->trace_recursion |= 1UL << bit;
	barrier();
	return bit;
}

/* Returns the bit taken, or -1 if this context is already inside tracing. */
static __always_inline int ftrace_test_recursion_trylock(void)
{
	return ftrace_recursion_trylock(TRACE_CALLBACK_BITS);
}

static __always_inline void ftrace_test_recursion_unlock(int bit)
{
	barrier();
	current->trace_recursion &= ~(1UL << bit);
}

/* ---- the arch half ---- */

/* Does the site hold the expected `call __fentry__`? */
bool arch_ftrace_site_ok(unsigned long ip);
/* The callback of the list trampolines (ftrace_caller and its regs twin):
 * runs every live ops that wants @ip. */
void ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *op,
			  struct pt_regs *regs);

/* The bytes a site should hold to call @target, or a NOP for 0. */
void arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 insn[MCOUNT_INSN_SIZE]);
/* A copy of the (regs) trampoline that calls @func with @ops; NULL on failure. */
void *arch_ftrace_create_trampoline(struct ftrace_ops *ops, ftrace_func_t func, bool regs);
/* Free it once no task is inside (no site may call it any more). May sleep. */
void arch_ftrace_free_trampoline(void *tramp);
/* Make each site @ips[i] call @targets[i] (0: NOP), in one batch. Sorted. */
int arch_ftrace_update_sites(const unsigned long *ips, const unsigned long *targets, unsigned n);
/* Sites rewritten since boot (each NOP<->call or retarget counts one). */
extern u64 ftrace_sites_patched;
/* The shared list trampolines. */
unsigned long arch_ftrace_list_caller(bool regs);
/* Where a function traced by function_graph returns (ftrace_64.S): it
 * calls ftrace_return_to_handler() for the real return address. Only its
 * address is used. */
extern char return_to_handler[];

#endif /* TRACE_FTRACE_H */
