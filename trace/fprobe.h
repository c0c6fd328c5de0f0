/* SPDX-License-Identifier: MIT */
/*
 * fprobe: entry and exit handlers on many functions at once.
 *
 * An fprobe is one ftrace_ops (its entry side, on the fentry sites of the
 * functions it names) plus, when it has an exit handler, one rethook whose
 * pool of nodes carries each call from entry to return. It is Linux's
 * fprobe with one addition: the exit handler can read the function's
 * arguments as they were at entry (fprobe_entry_arg()), as the rethook
 * node keeps the argument registers - if the fprobe asks for it with
 * FPROBE_FL_ENTRY_ARGS (six stores on every call otherwise saved).
 *
 *   static struct fprobe fp = { .entry_handler = on_entry,
 *                               .exit_handler = on_exit,
 *                               .entry_data_size = sizeof(u64) };
 *   register_fprobe(&fp, "fib", NULL);
 *   ...
 *   unregister_fprobe(&fp);
 */
#ifndef TRACE_FPROBE_H
#define TRACE_FPROBE_H

#include <trace/ftrace.h>
#include <lib/atomic.h>
#include <lib/types.h>

struct fprobe;
struct pt_regs;
struct rethook;

/**
 * fprobe_entry_cb - called at the entry of a probed function
 * @fp:         the fprobe
 * @entry_ip:   the function's address (its fentry site)
 * @ret_ip:     where the function will return to
 * @regs:       registers at entry (arguments in di, si, dx, cx, r8, r9)
 * @entry_data: @fp->entry_data_size bytes of per-call data, handed to the
 *              exit handler; NULL when entry_data_size is 0 or there is no
 *              exit handler (as on Linux)
 *
 * Returns 0, or non-zero to skip the exit handler for this call.
 * Not called for a call counted in nmissed (re-entered, or, with an exit
 * handler, no free rethook node): entries and exits stay paired.
 * Context: preemption off; must not sleep; notrace.
 */
typedef int (*fprobe_entry_cb)(struct fprobe *fp, unsigned long entry_ip,
			       unsigned long ret_ip, struct pt_regs *regs,
			       void *entry_data);

/**
 * fprobe_exit_cb - called when a probed function returns
 * @fp, @entry_ip, @entry_data: as at entry
 * @ret_ip:  the real return address
 * @regs:    registers at the return: regs->ax is the return value
 *
 * Here @entry_data is never NULL (it may point at zero bytes): it also
 * identifies the call, so fprobe_entry_arg(entry_data, n) gives the
 * function's arguments as they were at entry.
 * Context: preemption off; must not sleep; notrace.
 */
typedef void (*fprobe_exit_cb)(struct fprobe *fp, unsigned long entry_ip,
			       unsigned long ret_ip, struct pt_regs *regs,
			       void *entry_data);

/* fprobe::flags */
#define FPROBE_FL_DISABLED	 0x1	/* registered, handlers not called */
#define FPROBE_FL_KPROBE_SHARED	 0x2	/* Linux's "skip while a kprobe is handled
					 * here": every fprobe does (probe_guard.h) */
#define FPROBE_FL_ENTRY_ARGS	 0x4	/* keep the arguments for fprobe_entry_arg()
					 * (Loupe's; set before registering) */

/**
 * struct fprobe - entry and exit probes on a set of functions
 * @ops:             the ftrace_ops of the entry side (private)
 * @nmissed:         calls not handled: hit inside a probe handler, or no
 *                   free rethook node
 * @flags:           FPROBE_FL_*
 * @rethook:         the exit side's rethook (private), NULL without
 *                   exit_handler
 * @entry_data_size: bytes of per-call data from entry to exit
 * @nr_maxactive:    rethook nodes; 0: functions x possible CPUs x 2
 * @entry_handler:   may be NULL
 * @exit_handler:    may be NULL
 */
struct fprobe {
	struct ftrace_ops ops;
	unsigned long nmissed;
	unsigned int flags;
	struct rethook *rethook;
	size_t entry_data_size;
	int nr_maxactive;
	fprobe_entry_cb entry_handler;
	fprobe_exit_cb exit_handler;
	const char *name;	/* for /proc/PID/rethook ("fprobe NAME"), or NULL */
};

/**
 * register_fprobe - probe the functions matching @filter but not @notfilter
 * @filter:    glob(s) of function names, space-separated
 * @notfilter: globs to leave out, or NULL
 *
 * Returns 0; -ENOENT if nothing traceable matches; -EEXIST if @fp is
 * registered already; -EINVAL (no handler); -ENOMEM; -EBUSY. On an error
 * nothing stays patched and nothing stays allocated.
 * Context: task, may sleep.
 */
int register_fprobe(struct fprobe *fp, const char *filter, const char *notfilter);

/* The same, on @num fentry-site addresses (function addresses). */
int register_fprobe_ips(struct fprobe *fp, unsigned long *addrs, int num);

/* The same, on @num names (sorted here, resolved through kallsyms and the
 * fentry records); an unknown or untraceable name fails it all: -ENOENT. */
int register_fprobe_syms(struct fprobe *fp, const char **syms, int num);

/* Stop; when it returns no handler of @fp runs any more. May sleep.
 * Returns 0, or -EINVAL if @fp is not registered. */
int unregister_fprobe(struct fprobe *fp);

/* Is @fp registered (its entry side live, enabled or not)? */
static inline bool fprobe_is_registered(const struct fprobe *fp)
{
	return fp->ops.flags & FTRACE_OPS_FL_ENABLED;
}

/*
 * fprobe_next_function - walk the functions a registered @fp probes
 * @pos: cursor, 0 to start
 * @ip:  set to the next function's address (its fentry site)
 *
 * Returns false at the end. In address order. Context: task, with @fp
 * neither registering nor unregistering meanwhile.
 */
bool fprobe_next_function(const struct fprobe *fp, unsigned *pos, unsigned long *ip);

/* How many functions a registered @fp probes (0 if it is not registered). */
unsigned fprobe_nr_functions(const struct fprobe *fp);

static inline bool fprobe_disabled(const struct fprobe *fp)
{
	return fp->flags & FPROBE_FL_DISABLED;
}

static inline void disable_fprobe(struct fprobe *fp)
{
	fetch_or_relaxed(&fp->flags, FPROBE_FL_DISABLED);
}

static inline void enable_fprobe(struct fprobe *fp)
{
	fetch_and_relaxed(&fp->flags, ~FPROBE_FL_DISABLED);
}

/**
 * fprobe_entry_arg - from an exit handler: the @n-th argument (1-based,
 * x86-64 calling convention, up to 6) as it was at the function's entry
 * @entry_data: the exit handler's entry_data argument
 *
 * Valid only inside an exit handler of an fprobe with an exit_handler;
 * returns 0 for @n out of range, and without FPROBE_FL_ENTRY_ARGS.
 */
unsigned long fprobe_entry_arg(const void *entry_data, unsigned n);

#endif
