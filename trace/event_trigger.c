// SPDX-License-Identifier: MIT
/*
 * Event triggers: events/GROUP/EVENT/trigger, Linux's commands that run
 * when the event is hit -
 *
 *	traceon, traceoff		switch recording (tracing_on) on or off
 *	stacktrace			record a backtrace (<stack trace>, => lines)
 *	enable_event:GROUP:EVENT	make another event record
 *	disable_event:GROUP:EVENT	make it stop
 *
 * each with an optional :COUNT (fire at most that many times; what is
 * left shows in `cat trigger`) and "if FILTER" (fire only for records
 * that pass it, trace/event_filter.h). "!COMMAND" removes one. An event
 * has one trace on/off trigger, one stacktrace and one enable/disable per
 * target, as on Linux: a second is refused (EEXIST).
 *
 * A trigger keeps its event's probe armed even while the event does not
 * record (its enable file shows 0*), and so does an enable_event or
 * disable_event trigger for its target; such events cannot be removed
 * until the trigger goes.
 *
 * The triggers of an event are an array published under RCU: the handler
 * (event_triggers_fire(), probe context) reads it without a lock; a write
 * builds a new array, publishes it and frees the old after a grace
 * period. This file runs in probe handlers: it is notrace and in
 * .kprobes.text (trace/build.mk).
 */
#include <trace/probe_events.h>
#include <trace/event_filter.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nofault.h>
#include <kernel/pseudofs.h>
#include <kernel/rcu.h>
#include <kernel/stacktrace.h>
#include <asm/ptrace.h>
#include <lib/atomic.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define TRIGGER_MAX		8	/* triggers on one event */
#define TRIGGER_ERRLOG		"event trigger"	/* Loupe's: Linux logs only filters */
#define TRIGGER_UNLIMITED	(-1L)

enum trigger_kind {
	TRIGGER_TRACEON, TRIGGER_TRACEOFF, TRIGGER_STACKTRACE, TRIGGER_ENABLE, TRIGGER_DISABLE,
};

static const char *const trigger_names[] = {
	[TRIGGER_TRACEON] = "traceon", [TRIGGER_TRACEOFF] = "traceoff",
	[TRIGGER_STACKTRACE] = "stacktrace", [TRIGGER_ENABLE] = "enable_event",
	[TRIGGER_DISABLE] = "disable_event",
};

struct event_trigger {
	u8 kind;			/* enum trigger_kind */
	long count;			/* firings left; TRIGGER_UNLIMITED */
	struct event_filter *filter;	/* NULL: every hit */
	struct probe_event *target;	/* enable/disable: the event it switches */
};

struct trigger_set {
	int n;
	bool need_record;		/* some trigger tests a filter */
	struct event_trigger *t[TRIGGER_MAX];
};

/* ---- at a hit ---- */

/* Take one firing from @t's count; false if none is left. Lock-free. */
static bool take_count(struct event_trigger *t)
{
	long c = smp_load_relaxed(&t->count);

	do {
		if (c == TRIGGER_UNLIMITED)
			return true;
		if (c <= 0)
			return false;
	} while (!try_cmpxchg_relaxed(&t->count, &c, c - 1));
	return true;
}

/* Fire @t unless its action would change nothing (then its count stays, as Linux). */
static void fire(struct event_trigger *t, const struct trigger_hit *hit)
{
	bool on;

	switch (t->kind) {
	case TRIGGER_TRACEON:
	case TRIGGER_TRACEOFF:
		on = t->kind == TRIGGER_TRACEON;
		if (ring_buffer_record_is_on(trace_buffer) == on || !take_count(t))
			return;
		if (on)
			ring_buffer_record_on(trace_buffer);
		else
			ring_buffer_record_off(trace_buffer);
		return;
	case TRIGGER_STACKTRACE:
		if (take_count(t))
			trace_record_hit_stack(hit->regs, hit->ip, hit->at_entry);
		return;
	case TRIGGER_ENABLE:
	case TRIGGER_DISABLE:
		/* The target is armed while this trigger exists: a flag is enough. */
		on = t->kind == TRIGGER_ENABLE;
		if (READ_ONCE(t->target->enabled) != on && take_count(t))
			WRITE_ONCE(t->target->enabled, on);
		return;
	}
}

/*
 * Test each trigger's filter against the record the event would write
 * (built in per-CPU scratch even when the event does not record). When
 * a filter needs the record, the triggers are tested on it and fired
 * after it is committed; triggers without filters fire before the record
 * is made (probe_record.c). Probe context, lock-free: @ts is the RCU-read
 * array.
 */
u32 event_triggers_test(const struct trigger_set *ts, const void *rec, size_t len,
			const struct filter_ctx *fctx)
{
	u32 mask = 0;
	int i;

	for (i = 0; i < ts->n; i++)
		if (!ts->t[i]->filter || event_filter_match(ts->t[i]->filter, rec, len, fctx))
			mask |= 1u << i;
	return mask;
}

/* Probe context. Without a trace buffer (not allocated yet) there is
 * nothing to switch or record into. */
void event_triggers_fire(const struct trigger_set *ts, u32 mask, const struct trigger_hit *hit)
{
	int i;

	if (!trace_buffer)
		return;
	for (i = 0; i < ts->n; i++)
		if (mask & (1u << i))
			fire(ts->t[i], hit);
}

/* Without a filter the triggers fire even when the event records
 * nothing: the hit path skips building the record for them. */
bool event_triggers_need_record(const struct trigger_set *ts)
{
	return ts->need_record;
}

/* ---- the trigger file ---- */

/* Log a refused trigger command (error_log, console); returns @err. */
static int refuse(const char *cmd, int pos, const char *reason, int err)
{
	probe_event_log_error(TRIGGER_ERRLOG, cmd, pos, reason);
	return err;
}

/* A parsed command: what to add or remove. */
struct trigger_cmd {
	bool remove;
	u8 kind;
	long count;
	struct probe_event *target;
	const char *filter_text;	/* after "if ", in the command's copy */
	int filter_pos;			/* where it starts in the command */
};

/* The trigger_kind named by @len bytes at @word, or -1. */
static int find_kind(const char *word, size_t len)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(trigger_names); k++)
		if (strlen(trigger_names[k]) == len && !strncmp(trigger_names[k], word, len))
			return (int)k;
	return -1;
}

/* GROUP:EVENT at @s (enable_event/disable_event); returns its length, or -EINVAL. */
static int parse_target(const char *cmd, const char *s, struct trigger_cmd *tc)
{
	char group[PROBE_NAME_LEN], event[PROBE_NAME_LEN];
	const char *colon = strchr(s, ':'), *end;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(group))
		return refuse(cmd, (int)(s - cmd), "Give the event: GROUP:EVENT", -EINVAL);
	end = colon + 1;
	while (*end && *end != ':' && *end != ' ' && *end != '\t')
		end++;
	if (end == colon + 1 || (size_t)(end - colon - 1) >= sizeof(event))
		return refuse(cmd, (int)(colon + 1 - cmd), "Give the event: GROUP:EVENT", -EINVAL);
	memcpy(group, s, colon - s);
	group[colon - s] = '\0';
	memcpy(event, colon + 1, end - colon - 1);
	event[end - colon - 1] = '\0';
	tc->target = probe_event_find(group, event);
	if (!tc->target)
		return refuse(cmd, (int)(s - cmd), "No such event", -EINVAL);
	return (int)(end - s);
}

/* [:COUNT] at @s; returns its length, or -EINVAL. */
static int parse_count(const char *cmd, const char *s, struct trigger_cmd *tc)
{
	char num[24];
	size_t len = 0;
	unsigned long n;

	tc->count = TRIGGER_UNLIMITED;
	if (*s != ':')
		return 0;
	while (s[1 + len] && s[1 + len] != ' ' && s[1 + len] != '\t')
		len++;
	if (!len || len >= sizeof(num))
		return refuse(cmd, (int)(s + 1 - cmd), "Invalid count", -EINVAL);
	memcpy(num, s + 1, len);
	num[len] = '\0';
	if (kstrtoul(num, 0, &n) || (long)n < 0)
		return refuse(cmd, (int)(s + 1 - cmd), "Invalid count", -EINVAL);
	tc->count = (long)n;
	return (int)(1 + len);
}

/*
 * [!]COMMAND[:GROUP:EVENT][:COUNT] [if FILTER] into @tc. @cmd is the
 * command trimmed, NUL-terminated. Returns 0 or -EINVAL (logged).
 */
static int parse_command(const char *cmd, struct trigger_cmd *tc)
{
	const char *s = cmd, *word;
	int k, n;

	memset(tc, 0, sizeof(*tc));
	tc->remove = *s == '!';
	s += tc->remove;
	word = s;
	while (*s && *s != ':' && *s != ' ' && *s != '\t')
		s++;
	k = find_kind(word, s - word);
	if (k < 0)
		return refuse(cmd, (int)(word - cmd), *cmd ? "Unknown trigger command" :
			      "No trigger command", -EINVAL);
	tc->kind = (u8)k;
	if (k == TRIGGER_ENABLE || k == TRIGGER_DISABLE) {
		if (*s != ':')
			return refuse(cmd, (int)(s - cmd), "Give the event: GROUP:EVENT", -EINVAL);
		n = parse_target(cmd, s + 1, tc);
		if (n < 0)
			return n;
		s += 1 + n;
	}
	if (tc->remove)
		return 0;	/* as Linux: a count or filter after !COMMAND is ignored */
	n = parse_count(cmd, s, tc);
	if (n < 0)
		return n;
	s += n;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	if (strncmp(s, "if", 2) || (s[2] != ' ' && s[2] != '\t'))
		return refuse(cmd, (int)(s - cmd), "Expected [:COUNT] [if FILTER]", -EINVAL);
	s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	tc->filter_text = s;
	tc->filter_pos = (int)(s - cmd);
	return 0;
}

/* Are @a and @b of one kind for Linux: one trace on/off, one stacktrace,
 * one enable/disable per target? */
static bool same_class(const struct event_trigger *a, u8 kind, const struct probe_event *target)
{
	bool onoff_a = a->kind == TRIGGER_TRACEON || a->kind == TRIGGER_TRACEOFF;
	bool onoff_b = kind == TRIGGER_TRACEON || kind == TRIGGER_TRACEOFF;
	bool ev_a = a->kind == TRIGGER_ENABLE || a->kind == TRIGGER_DISABLE;
	bool ev_b = kind == TRIGGER_ENABLE || kind == TRIGGER_DISABLE;

	if (onoff_a || onoff_b)
		return onoff_a && onoff_b;
	if (ev_a || ev_b)
		return ev_a && ev_b && a->target == target;
	return a->kind == kind;
}

/* The index in @ts (may be NULL) of the trigger of @kind's class, or -1. */
static int find_class(const struct trigger_set *ts, u8 kind, const struct probe_event *target)
{
	int i;

	for (i = 0; ts && i < ts->n; i++)
		if (same_class(ts->t[i], kind, target))
			return i;
	return -1;
}

/*
 * Publish a copy of @lead's triggers with @add appended, or without index
 * @drop; the old array is freed after a grace period. Returns 0 or -ENOMEM.
 */
static int publish(struct probe_event *lead, struct event_trigger *add, int drop)
{
	struct trigger_set *old = lead->triggers, *ts = NULL;
	int i, n = old ? old->n : 0;

	if (add || n > 1) {
		ts = kzalloc(sizeof(*ts));
		if (!ts)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			if (i != drop)
				ts->t[ts->n++] = old->t[i];
		if (add)
			ts->t[ts->n++] = add;
		for (i = 0; i < ts->n; i++)
			ts->need_record |= ts->t[i]->filter != NULL;
	}
	if (!ts)
		WRITE_ONCE(lead->has_triggers, false);	/* before they go */
	rcu_assign_pointer(lead->triggers, ts);
	if (ts)
		WRITE_ONCE(lead->has_triggers, true);	/* once they are there */
	synchronize_rcu();	/* no handler looks at the old array now */
	kfree(old);
	return 0;
}

/* Free a trigger no handler can see any more (after publish()). */
static void free_trigger(struct event_trigger *t)
{
	kfree(t->filter);
	kfree(t);
}

/*
 * Add the trigger @tc describes. It holds its event armed (soft mode),
 * and an enable/disable trigger holds its target too, so that firing is
 * just a flag write. Returns 0; -EINVAL (bad filter), -EEXIST (one of
 * its class is there), -ENOSPC (TRIGGER_MAX reached), each logged; or
 * -ENOMEM or the arming error. On error nothing is held or published.
 * Tree lock held; sleeps (a grace period).
 */
static int add_trigger(struct probe_event *lead, const struct trigger_cmd *tc, const char *cmd)
{
	const struct trigger_set *ts = lead->triggers;
	struct event_trigger *t = kzalloc(sizeof(*t));
	int err;

	if (!t)
		return -ENOMEM;
	t->kind = tc->kind;
	t->count = tc->count;
	t->target = tc->target;
	/* The filter first, as Linux: a bad one is its error, whatever else. */
	err = tc->filter_text ?
	      probe_event_filter_compile(lead, tc->filter_text, &t->filter, true) : 0;
	if (err)
		goto err_free;
	err = -EEXIST;
	if (find_class(ts, tc->kind, tc->target) >= 0) {
		refuse(cmd, 0, "The event has a trigger of this kind already", err);
		goto err_free;
	}
	err = -ENOSPC;
	if (ts && ts->n >= TRIGGER_MAX) {
		refuse(cmd, 0, "Too many triggers on this event", err);
		goto err_free;
	}
	err = probe_event_hold(lead, 1);
	if (err)
		goto err_free;
	err = t->target ? probe_event_hold(t->target, 1) : 0;
	if (err)
		goto err_lead;
	err = publish(lead, t, -1);
	if (err)
		goto err_target;
	return 0;

err_target:
	if (t->target)
		probe_event_hold(t->target, -1);
err_lead:
	probe_event_hold(lead, -1);
err_free:
	free_trigger(t);
	return err;
}

/* Remove the trigger of @tc's class, if there is one (Linux: no error if not). */
static int remove_trigger(struct probe_event *lead, const struct trigger_cmd *tc)
{
	int i = find_class(lead->triggers, tc->kind, tc->target), err;
	struct event_trigger *t;

	if (i < 0)
		return 0;
	t = lead->triggers->t[i];
	err = publish(lead, NULL, i);
	if (err)
		return err;
	if (t->target)
		probe_event_hold(t->target, -1);
	probe_event_hold(lead, -1);
	free_trigger(t);
	return 0;
}

/*
 * The trigger file's write: one command, blanks around it cut. `>` and
 * `>>` act alike: a write adds or removes one trigger and the others
 * stay. Tree lock held.
 */
static int trigger_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	struct probe_event *lead = data;
	struct trigger_cmd tc;
	char *cmd;
	int err;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	while (len && isspace((unsigned char)*text))
		text++, len--;
	cmd = kmemdup_nul(text, len);
	if (!cmd)
		return -ENOMEM;
	err = parse_command(cmd, &tc);
	if (!err)
		err = tc.remove ? remove_trigger(lead, &tc) : add_trigger(lead, &tc, cmd);
	kfree(cmd);
	return err;
}

/* One trigger as Linux lists it: traceoff:unlimited, stacktrace:count=2 if n == 3. */
static void show_trigger(struct seq_out *s, const struct event_trigger *t)
{
	long count = smp_load_relaxed(&t->count);

	seq_puts(s, trigger_names[t->kind]);
	if (t->target)
		seq_printf(s, ":%s:%s", t->target->def->group, t->target->def->event);
	if (count == TRIGGER_UNLIMITED)
		seq_puts(s, ":unlimited");
	else
		seq_printf(s, ":count=%ld", count);
	if (t->filter)
		seq_printf(s, " if %s", t->filter->text);
	seq_puts(s, "\n");
}

/* The triggers in the order they were added, or, with none, the list of
 * commands Linux prints. Tree lock held, so the array cannot change. */
static int trigger_show(struct seq_out *s, void *data)
{
	const struct probe_event *lead = data;
	const struct trigger_set *ts = lead->triggers;
	int i;

	if (!ts) {
		seq_puts(s, "# Available triggers:\n"
			    "# traceon traceoff stacktrace enable_event disable_event\n");
		return 0;
	}
	/* Newest first: Linux adds each trigger at the head of its list. */
	for (i = ts->n - 1; i >= 0; i--)
		show_trigger(s, ts->t[i]);
	return 0;
}

const struct pfs_file_ops event_trigger_ops = { .show = trigger_show, .write = trigger_write };

/* Called when @lead's event is destroyed (tree lock held, its probe
 * unregistered), so no handler reads the array. */
void event_trigger_free_all(struct probe_event *lead)
{
	struct trigger_set *ts = lead->triggers;
	int i;

	/* Only an event without triggers can go (it would be armed), so
	 * this finds none; it is here so that nothing could leak. */
	lead->has_triggers = false;
	lead->triggers = NULL;
	for (i = 0; ts && i < ts->n; i++)
		free_trigger(ts->t[i]);
	kfree(ts);
}

