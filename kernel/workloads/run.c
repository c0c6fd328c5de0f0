// SPDX-License-Identifier: MIT
/*
 * `run [-c CPU] NAME ARG [&]`: start a demo workload in kernel threads.
 *
 *	run fib N	compute fib(N) with the naive recursion
 *	run alloc N	N rounds of kmalloc + kfree of varied sizes
 *	run pingpong N	two threads wake each other N times
 *	run sleep MS	sleep MS milliseconds
 *	run words N	N calls of word_count() on a sentence (a string argument)
 *
 * In the foreground the shell waits, and Ctrl-C stops the workload; with a
 * trailing `&` it runs in the background (see ps, kill). Each prints one
 * line when it ends. The workload's thread runs on the least busy CPU, or
 * on CPU with -c (pinned: tasks never move; threads it starts share it).
 */
#include <kernel/workloads/workloads.h>
#include <kernel/console.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

/* One `run`: what to run with which argument, and how its end is told. */
struct job {
	const struct workload *w;
	u64 arg;
	bool background;
	struct completion exited;
	int pid;
};

/* A workload the command knows, with the largest argument it accepts. */
struct workload {
	const char *name;
	const char *arg_name;
	u64 max;			/* largest accepted argument */
	bool async_kill;		/* pure computation: may be stopped anywhere */
	int (*body)(struct job *j);
};

/* The body of each workload runs in the job's thread and prints one line
 * when it is done; -EINTR when asked to stop (kill, Ctrl-C). */
static int fib_body(struct job *j)
{
	u64 t0 = clock_ns();
	unsigned long v = fib(j->arg);

	console_printf("fib(%llu) = %lu (%lu calls, %llu ms)\n", (unsigned long long)j->arg, v,
		       fib_calls(j->arg), (unsigned long long)((clock_ns() - t0) / NSEC_PER_MSEC));
	return 0;
}

/* Sizes vary over 16..3015 bytes so that every small class and the
 * large path are used; each block is written to so that it is real. */
static int alloc_body(struct job *j)
{
	u64 i;

	for (i = 0; i < j->arg; i++) {
		size_t size = 16 + (i * 37) % 3000;
		void *p = kmalloc(size);

		if (!p) {
			console_printf("alloc: out of memory after %llu rounds\n", (unsigned long long)i);
			return -ENOMEM;
		}
		memset(p, (int)i, size);
		kfree(p);
		if (kthread_should_stop())
			return -EINTR;
	}
	console_printf("alloc: %llu kmalloc/kfree rounds done\n", (unsigned long long)i);
	return 0;
}

/* Two threads handing a turn back and forth through two completions:
 * each round trip is two wake-ups and two context switches. */
struct pingpong {
	struct completion ping, pong;
	u64 rounds;
	bool stop;
};

/* The partner thread: answer every ping with a pong until told to stop. */
static int pong_body(void *arg)
{
	struct pingpong *pp = arg;
	u64 i;

	for (i = 0; i < pp->rounds; i++) {
		wait_for_completion(&pp->ping);
		if (pp->stop)
			break;
		complete(&pp->pong);
	}
	return 0;
}

/* Start the partner (on this CPU: threads a job starts share it), play
 * N rounds, then make sure the partner has ended before returning. */
static int pingpong_body(struct job *j)
{
	struct pingpong pp = { .rounds = j->arg };
	struct completion pong_done;
	struct task_struct *partner;
	u64 i, t0 = clock_ns();

	init_completion(&pp.ping);
	init_completion(&pp.pong);
	init_completion(&pong_done);
	partner = kthread_create(pong_body, &pp, "pong");
	if (!partner)
		return -ENOMEM;
	partner->exit_done = &pong_done;
	wake_up_process(partner);
	for (i = 0; i < pp.rounds && !kthread_should_stop(); i++) {
		complete(&pp.ping);
		wait_for_completion(&pp.pong);
	}
	if (i < pp.rounds) {		/* stopped early: release the partner */
		pp.stop = true;
		complete(&pp.ping);
	}
	wait_for_completion(&pong_done);
	console_printf("pingpong: %llu round trips in %llu ms\n", (unsigned long long)i,
		       (unsigned long long)((clock_ns() - t0) / NSEC_PER_MSEC));
	return i < pp.rounds ? -EINTR : 0;
}

/* Sleep, and say how long it really took (a tick's precision). */
static int sleep_body(struct job *j)
{
	u64 t0 = clock_ns();

	if (msleep(j->arg))
		return -EINTR;
	console_printf("sleep: woke after %llu ms\n",
		       (unsigned long long)((clock_ns() - t0) / NSEC_PER_MSEC));
	return 0;
}

static int words_body(struct job *j)
{
	console_printf("words: %lu words in %llu calls\n", words_run(j->arg),
		       (unsigned long long)j->arg);
	return 0;
}

static const struct workload workloads[] = {
	{ "fib", "N", 60, true, fib_body },
	{ "alloc", "N", 100000000, false, alloc_body },
	{ "pingpong", "N", 100000000, false, pingpong_body },
	{ "sleep", "MS", 3600000, false, sleep_body },
	{ "words", "N", 100000000, true, words_body },
};

/* The job's kernel thread. A background job says when it was stopped;
 * a foreground one is reported by the shell waiting for it. */
static int job_thread(void *arg)
{
	struct job *j = arg;
	int err = j->w->body(j);

	if (err == -EINTR && j->background)
		console_printf("%s: stopped\n", j->w->name);
	return err;
}

/* The workload called @name, or NULL. */
static const struct workload *find_workload(const char *name)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strcmp(workloads[i].name, name))
			return &workloads[i];
	return NULL;
}

/* The usage line: every workload and its argument. */
static void list_workloads(void)
{
	unsigned i;

	console_printf("workloads:");
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		console_printf(" %s %s%s", workloads[i].name, workloads[i].arg_name,
			       i + 1 < ARRAY_SIZE(workloads) ? "," : "\n");
}

/* Foreground: wait for the job, stopping it on Ctrl-C. Returns true if
 * it was asked to stop. */
static bool wait_foreground(struct job *j)
{
	bool asked = false;

	while (!wait_for_completion_timeout(&j->exited, 20)) {
		if (!asked && console_break_pending()) {
			task_kill(j->pid);
			asked = true;
		}
	}
	return asked;
}

/*
 * `-c CPU` at the front of argv: the CPU, or -1 if absent; -2 if bad
 * (message printed: not a number, or not a CPU that is online). Shifts
 * it off argv, so that the rest reads as without it.
 */
static int take_cpu_option(int *argc, char ***argv)
{
	u64 cpu;

	if (*argc < 2 || strcmp((*argv)[1], "-c"))
		return -1;
	if (*argc < 3) {
		console_printf("run: -c needs a CPU number\n");
		return -2;
	}
	if (shell_parse_u64("run", "CPU", (*argv)[2], &cpu))
		return -2;
	if (cpu >= NR_CPUS || !cpu_online(cpu)) {
		console_printf("run: CPU%llu is not online (online: 0-%d, see cpus)\n",
			       (unsigned long long)cpu, nr_cpus_online - 1);
		return -2;
	}
	*argc -= 2;
	*argv += 2;
	(*argv)[0] = "run";
	return (int)cpu;
}

/*
 * The workload NAME and its ARG (argv[1], argv[2]), checked: *@w and
 * *@arg, and 0; or 1 after a message saying what is wrong.
 */
static int parse_workload(char **argv, const struct workload **w, u64 *arg)
{
	*w = find_workload(argv[1]);
	if (!*w) {
		console_printf("run: no workload '%s'\n", argv[1]);
		list_workloads();
		return 1;
	}
	if (shell_parse_u64("run", (*w)->arg_name, argv[2], arg))
		return 1;
	if (*arg > (*w)->max) {
		console_printf("run: %s %s must be at most %llu\n", (*w)->name, (*w)->arg_name,
			       (unsigned long long)(*w)->max);
		return 1;
	}
	return 0;
}

/*
 * The shell owns a background job through its thread, even if stopped
 * anywhere: adopt @t under the command line that made it (jobs, fg %N,
 * kill %N list it), and let the thread free @j when it is released.
 */
static void adopt_background(struct task_struct *t, struct job *j, int cpu)
{
	char line[64];

	if (cpu >= 0)
		snprintf(line, sizeof(line), "run -c %d %s %llu &", cpu, j->w->name,
			 (unsigned long long)j->arg);
	else
		snprintf(line, sizeof(line), "run %s %llu &", j->w->name, (unsigned long long)j->arg);
	shell_job_adopt(t, line);
	t->release_data = j;
}

/*
 * Make job @j's thread, not yet woken, on @cpu (-1: the least busy), and
 * hand it to the shell as a background job or tie it to this command as
 * a foreground one. Returns the thread, or NULL (-ENOMEM; @j is freed).
 */
static struct task_struct *make_job_thread(struct job *j, int cpu)
{
	struct task_struct *t = kthread_create(job_thread, j, j->w->name);

	if (!t) {
		kfree(j);
		return NULL;
	}
	kthread_bind(t, cpu >= 0 ? cpu : sched_pick_cpu());
	t->killable = true;
	t->async_kill = j->w->async_kill;
	j->pid = t->pid;
	if (j->background) {
		adopt_background(t, j, cpu);
	} else {
		t->exit_done = &j->exited;
		/* Its line goes where ours does (`run fib 20 | grep calls`):
		 * we wait for it, so our shell_io outlives it. */
		t->shell_io = current->shell_io;
	}
	return t;
}

/*
 * `run [-c CPU] NAME ARG [&]`: check the arguments, make the job's thread
 * (placed on the least busy CPU unless -c says), then either leave it to
 * the shell as a job and return at once, or wait for it with the shell's
 * output as its own. Returns 0, 1 after a message, or an errno (usage
 * printed).
 */
static int cmd_run(int argc, char **argv)
{
	const struct workload *w;
	struct task_struct *t;
	struct job *j;
	int cpu = take_cpu_option(&argc, &argv), pid;
	bool background = argc == 4 && !strcmp(argv[3], "&");
	u64 arg;

	if (cpu == -2)
		return 1;
	if (argc != 3 && !background) {
		list_workloads();
		return -EINVAL;
	}
	if (parse_workload(argv, &w, &arg))
		return 1;
	if (background && shell_jobs_full())
		return 1;
	j = kzalloc(sizeof(*j));
	if (!j)
		return -ENOMEM;
	*j = (struct job){ .w = w, .arg = arg, .background = background };
	init_completion(&j->exited);
	t = make_job_thread(j, cpu);
	if (!t)
		return -ENOMEM;
	/* A background job (t and j) may be gone as soon as it is woken. */
	cpu = t->cpu;
	pid = j->pid;
	wake_up_process(t);
	if (background) {
		console_printf("[%d] %s %llu on CPU%d\n", pid, w->name, (unsigned long long)arg, cpu);
		return 0;
	}
	if (wait_foreground(j)) {
		console_write_tty("^C\n", 3);
		console_printf("%s: stopped\n", w->name);
	}
	kfree(j);
	return 0;
}
SHELL_COMMAND(SHELL_TASKS, "run", "[-c CPU] NAME ARG [&]",
	      "start a demo workload: fib N, alloc N, pingpong N, sleep MS, words N; "
	      "with & it is a job (jobs, fg %N, kill %N) and [PID] is its thread's; "
	      "-c CPU pins it to that CPU (else the least busy CPU)", cmd_run);
