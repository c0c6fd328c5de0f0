// SPDX-License-Identifier: MIT
/*
 * Function commands: words of the form FUNC:COMMAND written to
 * set_ftrace_filter attach an action to the functions FUNC (a glob)
 * names, run each time one of them is called, whatever the current
 * tracer - as Linux's "function probes":
 *
 *	fib:traceoff[:N]			turn tracing off (N times at most)
 *	fib:traceon[:N]				turn it on
 *	fib:stacktrace[:N]			record the call chain
 *	fib:enable_event:GROUP:EVENT[:N]	start the event recording
 *	fib:disable_event:GROUP:EVENT[:N]	stop it
 *	!fib:traceoff				remove the unlimited one
 *	!fib:traceoff:N				remove the counted one (any N)
 *
 * As on Linux, a command with a count and the same command without are
 * two commands (Linux's counting and plain probe ops): a function may
 * have both, and each is removed by its own form.
 *
 * `cat set_ftrace_filter` lists them after the filter, one per function,
 * with what is left of the count: "fib:traceoff:unlimited",
 * "fib:traceoff:count=2", "fib:enable_event:kprobes:myfib:unlimited";
 * the kind of command added last first, as Linux lists its probes.
 * A count goes down only when the command changes something (tracing
 * was on for traceoff), as on Linux.
 *
 * Every command shares one ftrace_ops whose filter is the set of
 * functions with a command; its callback finds the function's commands
 * in a table sorted by address. The table is replaced, never changed in
 * place (RCU), like ftrace's own sets. The event commands hold their
 * event in soft mode (probe_event_hold()): armed, recording only
 * while switched on.
 */
#include <trace/ftrace_func_cmds.h>
#include <trace/ftrace.h>
#include <trace/probe_events.h>
#include <trace/trace.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <asm/ftrace.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/glob.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <lib/string.h>

/* The fentry call a traced function starts with is 5 bytes long. */

enum func_cmd {
	CMD_TRACEON,
	CMD_TRACEOFF,
	CMD_STACKTRACE,
	CMD_ENABLE_EVENT,
	CMD_DISABLE_EVENT,
	CMD_COUNT
};

static const char *const cmd_names[CMD_COUNT] = {
	[CMD_TRACEON] = "traceon", [CMD_TRACEOFF] = "traceoff", [CMD_STACKTRACE] = "stacktrace",
	[CMD_ENABLE_EVENT] = "enable_event", [CMD_DISABLE_EVENT] = "disable_event",
};

/* One command on one function. */
struct func_probe {
	unsigned long ip;
	enum func_cmd cmd;
	long count;			/* runs left; -1: unlimited */
	struct probe_event *event;	/* the event commands' event */
	bool counted;			/* added with :N (another command than without) */
};

/*
 * When each kind of command (the command, counted or not) last went from
 * no function to some: the listing shows the newest kind first.
 */
static unsigned long kind_born[CMD_COUNT][2];
static unsigned long kinds_born;

/* Every probe, sorted by address; NULL when there is none. */
struct probe_table {
	unsigned n;
	struct func_probe *p[];
};

static struct probe_table *table;
static struct ftrace_ops cmds_ops;

/* ---- what runs when a function with commands is called ---- */

/* Take one of @p's runs: false if none is left. Any CPU, any context. */
static bool take_run(struct func_probe *p)
{
	long c = READ_ONCE(p->count);

	do {
		if (c == 0)
			return false;
		if (c < 0)
			return true;
	} while (!try_cmpxchg(&p->count, &c, c - 1));
	return true;
}

/*
 * Carry out one command for a call of its function (@parent_ip: the
 * caller). Like a trigger, a command that would change nothing keeps its
 * count. Context: the ftrace callback - preemption off, any task, no
 * lock may be taken and nothing may sleep.
 */
static void run_probe(struct func_probe *p, unsigned long parent_ip)
{
	bool on = p->cmd == CMD_TRACEON || p->cmd == CMD_ENABLE_EVENT;

	switch (p->cmd) {
	case CMD_TRACEON:
	case CMD_TRACEOFF:
		if (ring_buffer_record_is_on(trace_buffer) == on || !take_run(p))
			return;
		if (on)
			ring_buffer_record_on(trace_buffer);
		else
			ring_buffer_record_off(trace_buffer);
		return;
	case CMD_STACKTRACE:
		if (ring_buffer_record_is_on(trace_buffer) && take_run(p))
			/* The traced function, then its callers; the
			 * trampoline counted one level of preemption off. */
			trace_record_stack(&p->ip, 1, (unsigned long)__builtin_frame_address(0),
					   parent_ip, PREEMPT_OFFSET);
		return;
	case CMD_ENABLE_EVENT:
	case CMD_DISABLE_EVENT:
		if (READ_ONCE(p->event->enabled) == on || !take_run(p))
			return;
		probe_event_soft_switch(p->event, on);
		return;
	default:
		return;
	}
}

/* The first index of @t whose probe is at @ip or after. */
static unsigned table_find(const struct probe_table *t, unsigned long ip)
{
	unsigned lo = 0, hi = t->n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (t->p[mid]->ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The ftrace callback (ftrace guards it against recursion). */
static void func_cmds_call(unsigned long ip, unsigned long parent_ip,
			   struct ftrace_ops *op __always_unused,
			   struct pt_regs *regs __always_unused)
{
	const struct probe_table *t = rcu_dereference(table);
	unsigned i;

	if (!t)
		return;
	for (i = table_find(t, ip); i < t->n && t->p[i]->ip == ip; i++)
		run_probe(t->p[i], parent_ip);
}

static struct ftrace_ops cmds_ops = { .func = func_cmds_call, .flags = FTRACE_OPS_FL_RECURSION };
/* The buffer switches the callback makes (this file is .kprobes.text). */
NOKPROBE_SYMBOL(ring_buffer_record_on);
NOKPROBE_SYMBOL(ring_buffer_record_off);
NOKPROBE_SYMBOL(ring_buffer_record_is_on);

/* ---- parsing a command word ---- */

struct cmd_request {
	bool remove;
	char *glob;
	enum func_cmd cmd;
	long count;
	bool counted;			/* a :N was given (a removal: any N) */
	struct probe_event *event;
};

/* The optional :N: none (NULL or empty) is unlimited (-1). 0 or -EINVAL. */
static int parse_count(char *word, long *count)
{
	unsigned long n;

	if (!word || !*word) {
		*count = -1;
		return 0;
	}
	if (kstrtoul(word, 0, &n) || (long)n < 0)
		return -EINVAL;
	*count = (long)n;
	return 0;
}

/* The GROUP:EVENT[:N] of an event command. */
static int parse_event(char *rest, struct cmd_request *req)
{
	char *group = strsep(&rest, ":"), *name = strsep(&rest, ":");

	if (!group || !*group || !name || !*name)
		return -EINVAL;
	req->event = *group ? probe_event_find(group, name) : NULL;
	if (!req->event)
		return -EINVAL;
	req->counted = rest && *rest;
	return req->remove ? 0 : parse_count(rest, &req->count);
}

/* Split @word (GLOB:CMD[:...], modified) into @req. 0 or -EINVAL. */
static int parse_request(char *word, struct cmd_request *req)
{
	char *rest = word, *name;
	unsigned i;

	*req = (struct cmd_request){ .count = -1 };
	req->glob = strsep(&rest, ":");
	req->remove = req->glob[0] == '!';
	req->glob += req->remove;
	name = strsep(&rest, ":");
	if (!*req->glob || !name)
		return -EINVAL;
	for (i = 0; i < CMD_COUNT && strcmp(name, cmd_names[i]); i++)
		;
	if (i == CMD_COUNT)
		return -EINVAL;
	req->cmd = (enum func_cmd)i;
	if (req->cmd == CMD_ENABLE_EVENT || req->cmd == CMD_DISABLE_EVENT)
		return parse_event(rest, req);
	req->counted = rest && *rest;
	if (req->remove)
		return 0;
	if (rest && strchr(rest, ':'))
		return -EINVAL;
	return parse_count(rest, &req->count);
}

/* ---- changing the table ---- */

/* Does the function at @ip have a name @glob matches? */
static bool name_matches(const char *glob, unsigned long ip)
{
	struct ksym sym;

	return kallsyms_lookup_addr(ip, &sym, NULL) && glob_match(glob, sym.name);
}

/* Is @p what @req (a removal) names? */
static bool request_names(const struct cmd_request *req, const struct func_probe *p)
{
	if (p->cmd != req->cmd || p->counted != req->counted || (req->event && p->event != req->event))
		return false;
	return name_matches(req->glob, p->ip);
}

/* Table order: by address, then by command, so that a callback finds a
 * function's commands side by side. */
static int probe_cmp(const struct func_probe *a, const struct func_probe *b)
{
	if (a->ip != b->ip)
		return a->ip < b->ip ? -1 : 1;
	if (a->cmd != b->cmd)
		return (int)a->cmd - (int)b->cmd;
	return (int)a->counted - (int)b->counted;
}

/* A new table of @n slots, @old's probes first (minus those @drop names). */
static struct probe_table *table_copy(const struct probe_table *old, unsigned extra,
				      const struct cmd_request *drop)
{
	unsigned i, n = old ? old->n : 0;
	struct probe_table *t = kmalloc(sizeof(*t) + (n + extra) * sizeof(t->p[0]));

	if (!t)
		return NULL;
	t->n = 0;
	for (i = 0; i < n; i++)
		if (!drop || !request_names(drop, old->p[i]))
			t->p[t->n++] = old->p[i];
	return t;
}

/* Insertion sort: tables are short, and mostly sorted already. */
static void table_sort(struct probe_table *t)
{
	unsigned i, j;

	for (i = 1; i < t->n; i++) {
		struct func_probe *p = t->p[i];

		for (j = i; j > 0 && probe_cmp(t->p[j - 1], p) > 0; j--)
			t->p[j] = t->p[j - 1];
		t->p[j] = p;
	}
}

/*
 * Publish @t: the ops' filter becomes its functions (registering or
 * unregistering the ops as it becomes needed or not), then the old table
 * is freed once no callback can be reading it. Returns 0, or the ftrace
 * error with the old table back in place and @t still the caller's.
 */
static int table_publish(struct probe_table *t)
{
	struct probe_table *old = table, *now = t->n ? t : NULL;
	unsigned long *ips = kmalloc((t->n + 1) * sizeof(*ips));
	unsigned i;
	int err = 0;

	if (!ips)
		return -ENOMEM;
	for (i = 0; i < t->n; i++)
		ips[i] = t->p[i]->ip;
	rcu_assign_pointer(table, now);
	if (!now) {
		if (cmds_ops.flags & FTRACE_OPS_FL_ENABLED)
			unregister_ftrace_function(&cmds_ops);
		ftrace_free_filter(&cmds_ops);
	} else {
		err = ftrace_set_filter_ips(&cmds_ops, ips, t->n, true);
		if (!err && !(cmds_ops.flags & FTRACE_OPS_FL_ENABLED))
			err = register_ftrace_function(&cmds_ops);
	}
	kfree(ips);
	if (err)
		rcu_assign_pointer(table, old);
	synchronize_rcu();
	if (err)
		return err;
	kfree(old);
	if (!now)
		kfree(t);
	return 0;
}

/* Does @t already have a command equal to @p (same function, command and
 * event)? Adding it again would run it twice a call. */
static bool table_has(const struct probe_table *t, const struct func_probe *p)
{
	unsigned i;

	for (i = 0; t && i < t->n; i++)
		if (!probe_cmp(t->p[i], p) && t->p[i]->event == p->event)
			return true;
	return false;
}

static bool table_has_kind(const struct probe_table *t, enum func_cmd cmd, bool counted)
{
	unsigned i;

	for (i = 0; t && i < t->n; i++)
		if (t->p[i]->cmd == cmd && t->p[i]->counted == counted)
			return true;
	return false;
}

/* Is this very probe in @t (not a copy)? For undoing a failed add. */
static bool table_holds(const struct probe_table *t, const struct func_probe *p)
{
	unsigned i;

	for (i = 0; t && i < t->n; i++)
		if (t->p[i] == p)
			return true;
	return false;
}

/* Free a probe no callback can reach, letting go of its event. */
static void probe_free(struct func_probe *p)
{
	if (p->event)
		probe_event_hold(p->event, -1);
	kfree(p);
}

/* A new probe for @req on @ip, its event held in soft mode; or NULL. */
static struct func_probe *probe_new(const struct cmd_request *req, unsigned long ip)
{
	struct func_probe *p = kmalloc(sizeof(*p));

	if (!p)
		return NULL;
	*p = (struct func_probe){ ip, req->cmd, req->count, req->event, req->counted };
	if (p->event && probe_event_hold(p->event, 1)) {
		kfree(p);
		return NULL;
	}
	return p;
}

/* @req on every function its glob names that lacks it already. */
static int add_probes(const struct cmd_request *req)
{
	struct probe_table *old = table, *t = table_copy(old, ftrace_rec_count(), NULL);
	unsigned long ip;
	unsigned i;
	int err = 0;

	if (!t)
		return -ENOMEM;
	for (i = 0; !err && ftrace_rec_ip(i, &ip); i++) {
		struct func_probe want = { ip, req->cmd, req->count, req->event, req->counted };

		if (!name_matches(req->glob, ip) || table_has(old, &want))
			continue;
		t->p[t->n] = probe_new(req, ip);
		err = t->p[t->n] ? 0 : -ENOMEM;
		t->n += !err;
	}
	table_sort(t);
	if (!err && !table_has_kind(old, req->cmd, req->counted) && t->n > (old ? old->n : 0))
		kind_born[req->cmd][req->counted] = ++kinds_born;
	if (!err)
		err = table_publish(t);
	if (!err)
		return 0;
	for (i = 0; i < t->n; i++)	/* undo: free the new ones */
		if (!table_holds(old, t->p[i]))
			probe_free(t->p[i]);
	kfree(t);
	return err;
}

/* Remove what @req names: -ENODEV if no function has the command (in
 * that form, counted or not) at all, -EINVAL if none that the glob names has it. */
static int remove_probes(const struct cmd_request *req)
{
	struct probe_table *old = table, *t, *gone;
	unsigned i;
	bool any = false;
	int err;

	for (i = 0; old && i < old->n; i++)
		any |= old->p[i]->cmd == req->cmd && old->p[i]->counted == req->counted;
	if (!any)
		return -ENODEV;
	t = table_copy(old, 0, req);
	gone = table_copy(NULL, old->n, NULL);
	err = t && gone ? 0 : -ENOMEM;
	for (i = 0; !err && i < old->n; i++)
		if (request_names(req, old->p[i]))
			gone->p[gone->n++] = old->p[i];
	if (!err && !gone->n)
		err = -EINVAL;
	if (!err)
		err = table_publish(t);	/* waits until no callback runs the gone ones */
	if (err)
		kfree(t);
	for (i = 0; !err && i < gone->n; i++)
		probe_free(gone->p[i]);
	kfree(gone);
	return err;
}

/* ---- set_ftrace_filter ---- */

/* Does this word of a set_ftrace_filter write name a command? */
static bool is_command(const char *word)
{
	return strchr(word, ':') != NULL;
}

/*
 * Check every command word of @list (a copy we may cut up) before
 * anything changes: a bad one (unknown command, bad count, no such event,
 * a glob that names no function) fails the whole write with -EINVAL.
 */
static int check_commands(char *list)
{
	char *word;

	while ((word = strsep(&list, " \t\n"))) {
		struct cmd_request req;
		unsigned long ip;
		unsigned i;
		bool named = false;

		if (!*word || !is_command(word))
			continue;
		if (parse_request(word, &req))
			return -EINVAL;
		for (i = 0; !req.remove && !named && ftrace_rec_ip(i, &ip); i++)
			named = name_matches(req.glob, ip);
		if (!req.remove && !named)
			return -EINVAL;
	}
	return 0;
}

/* Run every command word of @list, in order. */
static int run_commands(char *list)
{
	char *word;
	int err = 0;

	while (!err && (word = strsep(&list, " \t\n"))) {
		struct cmd_request req;

		if (!*word || !is_command(word))
			continue;
		err = parse_request(word, &req);
		if (!err)
			err = req.remove ? remove_probes(&req) : add_probes(&req);
	}
	return err;
}

/* The globs of @list, blank-separated, commands left out, into @out. */
static void filter_words(const char *list, char *out)
{
	char *copy = out;

	while (*list) {
		size_t len = strcspn(list, " \t\n");

		if (len && memchr(list, ':', len) == NULL) {
			memcpy(copy, list, len);
			copy += len;
			*copy++ = ' ';
		}
		list += len;
		list += strspn(list, " \t\n");
	}
	*copy = '\0';
}

/* Tree lock held (a set_ftrace_filter write). The list is parsed twice,
 * from two copies, because strsep() cuts the words it reads. */
int ftrace_filter_write_cmds(const char *list, bool reset)
{
	size_t len = strlen(list);
	char *work = kmalloc(2 * (len + 1));
	char *globs = work + len + 1;
	int err;

	if (!work)
		return -ENOMEM;
	memcpy(work, list, len + 1);
	err = check_commands(work);
	if (!err) {
		filter_words(list, globs);
		err = ftrace_set_filter_list(&trace_ops, globs, reset);
	}
	if (!err) {
		memcpy(work, list, len + 1);
		err = run_commands(work);
	}
	kfree(work);
	return err;
}

static void show_probe(struct seq_out *s, const struct func_probe *p)
{
	long count = READ_ONCE(p->count);

	seq_printf(s, "%ps:%s", (void *)p->ip, cmd_names[p->cmd]);
	if (p->event)
		seq_printf(s, ":%s:%s", p->event->def->group, p->event->def->event);
	if (count < 0)
		seq_puts(s, ":unlimited\n");
	else
		seq_printf(s, ":count=%ld\n", count);
}

/*
 * Every kind of command present, the newest first; then by address. Reads
 * the table without RCU: the caller holds the tree lock, which every
 * writer of the table holds too.
 */
void ftrace_func_cmds_show(struct seq_out *s)
{
	const struct probe_table *t = table;
	unsigned long shown = ~0UL;

	while (t && !seq_interrupted(s)) {
		unsigned long newest = 0;
		unsigned i;

		/* The kind born last among those not listed yet. */
		for (i = 0; i < t->n; i++) {
			unsigned long born = kind_born[t->p[i]->cmd][t->p[i]->counted];

			if (born < shown && born > newest)
				newest = born;
		}
		if (!newest)
			return;
		for (i = 0; i < t->n && !seq_interrupted(s); i++)
			if (kind_born[t->p[i]->cmd][t->p[i]->counted] == newest)
				show_probe(s, t->p[i]);
		shown = newest;
	}
}
