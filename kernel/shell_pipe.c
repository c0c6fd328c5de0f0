// SPDX-License-Identifier: MIT
/*
 * Pipelines: `cat trace | grep fib | wc -l`, `CMD > FILE`.
 *
 * There are no processes to run side by side, so the stages run one
 * after another in the shell's task: each stage's output is collected
 * in a bounded buffer (SHELL_PIPE_MAX), which the next stage reads as
 * its input (shell_input()); the last stage prints on the terminal, or
 * its output is written to FILE in one write, as `echo ... > FILE`
 * always did. A stage that prints more than the buffer holds is asked
 * to stop as if by Ctrl-C, and the pipeline stops with a message. A
 * stage followed by head is asked to stop, quietly, once it has printed
 * the lines head reads - what SIGPIPE does on Linux - so that
 * `cat trace_pipe | head -5` ends by itself.
 *
 * Everything that can be checked before a stage runs is: the commands
 * exist, each after a | reads input, FILE can be written, the filters'
 * arguments parse. A bad line changes nothing.
 */
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <kernel/mm/kmalloc.h>
#include <lib/errno.h>
#include <lib/shell_words.h>
#include <lib/string.h>

/* Look up every stage's command; 0 or 1 after a message. */
static int find_commands(struct shell_line *l, const struct shell_cmd **cmds)
{
	int i;

	for (i = 0; i < l->nstages; i++) {
		const char *name = l->stages[i].argv[0];

		cmds[i] = shell_find(name);
		if (!cmds[i]) {
			shell_err("%s: command not found (type 'help' for the list)\n", name);
			return 1;
		}
		if (i && !cmds[i]->reads_input) {
			shell_err("%s: reads no input, so it cannot follow | "
				  "(filters: cat grep head tail wc sort)\n", name);
			return 1;
		}
	}
	return 0;
}

/* Run @cmd on @st with its input and output set to @io. */
static int run_stage(const struct shell_cmd *cmd, struct shell_stage *st, struct shell_io *io)
{
	struct task_struct *me = current;
	struct shell_io *saved = me->shell_io;
	int err;

	io->background = saved && saved->background;
	me->shell_io = io;
	err = shell_run_command(cmd, st->argc, st->argv);
	me->shell_io = saved;
	return err;
}

/*
 * The filters parse their arguments and stop: `x | head -n bad` runs no
 * x. Each says how many lines of its input it reads: @wanted[i] (SIZE_MAX:
 * all), if @wanted is not NULL.
 */
static int check_arguments(struct shell_line *l, const struct shell_cmd **cmds, size_t *wanted)
{
	int i;

	for (i = 0; i < l->nstages; i++) {
		struct shell_io io = { .checking = true, .lines_wanted = SIZE_MAX };

		if (cmds[i]->reads_input && run_stage(cmds[i], &l->stages[i], &io))
			return 1;
		if (wanted)
			wanted[i] = io.lines_wanted;
	}
	return 0;
}

/* Could the line's `> FILE` be written? Asked before anything runs, so a
 * typo in the file name does not cost a long command's output. 0, or 1
 * after the message. */
static int check_out_file(struct shell_line *l, const struct shell_cmd *last)
{
	int err;

	if (!l->out_file)
		return 0;
	err = pfs_check_write(l->out_file);
	if (err)
		shell_err("%s: %s: %s\n", last->name, l->out_file, errno_message(err));
	return err ? 1 : 0;
}

/* Every check that can fail a line before it runs: unknown commands,
 * the output file, the filters' arguments (and what they read, into
 * @wanted if not NULL). 0, or 1 after a message. */
static int check_line(struct shell_line *l, const struct shell_cmd **cmds, size_t *wanted)
{
	if (find_commands(l, cmds) || check_out_file(l, cmds[l->nstages - 1]))
		return 1;
	return l->nstages > 1 ? check_arguments(l, cmds, wanted) : 0;
}

int shell_pipe_check(struct shell_line *l)
{
	const struct shell_cmd *cmds[SHELL_MAX_STAGES];

	return check_line(l, cmds, NULL);
}

/*
 * Empty output is what Linux does with it: `>` opens FILE with O_TRUNC
 * and writes nothing, so files that clear on truncation (trace,
 * set_ftrace_filter, kprobe_events) clear and the others keep their value
 * without a complaint; `>>` touches nothing.
 */
static int write_out_file(struct shell_line *l, const char *name, struct seq_out *out)
{
	int err;

	if (!out->len && l->append)
		return 0;
	err = pfs_write_path(l->out_file, out->buf, out->len, l->append);
	if (!out->len)
		return 0;
	if (err)
		shell_err("%s: write error: %s\n", name, errno_message(err));
	return err ? 1 : 0;
}

/* Run the stages; @bufs[0..1] alternate as output and input (a stage's
 * output may grow: see SHELL_PIPE_FIRST). A stage stops once it has
 * printed all the next one reads (@wanted lines: head). */
static int run_stages(struct shell_line *l, const struct shell_cmd **cmds, struct seq_out *bufs,
		      const size_t *wanted)
{
	struct seq_out prev = { 0 };
	int i, status = 0;

	for (i = 0; i < l->nstages; i++) {
		bool last = i == l->nstages - 1;
		struct shell_io io = { 0 };

		if (!last || l->out_file)
			io.out = (struct seq_out){ .buf = bufs[i % 2].buf, .size = bufs[i % 2].size };
		if (!last && wanted[i + 1] != SIZE_MAX) {
			io.out_limited = true;
			io.out_lines = wanted[i + 1];
			io.out_enough = !io.out_lines;	/* head -n 0 */
		}
		if (i) {
			io.in = prev.buf;
			io.in_len = prev.len;
		}
		/* A job must not swallow a Ctrl-C meant for the foreground. */
		if (!shell_in_background())
			console_clear_break();
		status = run_stage(cmds[i], &l->stages[i], &io);
		if (io.out.buf) {	/* it may have moved to a larger buffer */
			bufs[i % 2].buf = io.out.buf;
			bufs[i % 2].size = io.out.size;
		}
		if (io.out.overflow) {
			shell_err("%s: more than %u KiB of output: too much for a pipe or a file; "
				  "stopped\n", cmds[i]->name, (unsigned)(io.out.size / 1024));
			return 1;
		}
		/* A stage stopped by Ctrl-C passes on what it had printed:
		 * `cat trace_pipe | grep fib` greps what came until then. */
		prev = io.out;
	}
	return l->out_file ? write_out_file(l, cmds[i - 1]->name, &prev) : status;
}

/*
 * Run a parsed line in this task: check it, then each stage in turn, the
 * output of one (at most SHELL_PIPE_MAX bytes) the input of the next.
 * Returns the last stage's status, 1 after a reported failure, or
 * -ENOMEM. Process context; sleeps.
 */
int shell_pipe_run(struct shell_line *l)
{
	const struct shell_cmd *cmds[SHELL_MAX_STAGES];
	struct seq_out bufs[2] = { { 0 }, { 0 } };
	size_t wanted[SHELL_MAX_STAGES];
	int status;

	if (check_line(l, cmds, wanted))
		return 1;
	if (l->nstages > 1 || l->out_file) {
		bufs[0] = (struct seq_out){ .buf = shell_pipe_buf_alloc(), .size = SHELL_PIPE_FIRST };
		if (l->nstages > 1)
			bufs[1] = (struct seq_out){ .buf = shell_pipe_buf_alloc(),
						    .size = SHELL_PIPE_FIRST };
		if (!bufs[0].buf || (l->nstages > 1 && !bufs[1].buf)) {
			shell_err("error: no memory for the pipe buffers\n");
			status = -ENOMEM;
			goto out;
		}
	}
	status = run_stages(l, cmds, bufs, wanted);
out:
	if (bufs[0].buf)
		shell_pipe_buf_free(bufs[0].buf, bufs[0].size);
	if (bufs[1].buf)
		shell_pipe_buf_free(bufs[1].buf, bufs[1].size);
	return status;
}
