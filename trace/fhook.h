/* SPDX-License-Identifier: MIT */
/*
 * Function hooks over ftrace: make calls to a kernel function run a
 * replacement instead, which may still call the original.
 *
 * Each struct fhook names a function and its replacement. Installing
 * resolves the name, points *orig at the original's body just past its
 * fentry site (so calling it does not loop back into the hook), and
 * registers an ftrace_ops (SAVE_REGS | IPMODIFY) whose callback moves
 * regs->ip to the replacement. A table is installed whole or not at all.
 *
 * fhook_enabled switches every hook off (originals run) without
 * unregistering. A replacement brackets its body with fhook_enter() and
 * fhook_exit(), so removal can wait until none is still running.
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

extern bool fhook_enabled;

/**
 * fhook_install - hook every function of @hooks
 *
 * Returns 0, or the first error (-ENOENT: no such traceable function,
 * -EBUSY: already redirected by someone else ...), with the hooks done
 * so far removed again. Context: task, may sleep.
 */
int fhook_install(struct fhook *hooks, size_t n);

/* Unhook them all, then wait until no replacement is running. May sleep. */
void fhook_remove(struct fhook *hooks, size_t n);

void fhook_enter(void);
void fhook_exit(void);
/* Replacements running now, on any CPU. */
long fhook_in_flight(void);

#endif
