// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/tracing/error_log: the last few commands a tracing file
 * refused, each with where it went wrong, in Linux's layout:
 *
 *	[   12.345678] trace_kprobe: error: Unknown symbol
 *	  Command: p:myprobe no_such_function
 *	                     ^
 *
 * The caret sits under the byte the parser blamed. `echo > error_log`
 * empties it. The console prints the same entry (without the time) when
 * the command is refused, so a person sees at once what to fix.
 */
#include <trace/probe_events.h>
#include <kernel/mutex.h>
#include <kernel/time.h>
#include <lib/string.h>

#define ERRLOG_MAX	8	/* as Linux's TRACING_LOG_ERRS_MAX */
#define ERRLOG_LOC_LEN	32	/* "event filter parse error" and the NUL */
#define CMD_PREFIX	"  Command: "

struct errlog_entry {
	u64 ts;
	char loc[ERRLOG_LOC_LEN];
	const char *reason;		/* a constant string */
	char cmd[PROBE_CMD_LEN];
	int pos;
};

static struct errlog_entry entries[ERRLOG_MAX];
static unsigned nr_logged;		/* ever; the last ERRLOG_MAX are kept */
static DEFINE_MUTEX(errlog_lock);

/* Log a refused command: where (@loc), the command, the caret's offset
 * and Linux's message. The last ERRLOG_MAX are kept. Takes errlog_lock
 * (a mutex): process context. @reason must be a constant string. */
void trace_errlog_add(const char *loc, const char *cmd, int pos, const char *reason)
{
	struct errlog_entry *e;

	mutex_lock(&errlog_lock);
	e = &entries[nr_logged++ % ERRLOG_MAX];
	e->ts = clock_ns();
	strscpy(e->loc, loc, sizeof(e->loc));
	strscpy(e->cmd, cmd, sizeof(e->cmd));
	e->reason = reason;
	e->pos = pos;
	mutex_unlock(&errlog_lock);
}

/* The part after the time stamp: "LOC: error: REASON", the command, the caret. */
void trace_errlog_print(struct seq_out *s, const char *loc, const char *cmd, int pos,
			const char *reason)
{
	int len = (int)strlen(cmd), i;

	seq_printf(s, "%s: error: %s\n", loc, reason);
	seq_printf(s, CMD_PREFIX "%s\n", cmd);
	/* One past the end is a place (Linux's filter errors put the caret
	 * there); further is a bug of the caller's, kept on the line. */
	if (pos > len + 1)
		pos = len + 1;
	for (i = 0; i < (int)sizeof(CMD_PREFIX) - 1 + pos; i++)
		seq_puts(s, " ");
	seq_puts(s, "^\n");
}

/* error_log: each entry with its time, in the order logged. */
static int errlog_show(struct seq_out *s, void *data __always_unused)
{
	unsigned first = nr_logged > ERRLOG_MAX ? nr_logged - ERRLOG_MAX : 0, i;

	mutex_lock(&errlog_lock);
	for (i = first; i < nr_logged; i++) {
		const struct errlog_entry *e = &entries[i % ERRLOG_MAX];

		seq_printf(s, "[%5llu.%06llu] ", (unsigned long long)(e->ts / NSEC_PER_SEC),
			   (unsigned long long)(e->ts % NSEC_PER_SEC / NSEC_PER_USEC));
		trace_errlog_print(s, e->loc, e->cmd, e->pos, e->reason);
	}
	mutex_unlock(&errlog_lock);
	return 0;
}

/* Any write with `>` empties the log (Linux: opening it with O_TRUNC). */
static int errlog_write(const char *text __always_unused, size_t len __always_unused, bool append,
			void *data __always_unused)
{
	if (append)
		return 0;
	mutex_lock(&errlog_lock);
	nr_logged = 0;
	mutex_unlock(&errlog_lock);
	return 0;
}

static const struct pfs_file_ops errlog_ops = { .show = errlog_show, .write = errlog_write };

void trace_errlog_init(struct pfs_node *tracefs)
{
	pfs_create_file(tracefs, "error_log", true, &errlog_ops, NULL);
}
