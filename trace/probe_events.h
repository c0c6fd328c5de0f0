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
	bool enabled;
	struct pcpu_counter nhit;	/* records attempted, per CPU */
	struct pfs_node *dir;		/* events/GROUP/EVENT (the leader's) */
};

/*
 * What a probe event records into the trace buffer: Linux's layout, so
 * that the offsets events/GROUP/EVENT/format gives are the record's own.
 * The common type is the event's id; after the head come the arguments
 * (the argument area of trace/probe.h), then - Loupe's, not described in
 * format - a u32 mask of the arguments whose memory faulted, then the
 * task's name (trace/trace.h).
 *
 *	p: and f:		ent, __probe_ip			args from 16
 *	r: and f:...%return	ent, __probe_func, __probe_ret_ip	args from 24
 */
struct probe_entry {
	struct trace_entry ent;
	unsigned long ip;		/* the probed address / function */
	unsigned long ret_ip;		/* return events only: where it returned to */
};

/* Where the arguments start in a record of @def. */
static inline size_t probe_entry_head(const struct probe_def *def)
{
	return probe_def_is_return(def) ? sizeof(struct probe_entry) :
	       __builtin_offsetof(struct probe_entry, ret_ip);
}

/* The highest id an event can have: records keep it in a u16. */
#define PROBE_EVENT_ID_MAX	0xffff

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
