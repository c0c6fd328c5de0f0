/* SPDX-License-Identifier: MIT */
/*
 * A shell command's standard input and output, in a kernel with no
 * processes and no file descriptors.
 *
 * Commands print with console_printf() and console_write(), as they
 * always have. While the shell runs one stage of a pipeline, or a command
 * whose output goes to a file, the task's shell_io says where that output
 * goes instead of the terminal: a bounded buffer (SHELL_PIPE_MAX), which
 * becomes the next stage's input, or is written to the file at the end.
 * Messages meant for the person (errors, usage, ^C) are printed with
 * shell_err(), which always reaches the terminal, as stderr does.
 */
#ifndef KERNEL_SHELL_IO_H
#define KERNEL_SHELL_IO_H

#include <kernel/pseudofs.h>
#include <lib/types.h>
#include <asm/page.h>

/*
 * Bytes one stage may pass on: at most 2 MiB, room for the text of a
 * whole trace buffer at its default size (`cat trace | grep fib`). A
 * stage's output starts in SHELL_PIPE_FIRST bytes and moves, once, to
 * SHELL_PIPE_MAX bytes of whole pages when it needs them, so that the
 * many short outputs (`echo 1 > enable`) cost no large block - and still
 * work when the trace buffer has taken nearly all memory.
 */
#define SHELL_PIPE_FIRST	(64 * 1024)
#define SHELL_PIPE_ORDER	9
#define SHELL_PIPE_MAX		(PAGE_SIZE << SHELL_PIPE_ORDER)

/* A stage's first buffer (SHELL_PIPE_FIRST bytes), or NULL; and the free
 * of one that has @size bytes now (NULL is fine). May sleep. */
char *shell_pipe_buf_alloc(void);
void shell_pipe_buf_free(char *buf, size_t size);

struct shell_io {
	struct seq_out out;	/* .buf NULL: the terminal */
	const char *in;		/* the previous stage's output, or NULL */
	size_t in_len;
	bool checking;		/* parse the arguments, then return 0 */
	bool background;	/* a job: Ctrl-C at the prompt is not for it */
	/*
	 * The next stage reads only the first out_lines lines (head): once
	 * they are in, the rest of the output is cut and the command is told
	 * to stop, as SIGPIPE stops `cat trace_pipe | head` on Linux.
	 */
	bool out_limited;
	size_t out_lines;	/* lines still wanted, when out_limited */
	bool out_enough;	/* they are all in */
	size_t lines_wanted;	/* checking: what this filter reads (SIZE_MAX: all) */
};

/* Called by console_write()/console_printf(): true if the text was taken
 * into the current task's output buffer. Context: any (interrupts and
 * other tasks always print on the terminal). */
bool shell_io_capture(const char *s, size_t len);

/*
 * The input of the running command: what the previous stage printed.
 * Returns 0, or -ENODATA if it is first in its pipeline (the console is
 * not read as input: give a FILE).
 */
int shell_input(const char **buf, size_t *len);

/*
 * Is the shell only checking this command's arguments before it runs a
 * pipeline (so that `cat x | head -n bad` fails before cat runs)? A
 * filter returns 0 right after parsing when this is true.
 */
bool shell_checking(void);

/* A filter's input: its FILE argument read whole, or the pipe. */
struct shell_text {
	const char *buf;
	size_t len;
	char *owned;		/* the FILE's copy, freed by shell_text_close() */
	size_t owned_size;
};

/**
 * shell_text_open - what filter @cmd reads: @file (NULL: the pipe)
 *
 * Returns 0, or 1 after printing why not (no such file, a file larger
 * than SHELL_PIPE_MAX, no FILE and no pipe). May sleep.
 */
int shell_text_open(const char *cmd, const char *file, struct shell_text *t);
void shell_text_close(struct shell_text *t);

/* Has the running command filled its output buffer, or given the next
 * stage every line it reads? Then it is told to stop as by Ctrl-C
 * (console_break_pending()). */
bool shell_output_full(void);

/* A filter, while the shell checks its line (shell_checking()), says it
 * reads only the first @n lines of its input (head). */
void shell_input_lines_wanted(size_t n);

/* Is the current task a background job (kernel/shell_jobs.c)? */
bool shell_in_background(void);

/* Print on the terminal whatever the output is redirected to (stderr). */
__attribute__((format(printf, 1, 2))) void shell_err(const char *fmt, ...);

#endif /* KERNEL_SHELL_IO_H */
