// SPDX-License-Identifier: MIT
/*
 * The filter files of probe events:
 *
 *	events/GROUP/EVENT/filter	the event records only what passes it
 *	events/GROUP/filter		set the same filter on every event of
 *					the group that has the fields it names
 *
 * Writing a filter (trace/event_filter.h's language) compiles it against
 * the event's fields - those its format file lists, and comm and cpu -
 * and installs it; `0` removes it; `cat` shows it, or "none". A filter
 * that does not compile is refused with Linux's error_log entry ("event
 * filter parse error", the message and a caret under the mistake), and,
 * unlike Linux, which drops the event's filter then, the old filter stays:
 * a refused write changes nothing.
 *
 * Handlers read an event's filter under RCU (they run with preemption
 * off): a new one is published, then the old one freed after a grace
 * period.
 */
#include <trace/probe_events.h>
#include <trace/event_filter.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/pseudofs.h>
#include <kernel/rcu.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Linux's message for a group filter that fits none of its events. */
#define FERR_BAD_SUBSYS_FILTER	"Couldn't find or set field in one of a subsystem's events"

#define MAX_FIELDS	(4 + 2 + PROBE_MAX_ARGS + 6)

/* Append a numeric field @name of @size bytes at @off in the record. */
static void add_num(struct filter_field *f, int *n, const char *name, u16 off, u8 size, bool sign)
{
	f[(*n)++] = (struct filter_field){ .name = name, .kind = FILTER_FIELD_NUM, .size = size,
					   .is_signed = sign, .offset = off };
}

/* An argument's field: as its format line says. */
static void add_arg(struct filter_field *f, int *n, const struct probe_arg *a, u16 head)
{
	struct filter_field *fl = &f[(*n)++];

	*fl = (struct filter_field){ .name = a->name, .size = a->type.size,
				     .is_signed = a->type.kind == PROBE_TYPE_S,
				     .offset = (u16)(head + a->offset) };
	if (a->type.count) {
		fl->kind = FILTER_FIELD_OTHER;		/* u8[4], string[2]: not comparable */
	} else if (a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR) {
		fl->kind = FILTER_FIELD_STRLOC;
		fl->loc_base = head;	/* string offsets count from the arguments */
	} else {
		fl->kind = FILTER_FIELD_NUM;
	}
}

/* The fields a filter of @def may name, into @f; returns how many. */
static int event_fields(const struct probe_def *def, struct filter_field *f)
{
	static const char *const comm_names[] = { "comm", "COMM", "common_comm" };
	static const char *const cpu_names[] = { "cpu", "CPU", "common_cpu" };
	u16 head = (u16)probe_entry_head(def);
	int n = 0, i;

	add_num(f, &n, "common_type", 0, 2, false);
	add_num(f, &n, "common_flags", 2, 1, false);
	add_num(f, &n, "common_preempt_count", 3, 1, false);
	add_num(f, &n, "common_pid", 4, 4, true);
	if (probe_def_is_return(def)) {
		add_num(f, &n, "__probe_func", __builtin_offsetof(struct probe_entry, ip), 8, false);
		add_num(f, &n, "__probe_ret_ip", __builtin_offsetof(struct probe_entry, ret_ip), 8, false);
	} else {
		add_num(f, &n, "__probe_ip", __builtin_offsetof(struct probe_entry, ip), 8, false);
	}
	for (i = 0; i < def->nargs; i++)
		add_arg(f, &n, &def->args[i], head);
	for (i = 0; i < 3; i++) {
		f[n++] = (struct filter_field){ .name = comm_names[i], .kind = FILTER_FIELD_COMM };
		f[n++] = (struct filter_field){ .name = cpu_names[i], .kind = FILTER_FIELD_CPU,
						.size = 4 };
	}
	return n;
}

/*
 * Compile @text against @lead's fields into a new filter *@out (the
 * caller publishes or frees it). Returns 0, -ENOMEM, or -EINVAL after
 * logging the caret in error_log when @log is set (a group write tries
 * each event quietly first). Tree lock held.
 */
int probe_event_filter_compile(struct probe_event *lead, const char *text,
			       struct event_filter **out, bool log)
{
	struct filter_field fields[MAX_FIELDS];
	struct event_filter *f = kzalloc(sizeof(*f));
	struct filter_error ferr;
	int err;

	if (!f)
		return -ENOMEM;
	err = event_filter_parse(text, fields, event_fields(lead->def, fields), f, &ferr);
	if (err) {
		if (log)
			probe_event_log_error(PROBE_FILTER_ERRLOG, text, ferr.pos, ferr.reason);
		kfree(f);
		return err;
	}
	*out = f;
	return 0;
}

/* "0" (and blanks): the write that removes a filter. */
static bool is_clear(const char *text, size_t len)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	while (len && (*text == ' ' || *text == '\t'))
		text++, len--;
	return len == 1 && *text == '0';
}

/* A write's text without its trailing newline, NUL-terminated
 * (kmalloc'd), or NULL. */
static char *copy_text(const char *text, size_t len)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (len >= FILTER_TEXT_MAX)
		len = FILTER_TEXT_MAX;	/* the parser says it is too long */
	return kmemdup_nul(text, len);
}

/* Put @f in place of @lead's filter; the old one is freed after a grace period. */
static void swap_filter(struct probe_event *lead, struct event_filter *f)
{
	struct event_filter *old = lead->filter;

	if (!f)
		WRITE_ONCE(lead->has_filter, false);	/* before it goes */
	rcu_assign_pointer(lead->filter, f);
	if (f)
		WRITE_ONCE(lead->has_filter, true);	/* once it is there */
	if (old) {
		synchronize_rcu();	/* no handler is running it any more */
		kfree(old);
	}
}

/* ---- events/GROUP/EVENT/filter ---- */

static int filter_show(struct seq_out *s, void *data)
{
	const struct probe_event *lead = data;

	seq_printf(s, "%s\n", lead->filter ? lead->filter->text : "none");
	return 0;
}

/*
 * events/GROUP/EVENT/filter: "0" removes the filter, anything else
 * replaces it if it compiles; `>>` is no different, as on Linux, where
 * a filter is one expression. Returns 0, -EINVAL or -ENOMEM; a refused
 * filter leaves the old one. Tree lock held; sleeps (a grace period).
 */
static int filter_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	struct probe_event *lead = data;
	struct event_filter *f = NULL;
	char *s;
	int err;

	if (is_clear(text, len)) {
		swap_filter(lead, NULL);
		return 0;
	}
	s = copy_text(text, len);
	if (!s)
		return -ENOMEM;
	err = probe_event_filter_compile(lead, s, &f, true);
	kfree(s);
	if (!err)
		swap_filter(lead, f);
	return err;
}

const struct pfs_file_ops probe_filter_ops = { .show = filter_show, .write = filter_write };

/* ---- events/GROUP/filter ---- */

/* What Linux's group filter file says: it keeps no filter of its own. */
static int group_filter_show(struct seq_out *s, void *data __always_unused)
{
	seq_puts(s, "### global filter ###\n"
		    "# Use this to set filters for multiple events.\n"
		    "# Only events with the given fields will be affected.\n"
		    "# If no events are modified, an error message will be displayed here\n");
	return 0;
}

/* The leaders of @group's events into @evs (at most @max); how many. */
static int collect_group(const char *group, struct probe_event **evs, int max)
{
	struct probe_event *ev = NULL;
	int n = 0;

	while (n < max && (ev = probe_event_next_lead(ev, group)))
		evs[n++] = ev;
	return n;
}

/*
 * Compile @text for each of the @n events @evs into @fs (NULL where it
 * does not compile). Returns how many compiled, or -ENOMEM.
 */
static int compile_each(const char *text, struct probe_event **evs, struct event_filter **fs,
			int n)
{
	int ok = 0, i, err;

	for (i = 0; i < n; i++) {
		err = probe_event_filter_compile(evs[i], text, &fs[i], false);
		if (err == -ENOMEM)
			return err;
		ok += !err;
	}
	return ok;
}

/* Fits none of the group's events: say why for the first, or that there is none. */
static void log_group_error(struct probe_event **evs, int n, const char *text)
{
	struct event_filter *f;

	if (n && probe_event_filter_compile(evs[0], text, &f, true) == -EINVAL)
		return;
	probe_event_log_error(PROBE_FILTER_ERRLOG, text, 0, FERR_BAD_SUBSYS_FILTER);
}

/*
 * events/GROUP/filter: every event the filter compiles for gets it, the
 * others keep theirs; "0" clears them all. -EINVAL (logged) when it fits
 * no event of the group, -ENOMEM; else 0. Tree lock held; sleeps.
 */
static int group_filter_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	struct probe_event **evs = kcalloc(PROBE_GROUP_MAX_EVENTS, sizeof(*evs));
	struct event_filter **fs = kcalloc(PROBE_GROUP_MAX_EVENTS, sizeof(*fs));
	bool clear = is_clear(text, len);
	char *s = copy_text(text, len);
	int n = 0, ok = 0, i, err = -ENOMEM;

	if (!evs || !fs || !s)
		goto out;
	n = collect_group(data, evs, PROBE_GROUP_MAX_EVENTS);	/* data: the group's name */
	if (!clear)
		ok = compile_each(s, evs, fs, n);
	err = ok < 0 ? ok : 0;
	if (!err && !clear && !ok) {
		log_group_error(evs, n, s);
		err = -EINVAL;
	}
	for (i = 0; !err && i < n; i++) {	/* events it does not fit keep theirs */
		if (clear || fs[i])
			swap_filter(evs[i], fs[i]);
		fs[i] = NULL;
	}
	for (i = 0; i < n; i++)
		kfree(fs[i]);
out:
	kfree(s);
	kfree(fs);
	kfree(evs);
	return err;
}

const struct pfs_file_ops probe_group_filter_ops = {
	.show = group_filter_show, .write = group_filter_write };

/* When @lead's event is destroyed (its probe unregistered, so no handler
 * can see them): free its filter and triggers. */
void probe_event_filter_free(struct probe_event *lead)
{
	event_trigger_free_all(lead);
	lead->has_filter = false;
	kfree(lead->filter);
	lead->filter = NULL;
}
