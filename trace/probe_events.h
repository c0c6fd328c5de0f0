/* SPDX-License-Identifier: MIT */
/*
 * Dynamic probe events, the kernel half: the list of events that
 * kprobe_events and dynamic_events create, each with its files under
 * events/GROUP/EVENT/, recording into the trace buffer while enabled.
 *
 * An event is a struct probe_event embedded in its kind's own struct
 * (trace_kprobe.c: a kretprobe; trace_fprobe.c: an fprobe), which the
 * kind's struct probe_event_ops allocates, registers and switches. The
 * probe is registered (disabled) when the event is created, so a bad
 * address fails the command at once, as on Linux; enabling it arms it.
 *
 * Locking: commands and file writes run under the pseudo-file tree lock
 * (they are file callbacks); the list itself is guarded by
 * probe_events_lock() as well, for trace_pipe's printer, which runs
 * without the tree lock. Handlers take no lock: an event is freed only
 * after its probe is unregistered, when no handler can run it any more.
 */
#ifndef TRACE_PROBE_EVENTS_H
#define TRACE_PROBE_EVENTS_H

#include <trace/probe.h>
#include <trace/trace.h>
#include <lib/list.h>
#include <kernel/percpu_counter.h>

struct probe_event;
struct pfs_node;

struct probe_event_ops {
	const char *subsystem;		/* error_log's location: trace_kprobe ... */
	struct probe_event *(*alloc)(void);
	/* Would reg() take @def? Its checks, nothing registered: a write
	 * refuses a bad command before it changes anything. 0 or -errno. */
	int (*check)(const struct probe_def *def);
	/* Register the probe, disabled. 0 or the probe API's -errno. */
	int (*reg)(struct probe_event *ev);
	void (*unreg)(struct probe_event *ev);	/* no handler runs after it */
	int (*enable)(struct probe_event *ev, bool on);
	unsigned long (*nmissed)(const struct probe_event *ev);
	void (*free)(struct probe_event *ev);
};

/*
 * One probe point of an event. An event with several points (Linux's
 * multi-probe events, trace/probe_multi.c) is several of these with one
 * name: the first made leads - it owns events/GROUP/EVENT, whose files
 * act on every point - and the others point to it and share its id.
 */
struct probe_event {
	struct list_head list;
	const struct probe_event_ops *ops;
	struct probe_def *def;		/* kmalloc'd, owned */
	struct probe_event *leader;	/* NULL: this one leads */
	u32 id;				/* in records; never reused */
	bool enabled;			/* armed: its probe is registered and on */
	/*
	 * Soft mode (the leader's): function commands enable_event and
	 * disable_event hold the event armed (soft_refs of them) and switch
	 * only whether it records; its enable file then shows 0* or 1*.
	 */
	unsigned soft_refs;
	bool soft_disabled;		/* armed, but records nothing */
	struct pcpu_counter nhit;	/* records attempted, per CPU */
	struct pfs_node *dir;		/* events/GROUP/EVENT (the leader's) */
};

/* What a probe event records into the trace buffer (TRACE_PROBE). */
struct probe_entry {
	struct trace_entry ent;
	u32 id;				/* probe_event::id */
	u32 faults;			/* arguments that printed (fault) */
	unsigned long ip;		/* the probed address / function */
	unsigned long ret_ip;		/* return events: where it returned to */
	u8 data[];			/* the argument area (trace/probe.h) */
};

/**
 * probe_event_record - the hit path: fetch the arguments and record
 * @ip:     the probe's address (a return event: the function's)
 * @ret_ip: a return event: the caller it returns to; else 0
 *
 * Context: probe handlers (any context; preemption off); lock-free.
 */
void probe_event_record(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
			unsigned long ip, unsigned long ret_ip);

/* The kinds of events, by command. */
extern const struct probe_event_ops trace_kprobe_ops;
extern const struct probe_event_ops trace_fprobe_ops;

/* Create kprobe_events, dynamic_events, kprobe_profile, error_log, events/. */
void probe_events_init(void);
/* Register the printer of TRACE_PROBE records (probe_record.c). */
void probe_record_init(void);

/* For the printer: the list lock and a lookup by id (lock held). */
void probe_events_lock(void);
void probe_events_unlock(void);
struct probe_event *probe_event_find_id(u32 id);

/* The event @group/@name (its leader), or NULL. Tree lock held. */
struct probe_event *probe_event_lookup(const char *group, const char *name);

/*
 * Soft mode, for function commands (trace/ftrace_func_cmds.c). Get: the
 * event is armed and held so (refused removal while held); it records
 * only if it was enabled already. Put: the last one disarms it again
 * unless it records now. Tree lock held. Get returns 0 or the arming's
 * error.
 */
int probe_event_soft_get(struct probe_event *ev);
void probe_event_soft_put(struct probe_event *ev);

/* An event in soft mode starts (@on) or stops recording. Any context. */
static inline void probe_event_soft_switch(struct probe_event *ev, bool on)
{
	WRITE_ONCE(ev->soft_disabled, !on);
}

/* Is @ev (a point of an event) recording now: armed, not soft-disabled? */
static inline bool probe_event_records(const struct probe_event *ev)
{
	const struct probe_event *lead = ev->leader ? ev->leader : ev;

	return ev->enabled && !READ_ONCE(lead->soft_disabled);
}

/* How many times the event @group/@name was hit (for bench). May sleep. */
unsigned long probe_event_hits(const char *group, const char *name);

/* Switch events on and off: one (@ev leads it: every point), every event
 * of @group, or all (NULL). Returns 0 or the first error (the others are
 * still switched). */
int probe_event_enable(struct probe_event *ev, bool on);
int probe_events_enable_group(const char *group, bool on);
/* '0', '1', or 'X' (some of each) for @group, or all (NULL). */
char probe_events_group_state(const char *group);

/* events/ directories (probe_event_files.c); tree lock held. */
int probe_event_files_add(struct probe_event *ev);
void probe_event_files_remove(struct probe_event *ev);	/* and events/GROUP after its last */
void probe_event_files_init(struct pfs_node *tracefs);

/* error_log (trace_errlog.c): remember a refused command, Linux's format. */
void trace_errlog_add(const char *loc, const char *cmd, int pos, const char *reason);
void trace_errlog_print(struct seq_out *s, const char *loc, const char *cmd, int pos,
			const char *reason);
void trace_errlog_init(struct pfs_node *tracefs);

#endif /* TRACE_PROBE_EVENTS_H */
