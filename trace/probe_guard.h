/* SPDX-License-Identifier: MIT */
/*
 * The recursion guard every probe path shares: one per-CPU pointer, the
 * kprobe whose handler runs on this CPU (Linux's current_kprobe).
 *
 * A handler may call a probed function, or read kernel memory through a
 * probed helper, or write an event whose ring-buffer reserve reads a
 * probed clock. If that nested hit ran its handlers too, a handler would
 * run inside a handler: a kretprobe on a function the handler calls
 * recurses until the stack overflows, and two event writers that keep
 * moving the ring buffer's tail under each other never finish. So every
 * way a probe can fire - int3 (pre and post), a kprobe on an fentry site,
 * an optimized probe's detour, a kretprobe's entry and its return from
 * the rethook trampoline, an fprobe's entry and exit - first looks at the
 * guard: if it is taken, the hit is counted in the probe's nmissed and
 * nothing else happens. In particular a kretprobe or fprobe entry that
 * misses hooks no return, so no return handler can later run inside a
 * handler either, and its return is not counted a second time.
 *
 * kprobe_running() reads the guard. Kprobe handlers and a kretprobe's
 * return handler hold it with their own kprobe, as on Linux; fprobe
 * handlers, which have no kprobe, hold it with kprobe_busy.
 *
 * The guard is per CPU, so its holder must not move: every path takes it
 * with preemption (or interrupts) off. An interrupt that arrives while a
 * handler holds it finds it taken, and its probes are missed, as on Linux.
 * Taking it is a load, a test and a store: inline on the hit paths.
 */
#ifndef TRACE_PROBE_GUARD_H
#define TRACE_PROBE_GUARD_H

#include <asm/percpu.h>
#include <lib/compiler.h>

struct kprobe;

DECLARE_PER_CPU(struct kprobe *, current_kprobe);

/* The holder for handlers that have no kprobe of their own (fprobe). */
extern struct kprobe kprobe_busy;

/* Is a probe handler running on this CPU? */
static __always_inline bool probe_guard_taken(void)
{
	return this_cpu_read(current_kprobe) != NULL;
}

/* Hand the guard to @p (the caller found it free, or already holds it). */
static __always_inline void probe_guard_set(struct kprobe *p)
{
	this_cpu_write(current_kprobe, p);
}

static __always_inline void probe_guard_release(void)
{
	this_cpu_write(current_kprobe, (struct kprobe *)NULL);
}

/* Take the guard for @p; false, with nothing changed, if it is taken. */
static __always_inline bool probe_guard_try(struct kprobe *p)
{
	if (unlikely(probe_guard_taken()))
		return false;
	probe_guard_set(p);
	return true;
}

#endif /* TRACE_PROBE_GUARD_H */
