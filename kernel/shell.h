/* SPDX-License-Identifier: MIT */
/*
 * The shell: a table of commands, each registered where it is implemented
 * with SHELL_COMMAND(), collected by the linker into .shell_cmds.
 *
 * A command gets argc/argv (argv[0] is its name) and returns 0 or a
 * negative errno: -EINVAL makes the shell print the usage line, any other
 * error prints "NAME: <message>". Commands print with console_printf().
 */
#ifndef KERNEL_SHELL_H
#define KERNEL_SHELL_H

#include <lib/types.h>

#define SHELL_MAX_ARGS	32

/* The headings `help` lists commands under, in this order. */
enum shell_group {
	SHELL_SYSTEM,		/* the machine and the kernel: uptime, mem, selftest ... */
	SHELL_TASKS,		/* workloads and jobs: run, ps, kill ... */
	SHELL_FILES,		/* the pseudo-file tree and the filters: cat, ls, grep ... */
	SHELL_TRACING,		/* tracing beyond its files: bench, livepatch */
	SHELL_INSPECTION,	/* looking at code and stacks: dis, sym, bt, crash */
	SHELL_NR_GROUPS
};

struct shell_cmd {
	const char *name;
	const char *args;	/* usage, e.g. "[SUITE]"; "[&]": takes & itself */
	const char *help;	/* one line */
	const char *more;	/* `help NAME` prints this too, or NULL */
	int (*fn)(int argc, char **argv);
	enum shell_group group;
	bool reads_input;	/* a filter: may follow | (see shell_input()) */
};

#define __SHELL_COMMAND(cgroup, cname, cargs, chelp, cmore, cfn, input)	\
	static const struct shell_cmd __shell_cmd_##cfn = {		\
		.name = cname, .args = cargs, .help = chelp, .more = cmore,	\
		.fn = cfn, .group = cgroup, .reads_input = input,	\
	};								\
	static const struct shell_cmd *const __shell_cmd_ptr_##cfn	\
	__attribute__((section(".shell_cmds"), used)) = &__shell_cmd_##cfn

#define SHELL_COMMAND(cgroup, cname, cargs, chelp, cfn)			\
	__SHELL_COMMAND(cgroup, cname, cargs, chelp, NULL, cfn, false)
/* The same with a longer text for `help NAME` (a walk-through, say). */
#define SHELL_COMMAND_MORE(cgroup, cname, cargs, chelp, cmore, cfn)	\
	__SHELL_COMMAND(cgroup, cname, cargs, chelp, cmore, cfn, false)
/* A command that reads the previous command's output: grep, wc, sort ... */
#define SHELL_FILTER(cgroup, cname, cargs, chelp, cfn)			\
	__SHELL_COMMAND(cgroup, cname, cargs, chelp, NULL, cfn, true)

/* Run the interactive loop: prompt, read, execute. Never returns. */
__attribute__((noreturn)) void shell_run(void);

/*
 * Execute one command line as if typed: a pipeline, with > FILE or a
 * final & (kernel/shell_pipe.c, kernel/shell_jobs.c). Returns the last
 * command's result, or -EINVAL for a line refused before anything ran.
 */
int shell_execute(char *line);

/*
 * Run one command of a pipeline with its argv, print the message its
 * error asks for, and return its result (kernel/shell.c).
 */
int shell_run_command(const struct shell_cmd *cmd, int argc, char **argv);

struct shell_line;
/* Run a parsed line in the foreground, in this task (kernel/shell_pipe.c). */
int shell_pipe_run(struct shell_line *l);
/* Check a parsed line as shell_pipe_run() would before running anything:
 * 0, or 1 after printing why not. */
int shell_pipe_check(struct shell_line *l);
/* Start @l (a line ending in &, its text @text) as a job (kernel/shell_jobs.c). */
int shell_job_start(struct shell_line *l, const char *text);
/*
 * Make @t (created, not yet woken) a job, as if started by a line @text:
 * `jobs`, `fg %N`, `kill %N` see it (the caller says it started); sets @t->exit_done
 * and @t->killable. Check shell_jobs_full() first: true (after a message)
 * when no job can be added.
 */
struct task_struct;
bool shell_jobs_full(void);
void shell_job_adopt(struct task_struct *t, const char *text);
/* `kill PID` asked @pid to stop: if it is a job's, it ends "Terminated". */
void shell_job_note_kill(int pid);
/* kill %N: ask job N to stop. 0, or 1 after a message (kernel/shell_jobs.c). */
int shell_job_kill(const char *spec);
/* Before each prompt: print "[N]+  Done ..." for jobs that ended. */
void shell_jobs_report(void);

/* Print the usage line of the command named @name. */
void shell_print_usage(const char *name);

const struct shell_cmd *shell_find(const char *name);

/* Tab completion (kernel/shell_complete.c): see console_complete_fn. */
size_t shell_complete(char *buf, size_t len, size_t size);

extern const struct shell_cmd *const __start_shell_cmds[], *const __stop_shell_cmds[];

/* Parse a number argument for a command; prints a message on error. */
int shell_parse_u64(const char *cmd, const char *what, const char *s, u64 *out);

#endif
