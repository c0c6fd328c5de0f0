// SPDX-License-Identifier: MIT
/*
 * The shell: read a line, split it into a pipeline (lib/shell_words.c),
 * run it in the foreground (kernel/shell_pipe.c) or as a job
 * (kernel/shell_jobs.c), and turn each command's errno into a message a
 * person can act on.
 *
 * Commands live in the .shell_cmds section, so a file adds one with
 * SHELL_COMMAND() and no table here changes.
 */
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <kernel/shell_io.h>
#include <kernel/mm/kmalloc.h>
#include <lib/shell_words.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define PROMPT	"loupe> "


#define for_each_shell_cmd(pp) \
	for (pp = __start_shell_cmds; pp < __stop_shell_cmds; pp++)

/* The command called @name, or NULL: a walk over the linker's table of
 * SHELL_COMMAND() entries (a few dozen; only typed lines look). */
const struct shell_cmd *shell_find(const char *name)
{
	const struct shell_cmd *const *pp;

	for_each_shell_cmd(pp)
		if (!strcmp((*pp)->name, name))
			return *pp;
	return NULL;
}

/* "usage: NAME ARGS" on the error stream, for a command that got -EINVAL. */
void shell_print_usage(const char *name)
{
	const struct shell_cmd *cmd = shell_find(name);

	if (cmd)
		shell_err("usage: %s%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args);
}

/*
 * Read a number argument (decimal, 0x hex, 0 octal) for command @cmd;
 * on failure print which argument (@what) was wrong and return the
 * -EINVAL or -ERANGE - a caller returning it as is gets no second message.
 */
int shell_parse_u64(const char *cmd, const char *what, const char *s, u64 *out)
{
	int err = kstrtoull(s, 0, (unsigned long long *)out);

	if (err)
		shell_err("%s: %s: '%s' is not a %s\n", cmd, what, s,
			       err == -ERANGE ? "number in range" : "number");
	return err;
}

/*
 * Run one command and turn its result into what the user reads: -EINVAL
 * prints the usage, -EINTR a "^C" (only in the foreground), any other
 * errno its message. Returns the command's own result; a positive one
 * is an exit status that the command already explained.
 */
int shell_run_command(const struct shell_cmd *cmd, int argc, char **argv)
{
	int err = cmd->fn(argc, argv);

	if (err == -EINVAL)
		shell_print_usage(cmd->name);
	else if (err == -EINTR && !shell_in_background())
		shell_err("^C\n");	/* a killed job says so before the next prompt */
	else if (err < 0)
		shell_err("%s: %s\n", cmd->name, errno_message(err));
	return err;
}

/*
 * A command whose usage shows "[&]" (run) starts its own background
 * thread: hand it the & rather than wrap it in a job.
 */
static bool takes_own_ampersand(struct shell_line *l)
{
	struct shell_stage *st = &l->stages[0];
	const struct shell_cmd *cmd = shell_find(st->argv[0]);

	if (l->nstages != 1 || l->out_file || !cmd || !strstr(cmd->args, "[&]"))
		return false;
	/* argv has room: the parser keeps a slot per stage for the NULL. */
	st->argv[st->argc++] = "&";
	st->argv[st->argc] = NULL;
	return true;
}

/*
 * Parse and run one typed line: a syntax error is reported and nothing
 * runs; `&` makes it a job, else the pipeline runs in the foreground
 * and this returns when it ends. Returns what the pipeline (or the job's
 * start) returned, or the parse error. Context: a thread; sleeps.
 */
int shell_execute(char *line)
{
	struct shell_line *l = kmalloc(sizeof(*l));
	const char *why;
	int err;

	if (!l) {
		shell_err("error: out of memory\n");
		return -ENOMEM;
	}
	err = shell_parse_line(line, l, &why);
	if (err)
		shell_err("error: %s\n", why);
	else if (l->nstages && l->background && !takes_own_ampersand(l))
		err = shell_job_start(l, line);
	else if (l->nstages)
		err = shell_pipe_run(l);
	kfree(l);
	return err;
}

/*
 * The shell's main loop, never returning: report finished jobs, read a
 * line, run it. Lines the editor refused (too long, a control byte)
 * are explained and dropped; an empty line or Ctrl-C just prompts again.
 */
void shell_run(void)
{
	static char line[CONSOLE_LINE_MAX];

	console_set_completion(shell_complete);
	for (;;) {
		int n;

		shell_jobs_report();
		n = console_readline(PROMPT, line, sizeof(line));
		if (n == -E2BIG)
			console_printf("error: line too long (max %d characters)\n",
				       CONSOLE_LINE_MAX - 1);
		else if (n == -EILSEQ)
			console_printf("error: control character 0x%02x in input; line ignored\n",
				       console_last_bad_char());
		else if (n > 0)
			shell_execute(line);
	}
}

/* ---- built-in commands ---- */

static const char *const group_names[SHELL_NR_GROUPS] = {
	[SHELL_SYSTEM] = "system", [SHELL_TASKS] = "tasks", [SHELL_FILES] = "files",
	[SHELL_TRACING] = "tracing", [SHELL_INSPECTION] = "inspection",
};

/* `help NAME`: the usage, the one line, and the longer text if any. */
static int help_one(const char *name)
{
	const struct shell_cmd *cmd = shell_find(name);

	if (!cmd) {
		console_printf("help: no command '%s'\n", name);
		return -ENOENT;
	}
	shell_print_usage(cmd->name);
	console_printf("  %s\n", cmd->help);
	if (cmd->more) {
		const char *line = cmd->more, *end;

		/* A line at a time: console_printf() formats into a line buffer. */
		console_printf("\n");
		for (; *line; line = *end ? end + 1 : end) {
			end = strchrnul(line, '\n');
			console_printf("%.*s\n", (int)(end - line), line);
		}
	}
	return 0;
}

/* The next command of @group after @prev in name order (NULL: the first). */
static const struct shell_cmd *next_in_group(enum shell_group group, const struct shell_cmd *prev)
{
	const struct shell_cmd *const *pp, *best = NULL;

	for_each_shell_cmd(pp) {
		const struct shell_cmd *c = *pp;

		if (c->group != group || (prev && strcmp(c->name, prev->name) <= 0))
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

/*
 * `help`: every command under its group's heading, sorted by name. The
 * table is the linker's, in link order, so each group is a selection
 * sort: a few dozen commands, once per `help`.
 */
static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *cmd;
	unsigned g;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2)
		return help_one(argv[1]);
	for (g = 0; g < SHELL_NR_GROUPS; g++) {
		console_printf("%s%s\n", g ? "\n" : "", group_names[g]);
		for (cmd = next_in_group(g, NULL); cmd; cmd = next_in_group(g, cmd)) {
			char usage[64];

			snprintf(usage, sizeof(usage), "%s%s%s", cmd->name, *cmd->args ? " " : "",
				 cmd->args);
			console_printf("  %-28s %s\n", usage, cmd->help);
		}
		if (g == SHELL_TRACING)
			console_printf("  %-28s %s\n", "(files)", "tracing itself is files, as on Linux: "
				       "cd /sys/kernel/tracing; cat README");
	}
	console_printf("\n  CMD | CMD ...    each command's output (at most %u KiB) is the next one's input\n"
		       "  CMD > FILE       write the output to FILE (>> appends)\n"
		       "  CMD &            run in the background (see jobs, fg, kill %%N)\n"
		       "  help COMMAND     one command's usage; help dis walks through every probe mechanism\n",
		       (unsigned)(SHELL_PIPE_MAX / 1024));
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "help", "[COMMAND]", "list commands, or show one command's usage", cmd_help);

/*
 * echo [-n] [TEXT...]: -n leaves out the newline, as coreutils echo. The
 * line goes out in one write, so a background job's output cannot land
 * in the middle of it. (The words came from one console line: they fit.)
 */
static int cmd_echo(int argc, char **argv)
{
	int first = argc > 1 && !strcmp(argv[1], "-n") ? 2 : 1, i;
	char line[CONSOLE_LINE_MAX + 1];
	size_t len = 0;

	for (i = first; i < argc; i++)
		len += scnprintf(line + len, sizeof(line) - len, "%s%s", i > first ? " " : "",
				 argv[i]);
	if (first == 1)
		len += scnprintf(line + len, sizeof(line) - len, "\n");
	console_write(line, len);
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "echo", "[-n] [TEXT...]", "print the words (-n: no newline)", cmd_echo);

/* dmesg: the printk log buffer, oldest line first. */
static int cmd_dmesg(int argc, char **argv __always_unused)
{
	if (argc != 1)
		return -EINVAL;
	printk_dump_log();
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "dmesg", "", "print the kernel log", cmd_dmesg);
