// SPDX-License-Identifier: MIT
/*
 * trace_marker: a person (or a test) writes a line into the trace, to
 * see where it falls among the kernel's records:
 *
 *	loupe> echo hello > trace_marker
 *	loupe> cat trace
 *	           shell-3       [000] .....    12.345678: tracing_mark_write: hello
 *
 * As on Linux the line names the function that wrote it (the file's
 * write, tracing_mark_write, whose address the record carries and the
 * printer turns into a name), and a text without a final newline gets
 * one. A write while tracing is off (tracing_on 0) fails with EBADF, as
 * Linux's does. A text longer than a record holds becomes several
 * records, each with its newline: Linux takes what fits in one and echo
 * writes the rest again, which comes to the same.
 */
#include <trace/trace.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

struct print_entry {
	struct trace_entry ent;
	unsigned long ip;		/* who wrote it: tracing_mark_write */
	char buf[];			/* the text, ending in '\n', then a NUL */
};

/* The longest text one record holds (its newline and NUL included). */
#define MARKER_MAX_TEXT	(RING_BUFFER_MAX_PAYLOAD - sizeof(struct print_entry) - TRACE_COMM_LEN)

/* A trace_marker line: the usual prefix, "tracing_mark_write: ", then the
 * text as written (it ends in its own newline). */
static void print_marker(struct trace_print_ctx *ctx)
{
	const struct print_entry *e = (const void *)ctx->rec->data;
	size_t len = trace_record_len(ctx->rec), room = len - sizeof(*e);

	trace_print_ctx_prefix(ctx);
	if (!ctx->bare)		/* function_graph's comment shows the text alone */
		seq_printf(ctx->s, "%ps: ", (void *)e->ip);
	/* seq_puts(): the text may be longer than seq_printf() formats */
	if (len > sizeof(*e) && strnlen(e->buf, room) < room)
		seq_puts(ctx->s, e->buf);
	else
		seq_puts(ctx->s, "<bad marker record>\n");
}

/*
 * One record of @len bytes of @text, a newline added if it lacks one.
 * Returns 0, or -EBADF if the buffer takes nothing now (tracing_on 0).
 */
static int mark_one(const char *text, size_t len, unsigned long ip)
{
	bool newline = !len || text[len - 1] != '\n';
	struct print_entry *e = trace_reserve(TRACE_PRINT, sizeof(*e) + len + newline + 1);

	if (!e)
		return -EBADF;
	e->ip = ip;
	memcpy(e->buf, text, len);
	if (newline)
		e->buf[len++] = '\n';
	e->buf[len] = '\0';
	trace_commit(e);
	return 0;
}

/* The file's write: the text in records of at most what one holds. */
static int tracing_mark_write(const char *text, size_t len, bool append __always_unused,
			      void *data __always_unused)
{
	const size_t most = MARKER_MAX_TEXT - 2;	/* room for '\n' and NUL */
	int err;

	if (!trace_option_on(TRACE_OPT_MARKERS))
		return -EINVAL;		/* options/markers 0: refused, as on Linux */
	do {
		size_t n = len < most ? len : most;

		err = mark_one(text, n, (unsigned long)tracing_mark_write);
		text += n;
		len -= n;
	} while (!err && len);
	return err;
}

static const struct pfs_file_ops marker_ops = { .write = tracing_mark_write };

void trace_marker_init(struct pfs_node *tracefs)
{
	trace_register_printer(TRACE_PRINT, print_marker);
	pfs_create_file(tracefs, "trace_marker", true, &marker_ops, NULL);
}
