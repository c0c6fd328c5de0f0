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
struct event_filter;
struct trigger_set;
struct filter_ctx;

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
 *
 * An event records while it is enabled (its enable file's 1). Its probe
 * is armed while it records or a trigger needs it (Linux's "soft mode",
 * shown as 0* or 1* in the enable file): one of its own triggers, which
 * fire even while it does not record, or an enable_event/disable_event
 * trigger of another event that switches it.
 */
struct probe_event {
	struct list_head list;
	const struct probe_event_ops *ops;
	struct probe_def *def;		/* kmalloc'd, owned */
	struct probe_event *leader;	/* NULL: this one leads */
	u32 id;				/* in records; never reused */
	bool armed;			/* this point's probe is enabled */
	struct pcpu_counter nhit;	/* records attempted, per CPU */
	/*
	 * The leader's alone, for every point. What decides whether a hit
	 * may take the short way (trace/probe_record.h) is a byte each -
	 * each written on its own, by whoever changes it - and read as the
	 * one word gate: the usual hit (enabled, no filter, no triggers)
	 * tests once. has_filter and has_triggers are set after filter and
	 * triggers are published, cleared before they are taken away.
	 */
	union {
		struct {
			bool enabled;		/* records (triggers may switch it) */
			bool has_filter;	/* filter is set */
			bool has_triggers;	/* triggers is set */
		};
		u32 gate;
	};
	int soft_refs;			/* triggers, function commands that keep it armed */
	struct event_filter *filter;	/* RCU; records it refuses are dropped */
	struct trigger_set *triggers;	/* RCU; its triggers (event_trigger.c) */
	struct pfs_node *dir;		/* events/GROUP/EVENT */
};

/* The point that leads @ev's event (owns its files, filter and triggers). */
static inline struct probe_event *probe_event_lead(struct probe_event *ev)
{
	return ev->leader ? ev->leader : ev;
}

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

/* The gate of an event that records with nothing to look at first (a
 * constant the compiler folds: enabled alone set). */
#define PROBE_GATE_OPEN	(((const struct probe_event){ .enabled = true }).gate)

/*
 * The hit path is trace/probe_record.h: probe_event_record_entry() and
 * probe_event_record_return(), inlined into each kind's handler. This is
 * the way it takes when something must be looked at first (a pid list, a
 * filter, triggers, the stacktrace option, an argument that is not a
 * plain register, the event off): the whole of it, out of line.
 * @ip:     the probe's address (a return event: the function's)
 * @ret_ip: a return event: the caller it returns to; else 0
 *
 * Context: probe handlers (any context; preemption off); lock-free.
 */
void probe_event_record_checked(struct probe_event *ev, const struct probe_fetch_ctx *ctx,
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

/*
 * Soft mode (Linux's SOFT_MODE): triggers and function commands keep an
 * event armed while they may fire on it or switch it; it records only
 * while enabled. probe_event_hold(@lead, 1) holds it armed, -1 lets go
 * (the last one disarms it unless it records). Tree lock held. Returns 0
 * or the arming's error (then nothing changed).
 */
int probe_event_hold(struct probe_event *lead, int delta);

/* Switch whether @lead's event records, without arming or disarming it:
 * for an event held in soft mode (enable_event, disable_event). Any
 * context. */
static inline void probe_event_soft_switch(struct probe_event *lead, bool on)
{
	WRITE_ONCE(lead->enabled, on);
}

/* Is @ev (a point of an event) recording now: armed, and its event on? */
static inline bool probe_event_records(const struct probe_event *ev)
{
	const struct probe_event *lead = ev->leader ? ev->leader : ev;

	return ev->armed && READ_ONCE(lead->enabled);
}

/* How many times the event @group/@name was hit (for bench). May sleep. */
unsigned long probe_event_hits(const char *group, const char *name);

/* Switch events on and off: one (@ev leads it: every point), every event
 * of @group, or all (NULL). Returns 0 or the first error (the others are
 * still switched). */
int probe_event_enable(struct probe_event *ev, bool on);
/* Arm or disarm the points of @lead's event as its state asks (enabled,
 * or soft_refs); after a change to either. Returns 0 or the error. */
int probe_event_sync(struct probe_event *lead);
/* The leader of the event @group/@name, or NULL (tree lock held). */
struct probe_event *probe_event_find(const char *group, const char *name);
/* The leader after @prev (NULL: the first) whose group is @group (NULL:
 * any); NULL at the end. Tree lock held. */
struct probe_event *probe_event_next_lead(struct probe_event *prev, const char *group);
/* The point of @lead's event after @prev (NULL: the first); NULL at the
 * end. Tree lock held. */
struct probe_event *probe_event_next_point(struct probe_event *lead, struct probe_event *prev);
#define PROBE_GROUP_MAX_EVENTS	256	/* a group filter's reach */
/* Log a refused write in error_log and print it on the console. */
void probe_event_log_error(const char *loc, const char *cmd, int pos, const char *reason);
int probe_events_enable_group(const char *group, bool on);
/* '0', '1', or 'X' (some of each) for @group, or all (NULL). */
char probe_events_group_state(const char *group);

/* ---- filters (probe_event_filter.c) and triggers (event_trigger.c) ---- */

/* The error_log location of a filter's errors, as Linux's. */
#define PROBE_FILTER_ERRLOG	"event filter parse error"

/**
 * probe_event_filter_compile - compile @text against @lead's fields
 * @out: on success, a kmalloc'd filter
 * @log: on failure, log the error (error_log and console) for @text
 *
 * Returns 0, -EINVAL (a bad filter) or -ENOMEM. Context: task.
 */
int probe_event_filter_compile(struct probe_event *lead, const char *text,
			       struct event_filter **out, bool log);
/* The filter files' operations: events/GROUP/EVENT/filter (data: the
 * leader) and events/GROUP/filter (data: the group's name). */
extern const struct pfs_file_ops probe_filter_ops, probe_group_filter_ops;
/* Free @lead's filter and triggers, when the event goes (nothing runs it). */
void probe_event_filter_free(struct probe_event *lead);

/* events/GROUP/EVENT/trigger (data: the leader). */
extern const struct pfs_file_ops event_trigger_ops;
/* Where a trigger fired: what a stacktrace trigger walks from. */
struct trigger_hit {
	struct pt_regs *regs;
	unsigned long ip;		/* the probed address (return events: where to) */
	bool at_entry;			/* at a function's first byte (its caller at sp) */
};
/* Which triggers of @ts fire for the record @rec of @len bytes: a mask
 * (bit i: the i-th); those without a filter always do. Probe context. */
u32 event_triggers_test(const struct trigger_set *ts, const void *rec, size_t len,
			const struct filter_ctx *fctx);
/* Fire the triggers of @ts in @mask. Probe context. */
void event_triggers_fire(const struct trigger_set *ts, u32 mask, const struct trigger_hit *hit);
#define EVENT_TRIGGERS_ALL	(~0u)
/* Do the triggers of @ts test a filter (then they need the record)? */
bool event_triggers_need_record(const struct trigger_set *ts);
void event_trigger_free_all(struct probe_event *lead);

/* events/ directories (probe_event_files.c); tree lock held. */
int probe_event_files_add(struct probe_event *ev);
void probe_event_files_remove(struct probe_event *ev);	/* and events/GROUP after its last */
/* events/GROUP/EVENT of @lead act on @heir, another point of the event,
 * from now on (tree lock held). */
void probe_event_files_pass(struct probe_event *lead, struct probe_event *heir);
void probe_event_files_init(struct pfs_node *tracefs);

/* error_log (trace_errlog.c): remember a refused command, Linux's format. */
void trace_errlog_add(const char *loc, const char *cmd, int pos, const char *reason);
void trace_errlog_print(struct seq_out *s, const char *loc, const char *cmd, int pos,
			const char *reason);
void trace_errlog_init(struct pfs_node *tracefs);

#endif /* TRACE_PROBE_EVENTS_H */
