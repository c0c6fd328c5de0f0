// SPDX-License-Identifier: MIT
/*
 * Background jobs: `cat trace_pipe &`, `cat trace | grep fib > x &`.
 *
 * A line ending in & runs in a kernel thread of its own, a "job" as a
 * shell has them (`run NAME ARG &` hands over the workload's own thread,
 * shell_job_adopt()): numbered %1, %2 ... in a small table, listed by `jobs`,
 * waited for by `fg %N`, stopped by `kill %N`. The job's output reaches
 * the terminal (or its pipe or file) as in the foreground. Ctrl-C at the
 * prompt is not for it: a job's break is its thread's kthread_stop,
 * which `kill %N` (or `kill PID`) sets, so `cat trace_pipe &` stops the
 * way a foreground one does on Ctrl-C (kernel/console.c).
 *
 * Only the shell's task touches the table; a job's thread touches its
 * own slot's line and I/O, and a slot is reused only after its thread
 * is gone (find_task() no longer sees it).
 */
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/wait.h>
#include <kernel/mm/kmalloc.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/shell_words.h>
#include <lib/string.h>

#define SHELL_MAX_JOBS	16	/* `run &` on each of 8 CPUs, and more */

struct shell_job {
	bool used;
	int pid;
	unsigned seq;		/* start order: the newest is %+ */
	bool killed;
	char text[CONSOLE_LINE_MAX];	/* the line, & included */
	struct shell_io io;
	struct completion exited;
};

static struct shell_job jobs[SHELL_MAX_JOBS];
static unsigned job_seq;

/*
 * The body of a job's kernel thread: run the line as a foreground
 * pipeline would, its output going through the slot's shell_io. Returns
 * the pipeline's status, or -ENOMEM. Context: its own thread; sleeps.
 */
static int job_thread(void *arg)
{
	struct shell_job *j = arg;
	struct shell_line *l = kmalloc(sizeof(*l));
	const char *why;
	int status = -ENOMEM;

	/* Parsed again here: the shell's copy is gone once we start. */
	if (l && !shell_parse_line(j->text, l, &why))
		status = shell_pipe_run(l);
	kfree(l);
	current->shell_io = NULL;	/* @j may be reused once we exit */
	return status;
}

/* A slot not in use, or NULL. Shell task only. */
static struct shell_job *free_slot(void)
{
	int i;

	for (i = 0; i < SHELL_MAX_JOBS; i++)
		if (!jobs[i].used)
			return &jobs[i];
	return NULL;
}

/* A cleared slot for a new job, or NULL after a message. */
static struct shell_job *new_job(const char *text)
{
	struct shell_job *j;

	if (shell_jobs_full())
		return NULL;
	j = free_slot();
	memset(j, 0, sizeof(*j));
	strscpy(j->text, text, sizeof(j->text));
	init_completion(&j->exited);
	return j;
}

/* Make @t, not yet woken, job @j: it completes @j->exited on its way out. */
static void enlist(struct shell_job *j, struct task_struct *t)
{
	t->killable = true;		/* kill %N, kill PID: asks it to stop */
	t->exit_done = &j->exited;
	j->used = true;
	j->pid = t->pid;
	j->seq = ++job_seq;
}

/*
 * Start @l, the line @text ending in &, as a job: check it as the
 * foreground would (so a bad line fails here, not silently in the job),
 * then a thread on the CPU the scheduler picks. Prints "[N] PID" as a
 * shell does. Returns 0, 1 after a message, or -ENOMEM. Shell task.
 */
int shell_job_start(struct shell_line *l, const char *text)
{
	struct shell_job *j;
	struct task_struct *t;

	if (shell_pipe_check(l))
		return 1;
	j = new_job(text);
	if (!j)
		return 1;
	j->io.background = true;
	t = kthread_create(job_thread, j, l->stages[0].argv[0]);
	if (!t)
		return -ENOMEM;
	kthread_bind(t, sched_pick_cpu());
	t->shell_io = &j->io;
	enlist(j, t);
	shell_err("[%d] %d\n", (int)(j - jobs) + 1, j->pid);
	wake_up_process(t);
	return 0;
}

/* True, after saying so, when every slot holds a job still running. */
bool shell_jobs_full(void)
{
	shell_jobs_report();		/* frees the slots of ended jobs */
	if (free_slot())
		return false;
	shell_err("error: %d jobs are running already (see jobs)\n", SHELL_MAX_JOBS);
	return true;
}

/* Make @t, a thread `run ... &` created and has not woken yet, a job;
 * with no free slot it runs unlisted. Shell task. */
void shell_job_adopt(struct task_struct *t, const char *text)
{
	struct shell_job *j = new_job(text);

	if (j)
		enlist(j, t);
}

/* A job has ended once its thread is gone (after it completed exited). */
static bool job_ended(const struct shell_job *j)
{
	return READ_ONCE(j->exited.done) && !find_task(j->pid);
}

/* '+' marks the newest job, '-' the one before, as bash does. */
static char job_mark(const struct shell_job *j)
{
	unsigned newer = 0;
	int i;

	for (i = 0; i < SHELL_MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].seq > j->seq)
			newer++;
	return newer == 0 ? '+' : newer == 1 ? '-' : ' ';
}

/* One line of `jobs`, or of the report: "[N]+  Running   TEXT". */
static void print_job(const struct shell_job *j, const char *state)
{
	shell_err("[%d]%c  %-24s%s\n", (int)(j - jobs) + 1, job_mark(j), state, j->text);
}

/* Before each prompt: print Done or Terminated for each job that ended
 * since, and free its slot (as bash reports finished jobs). Shell task. */
void shell_jobs_report(void)
{
	int i;

	for (i = 0; i < SHELL_MAX_JOBS; i++) {
		struct shell_job *j = &jobs[i];

		if (!j->used || !job_ended(j))
			continue;
		print_job(j, j->killed ? "Terminated" : "Done");
		j->used = false;
	}
}

/* "%N" to its job; NULL after a message. */
static struct shell_job *find_job(const char *cmd, const char *spec)
{
	unsigned long long n;

	if (spec[0] != '%' || kstrtoull(spec + 1, 10, &n) || n < 1 || n > SHELL_MAX_JOBS ||
	    !jobs[n - 1].used) {
		shell_err("%s: %s: no such job\n", cmd, spec);
		return NULL;
	}
	return &jobs[n - 1];
}

/* jobs: the running ones, then the report of those that ended. */
static int cmd_jobs(int argc, char **argv __always_unused)
{
	int i;

	if (argc != 1)
		return -EINVAL;
	for (i = 0; i < SHELL_MAX_JOBS; i++)
		if (jobs[i].used && !job_ended(&jobs[i]))
			print_job(&jobs[i], "Running");
	shell_jobs_report();
	return 0;
}
SHELL_COMMAND(SHELL_TASKS, "jobs", "", "list the background jobs (started with CMD &)", cmd_jobs);

/* fg %N: wait for the job as if it ran in the foreground; Ctrl-C stops it. */
static int cmd_fg(int argc, char **argv)
{
	struct shell_job *j;
	bool asked = false;

	if (argc != 2)
		return -EINVAL;
	j = find_job("fg", argv[1]);
	if (!j)
		return 1;
	shell_err("%s\n", j->text);
	while (!wait_for_completion_timeout(&j->exited, 20)) {
		if (!asked && console_break_pending()) {
			task_kill(j->pid);
			j->killed = asked = true;
		}
	}
	/* The wait took the completion's count: job_ended() would not see it. */
	while (find_task(j->pid))
		msleep(1);
	j->used = false;		/* ended in the foreground: no report */
	return 0;
}
SHELL_COMMAND(SHELL_TASKS, "fg", "%N", "wait for background job N (Ctrl-C stops it)", cmd_fg);

/* `kill PID` found a job's thread: its end will say Terminated. */
void shell_job_note_kill(int pid)
{
	int i;

	for (i = 0; i < SHELL_MAX_JOBS; i++)
		if (jobs[i].used && jobs[i].pid == pid)
			jobs[i].killed = true;
}

/* kill %N, for the kill command (kernel/ps.c). Returns 0 or 1. */
int shell_job_kill(const char *spec)
{
	struct shell_job *j = find_job("kill", spec);

	if (!j)
		return 1;
	if (!job_ended(j)) {
		j->killed = true;
		task_kill(j->pid);
	}
	return 0;
}
