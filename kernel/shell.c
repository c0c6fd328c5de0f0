// SPDX-License-Identifier: MIT
/*
 * The shell: read a line, split it into words, find the command, run it,
 * and turn its errno into a message a person can act on.
 *
 * Words are separated by blanks; single or double quotes keep blanks
 * inside one word. Commands live in the .shell_cmds section, so a file adds
 * one with SHELL_COMMAND() and no table here changes.
 */
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
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
		console_printf("usage: %s%s%s\n", cmd->name, *cmd->args ? " " : "", cmd->args);
}

int shell_parse_u64(const char *cmd, const char *what, const char *s, u64 *out)
{
	int err = kstrtoull(s, 0, (unsigned long long *)out);

	if (err)
		console_printf("%s: %s: '%s' is not a %s\n", cmd, what, s,
			       err == -ERANGE ? "number in range" : "number");
	return err;
}

/*
 * Split @line in place into words. Returns the count, or -EINVAL for an
 * unterminated quote, or -E2BIG for too many words.
 */
static int split_words(char *line, char **argv, int max)
{
	int argc = 0;
	char *in = line, *out = line;

	for (;;) {
		char quote = 0;

		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in)
			return argc;
		if (argc == max)
			return -E2BIG;
		argv[argc++] = out;
		while (*in && (quote || (*in != ' ' && *in != '\t'))) {
			if (!quote && (*in == '"' || *in == '\''))
				quote = *in++;
			else if (quote && *in == quote)
				quote = 0, in++;
			else
				*out++ = *in++;
		}
		if (quote)
			return -EINVAL;
		if (*in)
			in++;
		*out++ = '\0';
	}
}

int shell_execute(char *line)
{
	char *argv[SHELL_MAX_ARGS + 1];
	const struct shell_cmd *cmd;
	int argc = split_words(line, argv, SHELL_MAX_ARGS);
	int err;

	if (argc == -EINVAL) {
		console_printf("error: unterminated quote\n");
		return argc;
	}
	if (argc == -E2BIG) {
		console_printf("error: too many words (max %d)\n", SHELL_MAX_ARGS);
		return argc;
	}
	if (argc == 0)
		return 0;
	argv[argc] = NULL;
	cmd = shell_find(argv[0]);
	if (!cmd) {
		console_printf("%s: command not found (type 'help' for the list)\n", argv[0]);
		return -ENOENT;
	}
	console_clear_break();
	err = cmd->fn(argc, argv);
	if (err == -EINVAL)
		shell_print_usage(cmd->name);
	else if (err == -EINTR)
		console_printf("^C\n");
	else if (err < 0)
		console_printf("%s: %s\n", cmd->name, errno_message(err));
	return err;
}

void shell_run(void)
{
	static char line[CONSOLE_LINE_MAX];

	console_set_completion(shell_complete);
	for (;;) {
		int n = console_readline(PROMPT, line, sizeof(line));

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
	return 0;
}
SHELL_COMMAND("help", "[COMMAND]", "list commands, or show one command's usage", cmd_help);

/*
 * Find a redirection: "> FILE", ">> FILE", ">FILE" or ">>FILE". Returns the
 * index of the first redirection word (the text ends there), or argc.
 */
static int find_redirect(int argc, char **argv, const char **file, bool *append)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] != '>')
			continue;
		*append = w[1] == '>';
		w += 1 + *append;
		*file = *w ? w : (i + 1 < argc ? argv[i + 1] : NULL);
		return i;
	}
	*file = NULL;
	return argc;
}

static int cmd_echo(int argc, char **argv)
{
	char text[CONSOLE_LINE_MAX + 1];
	const char *file;
	bool append = false;
	int i, end = find_redirect(argc, argv, &file, &append), err;
	size_t len = 0;

	if (end < argc && !file) {
		console_printf("echo: a redirection needs a file name\n");
		return 1;
	}
	for (i = 1; i < end; i++)
		len += scnprintf(text + len, sizeof(text) - len, "%s%s", i > 1 ? " " : "", argv[i]);
	len += scnprintf(text + len, sizeof(text) - len, "\n");
	if (end == argc) {
		console_write(text, len);
		return 0;
	}
	err = pfs_write_path(file, text, len, append);
	/* -ENOENT from a file that exists is the file's own answer (no such
	 * event ...), not a missing path. */
	if ((err == -ENOENT && !pfs_lookup(file)) || err == -EISDIR || err == -EACCES)
		console_printf("echo: %s: %s\n", file, errno_message(err));
	else if (err)
		console_printf("echo: write error: %s\n", errno_message(err));
	return err ? 1 : 0;
}
SHELL_COMMAND("echo", "[TEXT...] [>|>> FILE]", "print the words, or write them to a file", cmd_echo);

static int cmd_dmesg(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return -EINVAL;
	printk_dump_log();
	return 0;
}
SHELL_COMMAND("dmesg", "", "print the kernel log", cmd_dmesg);
