// SPDX-License-Identifier: MIT
/*
 * The events/ directory of /sys/kernel/tracing for probe events:
 *
 *	events/enable			every probe event: 0, 1 or X (mixed)
 *	events/GROUP/enable		every event of the group
 *	events/GROUP/EVENT/enable	0 or 1: record while 1 (0* or 1*: a
 *					trigger keeps the probe armed)
 *	events/GROUP/EVENT/format	the record's fields and print format
 *	events/GROUP/EVENT/id		the number in its records (common_type)
 *	events/GROUP/EVENT/filter	which records to keep (probe_event_filter.c)
 *	events/GROUP/EVENT/trigger	what a hit does besides (event_trigger.c)
 *	events/GROUP/filter		a filter for each event of the group
 *
 * Directories come and go with the events; these functions run inside
 * kprobe_events' write callback, with the tree lock held, so they use the
 * __pfs_ calls.
 */
#include <trace/probe_events.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/pseudofs.h>
#include <trace/tracefs.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

static struct pfs_node *events_dir;

/* ---- events/GROUP/EVENT ---- */

static int enable_show(struct seq_out *s, void *data)
{
	const struct probe_event *ev = data;

	/* As Linux: 1 if it records, then * if triggers or function
	 * commands hold it armed (soft mode). */
	seq_printf(s, "%d%s\n", READ_ONCE(ev->enabled), ev->soft_refs ? "*" : "");
	return 0;
}

/* events/GROUP/EVENT/enable: 0 or 1 (Linux's words for a switch).
 * Returns 0, -EINVAL, or the error of arming a point. */
static int enable_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	bool on;

	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	return probe_event_enable(data, on);
}

static int id_show(struct seq_out *s, void *data)
{
	const struct probe_event *ev = data;

	seq_printf(s, "%u\n", ev->id);
	return 0;
}

/* One "field:" line of a format file, tab-separated as Linux prints it
 * (tools such as trace-cmd parse these lines). */
static void show_field(struct seq_out *s, const char *decl, size_t off, size_t size, bool sign)
{
	seq_printf(s, "\tfield:%s;\toffset:%zu;\tsize:%zu;\tsigned:%d;\n", decl, off, size, sign);
}

/* Linux's common fields (struct trace_entry), then the probe's own. */
static void show_head_fields(struct seq_out *s, bool is_return)
{
	show_field(s, "unsigned short common_type", 0, 2, false);
	show_field(s, "unsigned char common_flags", 2, 1, false);
	show_field(s, "unsigned char common_preempt_count", 3, 1, false);
	show_field(s, "int common_pid", 4, 4, true);
	seq_puts(s, "\n");
	show_field(s, is_return ? "unsigned long __probe_func" : "unsigned long __probe_ip",
		   __builtin_offsetof(struct probe_entry, ip), 8, false);
	if (is_return)
		show_field(s, "unsigned long __probe_ret_ip",
			   __builtin_offsetof(struct probe_entry, ret_ip), 8, false);
}

/*
 * The "print fmt:" line: the printf format each record is shown with,
 * then the fields it takes, in Linux's words (REC->name, __get_str(name)
 * for strings), so that a tool that reads the format can print a record.
 */
static void show_print_fmt(struct seq_out *s, const struct probe_def *def, bool is_return)
{
	int i;
	unsigned j;

	seq_puts(s, is_return ? "\nprint fmt: \"(%lx <- %lx)" : "\nprint fmt: \"(%lx)");
	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];

		seq_printf(s, " %s=%s", a->name, a->type.count ? "{" : "");
		for (j = 0; j < (a->type.count ? a->type.count : 1u); j++)
			seq_printf(s, "%s%s", j ? "," : "", probe_type_print_fmt(&a->type));
		seq_puts(s, a->type.count ? "}" : "");
	}
	/* Linux names the function first, though the line prints it second. */
	seq_puts(s, is_return ? "\", REC->__probe_func, REC->__probe_ret_ip" : "\", REC->__probe_ip");
	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];
		bool str = a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR;

		if (str && !a->type.count)
			seq_printf(s, ", __get_str(%s)", a->name);
		for (j = 0; str && j < a->type.count; j++)
			seq_printf(s, ", __get_str(%s[%u])", a->name, j);
		for (j = 0; !str && j < (a->type.count ? a->type.count : 1u); j++)
			seq_printf(s, a->type.count ? ", REC->%s[%u]" : ", REC->%s", a->name, j);
	}
	seq_puts(s, "\n");
}

/*
 * An argument's field. An array shows as "u32 name[]" with the whole
 * array's size: Linux defines probe fields with the type "u32[4]" and no
 * length, and its format file prints such a field that way.
 */
static void show_arg_field(struct seq_out *s, const struct probe_arg *a, size_t base)
{
	char decl[PROBE_ARG_NAME_LEN + 40];
	bool is_signed = a->type.kind == PROBE_TYPE_S || a->type.kind == PROBE_TYPE_STRING ||
			 a->type.kind == PROBE_TYPE_SYMSTR;

	if (a->type.kind == PROBE_TYPE_STRING && a->type.count)	/* Linux's spelling */
		snprintf(decl, sizeof(decl), "__data_loc char[][%u] %s", a->type.count, a->name);
	else
		snprintf(decl, sizeof(decl), "%s %s%s", probe_type_c_name(&a->type), a->name,
			 a->type.count ? "[]" : "");
	show_field(s, decl, base + a->offset, a->size, is_signed);
}

/* events/GROUP/EVENT/format: name, id, the fields with their offsets in
 * the record, and the print format. */
static int format_show(struct seq_out *s, void *data)
{
	const struct probe_event *ev = data;
	const struct probe_def *def = ev->def;
	bool is_return = probe_def_is_return(def);
	int i;

	seq_printf(s, "name: %s\nID: %u\nformat:\n", def->event, ev->id);
	show_head_fields(s, is_return);
	for (i = 0; i < def->nargs; i++)
		show_arg_field(s, &def->args[i], probe_entry_head(def));
	show_print_fmt(s, def, is_return);
	return 0;
}

/* ---- events/GROUP/enable and events/enable ---- */

static int group_enable_show(struct seq_out *s, void *data)
{
	seq_printf(s, "%c\n", probe_events_group_state(data));	/* data: the group's name */
	return 0;
}

/* Switch every event of the group (@data NULL: every event). */
static int group_enable_write(const char *text, size_t len, bool append __always_unused, void *data)
{
	bool on;

	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	return probe_events_enable_group(data, on);
}

static const struct pfs_file_ops enable_ops = { .show = enable_show, .write = enable_write };
static const struct pfs_file_ops format_ops = { .show = format_show };
static const struct pfs_file_ops id_ops = { .show = id_show };
static const struct pfs_file_ops group_enable_ops = {
	.show = group_enable_show, .write = group_enable_write };

/*
 * The groups that have events, each with its directory. events/GROUP goes
 * away with the group's last event. The group's enable file gets the
 * group's name as its data.
 */
struct probe_group {
	struct list_head list;
	char name[PROBE_NAME_LEN];
	struct pfs_node *dir;
	int nr_events;
};

static LIST_HEAD(groups);

/* The group called @name that has events, or NULL. Tree lock held. */
static struct probe_group *find_group(const char *name)
{
	struct probe_group *g;

	list_for_each_entry(g, &groups, list)
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

/* The group @name with one more event, made if needed; NULL: no memory. */
static struct probe_group *get_group(const char *name)
{
	struct probe_group *g = find_group(name);

	if (g) {
		g->nr_events++;
		return g;
	}
	g = kzalloc(sizeof(*g));
	if (!g)
		return NULL;
	strscpy(g->name, name, sizeof(g->name));
	g->dir = __pfs_create_dir(events_dir, name);
	if (!g->dir)
		goto err_free;
	if (!__pfs_create_file(g->dir, "enable", true, &group_enable_ops, g->name) ||
	    !__pfs_create_file(g->dir, "filter", true, &probe_group_filter_ops, g->name))
		goto err_dir;
	g->nr_events = 1;
	list_add_tail(&g->list, &groups);
	return g;

err_dir:
	__pfs_remove(g->dir);
err_free:
	kfree(g);
	return NULL;
}

/* One event fewer in @g: its directory goes with the last. Tree lock held. */
static void put_group(struct probe_group *g)
{
	if (--g->nr_events)
		return;
	__pfs_remove(g->dir);
	list_del_init(&g->list);
	kfree(g);
}

/*
 * Make events/GROUP/EVENT and its files for @ev (a leader: the other
 * points of an event share its files). Returns 0 or -ENOMEM; on failure
 * nothing is left behind. Tree lock held (a write callback).
 */
int probe_event_files_add(struct probe_event *ev)
{
	struct probe_group *g = get_group(ev->def->group);
	struct pfs_node *dir;

	if (!g)
		return -ENOMEM;
	dir = __pfs_create_dir(g->dir, ev->def->event);
	if (!dir)
		goto err_group;
	if (!__pfs_create_file(dir, "enable", true, &enable_ops, ev) ||
	    !__pfs_create_file(dir, "format", false, &format_ops, ev) ||
	    !__pfs_create_file(dir, "id", false, &id_ops, ev) ||
	    !__pfs_create_file(dir, "filter", true, &probe_filter_ops, ev) ||
	    !__pfs_create_file(dir, "trigger", true, &event_trigger_ops, ev))
		goto err_dir;
	ev->dir = dir;
	return 0;

err_dir:
	__pfs_remove(dir);
err_group:
	put_group(g);
	return -ENOMEM;
}

/* Take @ev's directory away, and its group's with the last event. */
void probe_event_files_remove(struct probe_event *ev)
{
	struct probe_group *g = find_group(ev->def->group);

	__pfs_remove(ev->dir);
	ev->dir = NULL;
	if (g)
		put_group(g);
}

void probe_event_files_pass(struct probe_event *lead, struct probe_event *heir)
{
	__pfs_pass_data(lead->dir, lead, heir);
	heir->dir = lead->dir;
	lead->dir = NULL;
}

/* Boot: events/ and events/enable, before any event exists. */
void probe_event_files_init(struct pfs_node *tracefs)
{
	events_dir = pfs_create_dir(tracefs, "events");
	if (events_dir)
		pfs_create_file(events_dir, "enable", true, &group_enable_ops, NULL);
}
