// SPDX-License-Identifier: MIT
/*
 * Where a shell command's output goes (see shell_io.h): the terminal, or
 * the buffer the current task's shell_io names. The check sits under
 * every console_write(), so it is small, untraced and unprobed: the
 * tracers' own messages pass through it.
 */
#include <kernel/shell_io.h>
#include <kernel/console.h>
#include <kernel/nokprobe.h>
#include <kernel/preempt.h>
#include <kernel/sched.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <asm/irqflags.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

/* The shell_io of the command this code runs for, or NULL for the
 * terminal. Any context. */
static struct shell_io *current_io(void)
{
	struct task_struct *t = current;

	/* An interrupt prints for nobody's command: the terminal. */
	if (!t || (preempt_count() & (HARDIRQ_MASK | NMI_MASK | SOFTIRQ_MASK)))
		return NULL;
	return t->shell_io;
}

/*
 * If the current command's output is redirected, append @s to its
 * buffer and return true; else false, and the caller writes to the
 * terminal. Past the buffer's end the text is cut and out.overflow set
 * (the pipeline stops the command: console_break_pending()). Any
 * context; notrace and unprobed, since tracers print through it.
 */
/*
 * Move @out's text to a buffer of SHELL_PIPE_MAX bytes. Only from the
 * command's own code with preemption and interrupts on, where allocating
 * is safe (a probe handler printing from a trap is not); false if not,
 * or without memory: the caller cuts the text where it is.
 */
static bool grow(struct seq_out *out)
{
	char *big;

	if (out->size >= SHELL_PIPE_MAX || !preemptible() || irqs_disabled())
		return false;
	big = alloc_pages(SHELL_PIPE_ORDER);
	if (!big)
		return false;
	memcpy(big, out->buf, out->len + 1);
	kfree(out->buf);
	out->buf = big;
	out->size = SHELL_PIPE_MAX;
	return true;
}

/*
 * How much of @s (@len bytes) the next stage still reads, when it reads
 * only some lines: up to the end of the last line it wants (then
 * io->out_enough), or all of it.
 */
static size_t wanted_part(struct shell_io *io, const char *s, size_t len)
{
	size_t i;

	if (!io->out_limited)
		return len;
	if (io->out_enough)		/* also from the start for head -n 0 */
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n' && !--io->out_lines) {
			io->out_enough = true;
			return i + 1;
		}
	}
	return len;
}

notrace bool shell_io_capture(const char *s, size_t len)
{
	struct shell_io *io = current_io();
	struct seq_out *out;
	size_t room;

	if (!io || !io->out.buf)
		return false;
	/* Only this task (or the workload it waits for) appends: no lock. */
	out = &io->out;
	len = wanted_part(io, s, len);
	room = out->size - 1 - out->len;
	if (len > room && grow(out))
		room = out->size - 1 - out->len;
	if (len > room) {
		out->overflow = true;
		len = room;
	}
	memcpy(out->buf + out->len, s, len);
	out->len += len;
	out->buf[out->len] = '\0';
	return true;
}
NOKPROBE_SYMBOL(shell_io_capture);

/* Process context: what the previous stage printed. 0 or -ENODATA. */
int shell_input(const char **buf, size_t *len)
{
	struct shell_io *io = current_io();

	if (!io || !io->in)
		return -ENODATA;
	*buf = io->in;
	*len = io->in_len;
	return 0;
}

bool shell_checking(void)
{
	struct shell_io *io = current_io();

	return io && io->checking;
}

/* Has the command filled its pipe or file buffer, or given head all it
 * reads (so it should stop)? */
bool shell_output_full(void)
{
	struct shell_io *io = current_io();

	return io && (io->out.overflow || io->out_enough);
}

void shell_input_lines_wanted(size_t n)
{
	struct shell_io *io = current_io();

	if (io && io->checking)
		io->lines_wanted = n;
}

/* Is the current command a job's (then Ctrl-C is not for it)? */
bool shell_in_background(void)
{
	struct shell_io *io = current_io();

	return io && io->background;
}

/* Messages for the person, never into a pipe: always the terminal. One
 * call prints at most 511 bytes. Any context but NMI. */
void shell_err(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write_tty(line, len);
}

char *shell_pipe_buf_alloc(void)
{
	return kmalloc(SHELL_PIPE_FIRST);
}

/* A full-size buffer comes straight from the page allocator: a kmalloc()
 * this large would take a block twice the size for its header. */
void shell_pipe_buf_free(char *buf, size_t size)
{
	if (size > SHELL_PIPE_FIRST)
		free_pages(buf, SHELL_PIPE_ORDER);
	else
		kfree(buf);
}

/*
 * Read @file whole into a new buffer for a filter command @cmd (grep,
 * head ...). Returns 0, or 1 after printing why: no memory, the file's
 * errno, or a file larger than a pipe holds (a filter reads all or none).
 */
static int read_file(const char *cmd, const char *file, struct shell_text *t)
{
	struct seq_out out = { .size = SHELL_PIPE_MAX };
	int err;

	t->owned = out.buf = alloc_pages(SHELL_PIPE_ORDER);
	t->owned_size = SHELL_PIPE_MAX;
	if (!out.buf) {
		shell_err("%s: %s: no memory to read it\n", cmd, file);
		return 1;
	}
	err = pfs_read_path(file, &out);
	if (!err && out.overflow)
		shell_err("%s: %s: larger than %u KiB\n", cmd, file, (unsigned)(SHELL_PIPE_MAX / 1024));
	else if (err)
		shell_err("%s: %s: %s\n", cmd, file, errno_message(err));
	if (err || out.overflow) {
		shell_text_close(t);
		return 1;
	}
	t->buf = out.buf;
	t->len = out.len;
	return 0;
}

/* A filter's text: @file if given, else the pipe. 0, or 1 after a
 * message. shell_text_close() frees what it allocated. */
int shell_text_open(const char *cmd, const char *file, struct shell_text *t)
{
	t->owned = NULL;
	if (file)
		return read_file(cmd, file, t);
	if (!shell_input(&t->buf, &t->len))
		return 0;
	shell_err("%s: no input: give a FILE, or use %s after a |\n", cmd, cmd);
	return 1;
}

void shell_text_close(struct shell_text *t)
{
	if (t->owned)
		shell_pipe_buf_free(t->owned, t->owned_size);
	t->owned = NULL;
}
