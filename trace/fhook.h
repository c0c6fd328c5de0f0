/* SPDX-License-Identifier: MIT */
/*
 * Function hooks over ftrace: make calls to a kernel function run a
 * replacement instead, which may still call the original.
 *
 * Each struct fhook names a function and its replacement. Installing
 * resolves the name, points *orig at the original's body just past its
 * fentry site (so calling it does not loop back into the hook), and
 * registers an ftrace_ops (SAVE_REGS | IPMODIFY) whose callback moves
 * regs->ip to the replacement. A table is checked, then installed whole
 * or not at all, and removed in the reverse order.
 *
 * fhook_disable() switches every hook off (originals run) without
 * unregistering; fhook_enable() back on. A replacement brackets its body
 * with fhook_enter() and fhook_exit(), so removal can wait until none is
 * still running.
 */
#ifndef TRACE_FHOOK_H
#define TRACE_FHOOK_H

#include <trace/ftrace.h>

struct fhook {
	const char *name;		/* the function to hook */
	void *replacement;
	void *orig;			/* out: call this to run the original */
	unsigned long address;		/* out: the function's address */
	struct ftrace_ops ops;		/* private */
};

/**
 * fhook_install - hook every function of @hooks
 *
 * Returns 0; -EINVAL, with nothing hooked, if @hooks is NULL or an entry
 * has no name or no replacement; or the first error of hooking (-ENOENT:
 * no such traceable function, -EBUSY: already redirected by someone else
 * ...), with the hooks done so far removed again. Context: task, may sleep.
 */
int fhook_install(struct fhook *hooks, size_t n);

/* Unhook them all, last first, then wait until no replacement is running.
 * May sleep. */
void fhook_remove(struct fhook *hooks, size_t n);

/* The global switch: while disabled, hooked calls run the original. On
 * at boot. Context: any. */
void fhook_enable(void);
void fhook_disable(void);
bool fhook_is_enabled(void);

void fhook_enter(void);
void fhook_exit(void);
/* Replacements running now, on any CPU. */
long fhook_in_flight(void);

#endif
