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

const struct shell_cmd *shell_find(const char *name)
{
	const struct shell_cmd *const *pp;

	for_each_shell_cmd(pp)
		if (!strcmp((*pp)->name, name))
			return *pp;
	return NULL;
}

void shell_print_usage(const char *name)
{
	const struct shell_cmd *cmd = shell_find(name);

	if (cmd)
		shell_err("usage: %s%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args);
}

int shell_parse_u64(const char *cmd, const char *what, const char *s, u64 *out)
{
	int err = kstrtoull(s, 0, (unsigned long long *)out);

	if (err)
		shell_err("%s: %s: '%s' is not a %s\n", cmd, what, s,
			       err == -ERANGE ? "number in range" : "number");
	return err;
}

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

static int cmd_help(int argc, char **argv)
{
	const struct shell_cmd *const *pp;
	const struct shell_cmd *cmd;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2) {
		cmd = shell_find(argv[1]);
		if (!cmd) {
			console_printf("help: no command '%s'\n", argv[1]);
			return -ENOENT;
		}
		shell_print_usage(cmd->name);
		console_printf("  %s\n", cmd->help);
		return 0;
	}
	for_each_shell_cmd(pp) {
		char usage[64];

		cmd = *pp;
		snprintf(usage, sizeof(usage), "%s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
		console_printf("  %-28s %s\n", usage, cmd->help);
	}
	console_printf("\n  CMD | CMD ...    each command's output (at most %u KiB) is the next one's input\n"
		       "  CMD > FILE       write the output to FILE (>> appends)\n"
		       "  CMD &            run in the background (see jobs, fg, kill %%N)\n",
		       SHELL_PIPE_MAX / 1024);
	return 0;
}
SHELL_COMMAND("help", "[COMMAND]", "list commands, or show one command's usage", cmd_help);

/* echo [-n] [TEXT...]: -n leaves out the newline, as coreutils echo. */
static int cmd_echo(int argc, char **argv)
{
	int first = argc > 1 && !strcmp(argv[1], "-n") ? 2 : 1, i;

	for (i = first; i < argc; i++)
		console_printf("%s%s", i > first ? " " : "", argv[i]);
	if (first == 1)
		console_printf("\n");
	return 0;
}
SHELL_COMMAND("echo", "[-n] [TEXT...]", "print the words (-n: no newline)", cmd_echo);

static int cmd_dmesg(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return -EINVAL;
	printk_dump_log();
	return 0;
}
SHELL_COMMAND("dmesg", "", "print the kernel log", cmd_dmesg);
