// SPDX-License-Identifier: MIT
/*
 * The list of dynamic probe events and the files that edit it:
 *
 *	kprobe_events	p: and r: events; reading lists them back
 *	dynamic_events	every kind, f: included
 *	kprobe_profile	each probe event's hits and misses (Linux: kprobes only)
 *
 * A write is one command a line. `>>` adds to what exists; `>` first
 * removes every event the file lists. Every command of a write is parsed
 * and checked - the probe point too, as registering will check it - before
 * anything changes: a bad one is refused with -EINVAL, logged in error_log
 * with a caret under the bad word, and printed on the console, and the
 * events stay as they were. Removing an event that is enabled fails with
 * -EBUSY, and so does `>` while any is.
 *
 * A command naming an event that exists adds a probe point to it, if the
 * kind and the arguments' names and types agree (trace/probe_multi.c):
 * the new struct probe_event follows the first one, its leader.
 */
#include <trace/probe_events.h>
#include <trace/probe_errors.h>
#include <kernel/printk.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <trace/tracefs.h>
#include <lib/errno.h>
#include <lib/string.h>

#define FIRST_EVENT_ID	1000

static LIST_HEAD(events);
static DEFINE_MUTEX(events_lock);
static u32 next_id = FIRST_EVENT_ID;

/* Which file a command came through. */
enum probe_file { FILE_KPROBE_EVENTS, FILE_DYNAMIC_EVENTS };

/*
 * Writers (file callbacks) are already serialised by the tree lock and
 * take events_lock only around a list change; trace_pipe's printer,
 * which has no tree lock, takes it to look an event up by id.
 */
void probe_events_lock(void)
{
	mutex_lock(&events_lock);
}

void probe_events_unlock(void)
{
	mutex_unlock(&events_lock);
}

/* The point whose records carry @id (a leader: points share its id), or
 * NULL. Context: events_lock or the tree lock held. */
struct probe_event *probe_event_find_id(u32 id)
{
	struct probe_event *ev;

	list_for_each_entry(ev, &events, list)
		if (ev->id == id)
			return ev;
	return NULL;
}

static bool is_kprobe_kind(u8 kind)
{
	return kind == PROBE_KPROBE || kind == PROBE_KRETPROBE;
}

/* The event @group/@name (@group empty: in any group), or NULL: its
 * leader, the first point made. */
static struct probe_event *find_event(const char *group, const char *name)
{
	struct probe_event *ev;

	list_for_each_entry(ev, &events, list)
		if (!strcmp(ev->def->event, name) && (!*group || !strcmp(ev->def->group, group)))
			return ev;
	return NULL;
}

struct probe_event *probe_event_find(const char *group, const char *name)
{
	return find_event(group, name);
}

/* Walk the leaders of @group (NULL: every group) in creation order.
 * Tree lock held. */
struct probe_event *probe_event_next_lead(struct probe_event *prev, const char *group)
{
	struct list_head *pos = prev ? prev->list.next : events.next;

	for (; pos != &events; pos = pos->next) {
		struct probe_event *ev = list_entry(pos, struct probe_event, list);

		if (!ev->leader && (!group || !strcmp(ev->def->group, group)))
			return ev;
	}
	return NULL;
}

/* Walk the points of @lead's event (@lead among them) in creation order.
 * Tree lock held. */
struct probe_event *probe_event_next_point(struct probe_event *lead, struct probe_event *prev)
{
	struct list_head *pos = prev ? prev->list.next : events.next;

	for (; pos != &events; pos = pos->next) {
		struct probe_event *ev = list_entry(pos, struct probe_event, list);

		if (ev == lead || ev->leader == lead)
			return ev;
	}
	return NULL;
}

/* ---- errors ---- */

/*
 * The error_log location a refused command is logged under, as Linux
 * names it: trace_fprobe for f: and t: events, trace_kprobe for p: and
 * r: (or anything written to kprobe_events), dynamic_events otherwise.
 */
static const char *subsystem_of(const struct probe_def *def, enum probe_file file)
{
	if (def->kind == PROBE_FENTRY || def->kind == PROBE_FEXIT || def->kind == PROBE_TPOINT)
		return trace_fprobe_ops.subsystem;
	return file == FILE_KPROBE_EVENTS || is_kprobe_kind(def->kind) ?
	       trace_kprobe_ops.subsystem : "dynamic_events";
}

/* Log a refused command and show it on the console; returns @err. */
static int refuse(const char *loc, const char *cmd, int pos, const char *reason, int err)
{
	struct seq_out con = { 0 };

	trace_errlog_add(loc, cmd, pos, reason);
	trace_errlog_print(&con, loc, cmd, pos, reason);
	return err;
}

/* For the filter and trigger files, which log under their own names. */
void probe_event_log_error(const char *loc, const char *cmd, int pos, const char *reason)
{
	refuse(loc, cmd, pos, reason, 0);
}

/* Why registering a probe failed, in error_log's words. */
static const char *register_reason(int err)
{
	switch (err) {
	case -EFAULT:	  return "Address is not in kernel text";
	case -EILSEQ:	  return PERR_BAD_INSN_BNDRY;
	case -EPERM:	  return "Blacklisted address (the probe or trap path)";
	case -EOPNOTSUPP: return "This instruction cannot be probed";
	case -ENOENT:	  return "Unknown or untraceable function";
	case -EBUSY:	  return "The function is redirected by another user";
	case -ENOMEM:	  return "Out of memory";
	default:	  return PERR_FAIL_REG_PROBE;
	}
}

/* ---- create, remove, clear ---- */

/*
 * Unlist one point, take its files away (a leader's), unregister its
 * probe and free it. Once ops->unreg() returns no handler runs on it, so
 * the filter and the definition can go. Tree lock held; sleeps.
 */
static void destroy_event(struct probe_event *ev)
{
	mutex_lock(&events_lock);
	list_del_init(&ev->list);
	mutex_unlock(&events_lock);
	if (!ev->leader)
		probe_event_files_remove(ev);
	ev->ops->unreg(ev);		/* no handler runs after this */
	if (!ev->leader)
		probe_event_filter_free(ev);
	pcpu_counter_destroy(&ev->nhit);
	kfree(ev->def);
	ev->ops->free(ev);
}

/* Make an event of @def (taking it over) for the command @cmd. */
/* Returns 0; -EINVAL after logging why the probe would not register;
 * -ENOSPC (no ids left) or -ENOMEM. Tree lock held. */
static int create_event(struct probe_def *def, const char *cmd, enum probe_file file)
{
	const struct probe_event_ops *ops = is_kprobe_kind(def->kind) ? &trace_kprobe_ops :
					    &trace_fprobe_ops;
	struct probe_event *ev, *leader = find_event(def->group, def->event);
	int err;

	err = -ENOSPC;
	if (!leader && next_id > PROBE_EVENT_ID_MAX) {
		refuse(subsystem_of(def, file), cmd, 0, "No event ids left", err);
		goto err_def;
	}
	ev = ops->alloc();
	err = -ENOMEM;
	if (!ev)
		goto err_def;
	ev->ops = ops;
	ev->def = def;
	ev->leader = leader;		/* the first pass checked that it may join */
	ev->id = leader ? leader->id : next_id++;	/* under the tree lock */
	err = pcpu_counter_init(&ev->nhit);
	if (!err)
		err = ops->reg(ev);
	if (err) {
		/* No memory is no fault of the command. */
		err = refuse(subsystem_of(def, file), cmd, def->sym_pos, register_reason(err),
			     err == -ENOMEM ? err : -EINVAL);
		goto err_free;
	}
	err = leader ? 0 : probe_event_files_add(ev);
	if (err)
		goto err_unreg;
	mutex_lock(&events_lock);
	list_add_tail(&ev->list, &events);
	mutex_unlock(&events_lock);
	if (leader)
		probe_event_sync(leader);	/* armed as the event's other points */
	return 0;

err_unreg:
	ops->unreg(ev);
err_free:
	pcpu_counter_destroy(&ev->nhit);	/* nothing if never initialised */
	ops->free(ev);
err_def:
	kfree(def);
	return err;
}

/* Why an armed event cannot go: -EBUSY. */
static int report_busy(const struct probe_event *ev)
{
	if (ev->soft_refs)	/* its own triggers, or others' enable_event, or commands' */
		console_printf("%s/%s is held by triggers or function commands (set_ftrace_filter): "
			       "remove them first\n", ev->def->group, ev->def->event);
	else
		console_printf("%s/%s is enabled: write 0 to its enable file first\n",
			       ev->def->group, ev->def->event);
	return -EBUSY;
}

/* Does every point of the event @lead leads match @pattern? */
static bool all_points_match(const struct probe_event *lead, const char *pattern)
{
	const struct probe_event *p;

	list_for_each_entry(p, &events, list)
		if ((p == lead || p->leader == lead) && !probe_def_matches(p->def, pattern))
			return false;
	return true;
}

/*
 * The point @lead is going but the point @heir of its event stays: @heir
 * takes over the event's files, filter and switches, and the other points
 * follow it. Only for an event no point of which is armed (so no handler
 * reads the leader meanwhile, and no trigger holds it).
 */
static void pass_lead(struct probe_event *lead, struct probe_event *heir)
{
	struct probe_event *p;

	mutex_lock(&events_lock);
	probe_event_files_pass(lead, heir);
	heir->enabled = lead->enabled;
	heir->filter = lead->filter;
	lead->filter = NULL;
	heir->triggers = lead->triggers;
	lead->triggers = NULL;
	heir->leader = NULL;
	list_for_each_entry(p, &events, list)
		if (p->leader == lead)
			p->leader = heir;
	lead->leader = heir;		/* now a point like the others */
	mutex_unlock(&events_lock);
}

/* `-:EVENT PLACE [FETCHES]` that leaves some of the event's points. */
static void remove_points(struct probe_event *lead, const char *pattern)
{
	struct probe_event *p, *tmp;

	if (probe_def_matches(lead->def, pattern)) {
		list_for_each_entry(p, &events, list)
			if (p->leader == lead && !probe_def_matches(p->def, pattern))
				break;
		pass_lead(lead, p);	/* all_points_match() said there is one */
		lead = p;
	}
	list_for_each_entry_safe(p, tmp, &events, list)
		if (p->leader == lead && probe_def_matches(p->def, pattern))
			destroy_event(p);
}

/* `-:EVENT`: every point of the event; `-:EVENT PLACE...`: those that match. */
static int remove_event(const struct probe_def *def, const char *cmd, enum probe_file file)
{
	struct probe_event *ev = find_event(def->group, def->event), *p, *tmp;
	const char *pattern = def->match_pos ? cmd + def->match_pos : "";

	if (!ev || (file == FILE_KPROBE_EVENTS && !is_kprobe_kind(ev->def->kind)))
		return refuse(subsystem_of(def, file), cmd, def->event_pos, "No such event", -ENOENT);
	if (ev->armed)
		return report_busy(ev);
	if (!all_points_match(ev, pattern)) {
		remove_points(ev, pattern);
		return 0;
	}
	list_for_each_entry_safe(p, tmp, &events, list)
		if (p->leader == ev)
			destroy_event(p);
	destroy_event(ev);
	return 0;
}

/* Does @file list (and so `>` remove) @ev? kprobe_events: p: and r: only. */
static bool listed_in(const struct probe_event *ev, enum probe_file file)
{
	return file == FILE_DYNAMIC_EVENTS || is_kprobe_kind(ev->def->kind);
}

/* `>` removes nothing if one of @file's events is enabled: -EBUSY. */
static int check_clear(enum probe_file file)
{
	struct probe_event *ev;

	list_for_each_entry(ev, &events, list) {
		if (listed_in(ev, file) && ev->armed)
			return report_busy(ev);
	}
	return 0;
}

/* `>`: remove every event @file lists (check_clear() said none is enabled). */
static void clear_events(enum probe_file file)
{
	struct probe_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &events, list)
		if (listed_in(ev, file))
			destroy_event(ev);
}

/*
 * Parse @cmd into a new definition: 0 and *@out, or -EINVAL after logging
 * the error (-ENOMEM without memory).
 */
static int parse_command(const char *cmd, enum probe_file file, struct probe_def **out)
{
	struct probe_def *def = kmalloc(sizeof(*def));
	struct probe_error perr;
	int err;

	if (!def)
		return -ENOMEM;
	err = probe_parse(cmd, def, &perr);
	if (err)
		err = refuse(subsystem_of(def, file), cmd, perr.pos, perr.reason, -EINVAL);
	else if (file == FILE_KPROBE_EVENTS && !is_kprobe_kind(def->kind) && def->kind != PROBE_DELETE)
		err = refuse(trace_kprobe_ops.subsystem, cmd, 0,
			     "Only p: and r: here (f: goes to dynamic_events)", -EINVAL);
	if (err) {
		kfree(def);
		return err;
	}
	*out = def;
	return 0;
}

/* ---- kprobe_events and dynamic_events ---- */

/* The next line of @text (blank and # lines skipped) into @line. */
static const char *next_line(const char *text, const char *end, char *line, bool *too_long)
{
	while (text < end) {
		const char *nl = memchr(text, '\n', end - text);
		const char *stop = nl ? nl : end, *s = text;

		text = nl ? nl + 1 : end;
		while (s < stop && (*s == ' ' || *s == '\t'))
			s++;
		while (stop > s && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r'))
			stop--;
		if (s == stop || *s == '#')
			continue;
		*too_long = stop - s >= PROBE_CMD_LEN;
		memcpy(line, s, *too_long ? PROBE_CMD_LEN - 1 : (size_t)(stop - s));
		line[*too_long ? PROBE_CMD_LEN - 1 : stop - s] = '\0';
		return text;
	}
	return NULL;
}

/*
 * A write runs in two passes. The first parses every command and checks
 * it against the events as they will be when it runs - after `>` removed
 * what the file lists, and after the write's earlier commands - changing
 * nothing; the second carries them out. So a refused command (a bad
 * offset, a blacklisted function, a name in use) leaves every event as it
 * was, whether it came with `>` or `>>`. Only running out of memory can
 * still stop the second pass half-way.
 */
struct write_plan {
	enum probe_file file;
	bool replace;			/* `>`: the file's events go first */
	unsigned n;
	struct probe_def **defs;	/* the commands, parsed, in order */
};

enum planned { PLANNED_NONE, PLANNED_IDLE, PLANNED_ENABLED };

/* -:EVENT PLACE [FETCHES]: removes the points that match, maybe not all. */
static bool is_partial_delete(const struct probe_def *def)
{
	return def->kind == PROBE_DELETE && def->match_pos;
}

static bool same_name(const struct probe_def *def, const char *group, const char *name)
{
	return !strcmp(def->event, name) && (!*group || !*def->group || !strcmp(def->group, group));
}

/*
 * Will the event @group/@name exist when command @i of @plan runs? For a
 * removal (@to_remove), only if the file can remove it: kprobe_events
 * neither lists nor removes an fprobe event.
 */
static enum planned planned_state(const struct write_plan *plan, unsigned i, const char *group,
				  const char *name, bool to_remove)
{
	const struct probe_event *ev;

	while (i--) {
		if (!same_name(plan->defs[i], group, name) || is_partial_delete(plan->defs[i]))
			continue;	/* -:EVENT PLACE may leave points: look further */
		return plan->defs[i]->kind == PROBE_DELETE ? PLANNED_NONE : PLANNED_IDLE;
	}
	ev = find_event(group, name);
	if (!ev || (plan->replace && listed_in(ev, plan->file)))
		return PLANNED_NONE;
	if (to_remove && !listed_in(ev, plan->file))
		return PLANNED_NONE;
	return ev->armed ? PLANNED_ENABLED : PLANNED_IDLE;
}

/* May @def (@cmd as written) add a probe point to the event @old is one of? */
static int check_point(const struct probe_def *old, const struct probe_def *def, const char *cmd,
		       enum probe_file file)
{
	struct probe_error perr;

	if (probe_def_check_append(old, def, (int)strlen(cmd), &perr))
		return refuse(subsystem_of(def, file), cmd, perr.pos, perr.reason, -EEXIST);
	if (probe_def_same_probe(old, def))
		return refuse(subsystem_of(def, file), cmd, 0, PERR_SAME_PROBE, -EEXIST);
	return 0;
}

/*
 * Command @i of @plan names an event that will exist when it runs: check
 * it against every point the event will have then - those it has now,
 * unless the write removes them first, and those the write adds before.
 */
static int check_append(const struct write_plan *plan, unsigned i, const char *cmd)
{
	const struct probe_def *def = plan->defs[i];
	const struct probe_event *ev;
	unsigned j = i, first = 0;
	bool live = true;
	int err;

	while (j--) {
		if (same_name(plan->defs[j], def->group, def->event) &&
		    plan->defs[j]->kind == PROBE_DELETE && !is_partial_delete(plan->defs[j])) {
			first = j + 1;
			live = false;
			break;
		}
	}
	list_for_each_entry(ev, &events, list) {
		if (!live || strcmp(ev->def->group, def->group) || strcmp(ev->def->event, def->event))
			continue;
		if (plan->replace && listed_in(ev, plan->file))
			break;		/* `>` removes the whole event first */
		err = check_point(ev->def, def, cmd, plan->file);
		if (err)
			return err;
	}
	for (j = first; j < i; j++) {
		if (!same_name(plan->defs[j], def->group, def->event))
			continue;
		err = check_point(plan->defs[j], def, cmd, plan->file);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Will a point of the event command @i of @plan removes match @pattern?
 * The points it has now, unless the write replaces them, and those the
 * write's earlier commands add (a partial removal among those is not
 * followed: the check may then let through one that removes nothing).
 */
static bool planned_match(const struct write_plan *plan, unsigned i, const char *pattern)
{
	const struct probe_def *def = plan->defs[i];
	const struct probe_event *ev;
	unsigned j;

	list_for_each_entry(ev, &events, list)
		if (same_name(ev->def, def->group, def->event) && listed_in(ev, plan->file) &&
		    !plan->replace && probe_def_matches(ev->def, pattern))
			return true;
	for (j = 0; j < i; j++)
		if (same_name(plan->defs[j], def->group, def->event) &&
		    plan->defs[j]->kind != PROBE_DELETE && probe_def_matches(plan->defs[j], pattern))
			return true;
	return false;
}

/* Check command @i of @plan (@cmd as written) as the second pass will run it. */
static int check_command(const struct write_plan *plan, unsigned i, const char *cmd)
{
	const struct probe_def *def = plan->defs[i];
	const struct probe_event_ops *ops = is_kprobe_kind(def->kind) ? &trace_kprobe_ops :
					    &trace_fprobe_ops;
	bool to_remove = def->kind == PROBE_DELETE;
	enum planned state = planned_state(plan, i, def->group, def->event, to_remove);
	int err;

	if (to_remove) {
		if (state == PLANNED_NONE)
			return refuse(subsystem_of(def, plan->file), cmd, def->event_pos,
				      "No such event", -ENOENT);
		if (state == PLANNED_ENABLED)
			return report_busy(find_event(def->group, def->event));
		if (is_partial_delete(def) && !planned_match(plan, i, cmd + def->match_pos))
			return refuse(subsystem_of(def, plan->file), cmd, def->match_pos,
				      PERR_DELETE_NO_MATCH, -ENOENT);
		return 0;
	}
	if (state != PLANNED_NONE) {
		err = check_append(plan, i, cmd);
		if (err)
			return err;
	}
	err = ops->check(def);
	if (err)
		return refuse(subsystem_of(def, plan->file), cmd, def->sym_pos, register_reason(err),
			      err == -ENOMEM ? err : -EINVAL);
	return 0;
}

/* Free the definitions from @from on (those before it were handed to
 * create_event(), which owns them), and the array. */
static void free_plan(struct write_plan *plan, unsigned from)
{
	while (from < plan->n)
		kfree(plan->defs[from++]);
	kfree(plan->defs);
}

/* The first pass: parse and check every command of @text into @plan. */
static int plan_write(const char *text, size_t len, struct write_plan *plan)
{
	const char *p = text, *end = text + len;
	char line[PROBE_CMD_LEN];
	unsigned max = 1;
	bool too_long;
	int err = 0;

	for (p = text; p < end; p++)
		max += *p == '\n';
	plan->n = 0;
	plan->defs = kcalloc(max, sizeof(*plan->defs));
	if (!plan->defs)
		return -ENOMEM;
	p = text;
	while (!err && plan->n < max && (p = next_line(p, end, line, &too_long))) {
		if (too_long)
			err = refuse("dynamic_events", line, 0, "Command is too long", -EINVAL);
		else
			err = parse_command(line, plan->file, &plan->defs[plan->n]);
		if (!err)
			err = check_command(plan, plan->n++, line);
	}
	if (!err && plan->replace)
		err = check_clear(plan->file);
	if (err)
		free_plan(plan, 0);
	return err;
}

/* The second pass: carry out @plan, whose commands are @text's lines. */
static int run_plan(const char *text, size_t len, struct write_plan *plan)
{
	const char *p = text, *end = text + len;
	char line[PROBE_CMD_LEN];
	bool too_long;
	unsigned i;
	int err = 0;

	if (plan->replace)
		clear_events(plan->file);
	for (i = 0; !err && i < plan->n; i++) {
		struct probe_def *def = plan->defs[i];

		p = next_line(p, end, line, &too_long);
		if (def->kind != PROBE_DELETE) {
			err = create_event(def, line, plan->file);	/* takes @def */
			continue;
		}
		err = remove_event(def, line, plan->file);
		kfree(def);
	}
	free_plan(plan, i);
	return err;
}

/*
 * The write op of kprobe_events (@data NULL) and dynamic_events: plan
 * every line, then run them. Returns 0 or the first command's error;
 * a refused plan changed nothing. Tree lock held.
 */
static int events_write(const char *text, size_t len, bool append, void *data)
{
	struct write_plan plan = {
		.file = data ? FILE_DYNAMIC_EVENTS : FILE_KPROBE_EVENTS,
		.replace = !append,
	};
	int err = plan_write(text, len, &plan);

	return err ? err : run_plan(text, len, &plan);
}

/* Each event point @data's file lists, as a command that would make it. */
static int events_show(struct seq_out *s, void *data)
{
	enum probe_file file = data ? FILE_DYNAMIC_EVENTS : FILE_KPROBE_EVENTS;
	struct probe_event *ev;
	char line[PROBE_CMD_LEN * 2];

	list_for_each_entry(ev, &events, list) {
		if (!listed_in(ev, file))
			continue;
		probe_def_show(line, sizeof(line), ev->def);
		seq_puts(s, line);
		seq_puts(s, "\n");
	}
	return 0;
}

/*
 * One line a probe point: its event's name, the records it attempted and
 * the hits it missed - a handler already running on the CPU, or, for r:
 * and f:...%return, a call that found the pool of return slots (maxactive)
 * empty, whose return is then lost. Linux lists kprobe events only; Loupe
 * lists f: events too, whose misses would otherwise show nowhere.
 */
static int profile_show(struct seq_out *s, void *data __always_unused)
{
	struct probe_event *ev;

	list_for_each_entry(ev, &events, list)
		seq_printf(s, "  %-44s %15lu %15lu\n", ev->def->event,
				   pcpu_counter_sum(&ev->nhit),
				   ev->ops->nmissed(ev));
	return 0;
}

/* The hits of the event @group/@name, or 0 if there is none (bench). */
unsigned long probe_event_hits(const char *group, const char *name)
{
	struct probe_event *ev;
	unsigned long hits;

	mutex_lock(&events_lock);
	ev = find_event(group, name);
	hits = ev ? pcpu_counter_sum(&ev->nhit) : 0;
	mutex_unlock(&events_lock);
	return hits;
}

static const struct pfs_file_ops events_ops = { .show = events_show, .write = events_write };
static const struct pfs_file_ops profile_ops = { .show = profile_show };
static int dynamic_flag = 1;

/* Boot: the three files at the top of tracefs, error_log, and events/. */
void probe_events_init(void)
{
	if (!tracefs_root)
		return;
	pfs_create_file(tracefs_root, "kprobe_events", true, &events_ops, NULL);
	pfs_create_file(tracefs_root, "dynamic_events", true, &events_ops, &dynamic_flag);
	pfs_create_file(tracefs_root, "kprobe_profile", false, &profile_ops, NULL);
	trace_errlog_init(tracefs_root);
	probe_event_files_init(tracefs_root);
}
