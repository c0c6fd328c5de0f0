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

struct shell_cmd {
	const char *name;
	const char *args;	/* usage, e.g. "[SUITE]" */
	const char *help;	/* one line */
	int (*fn)(int argc, char **argv);
};

#define SHELL_COMMAND(cname, cargs, chelp, cfn)				\
	static const struct shell_cmd __shell_cmd_##cfn = {		\
		.name = cname, .args = cargs, .help = chelp, .fn = cfn,	\
	};								\
	static const struct shell_cmd *const __shell_cmd_ptr_##cfn	\
	__attribute__((section(".shell_cmds"), used)) = &__shell_cmd_##cfn

/* Run the interactive loop: prompt, read, execute. Never returns. */
__attribute__((noreturn)) void shell_run(void);

/* Execute one command line as if typed. Returns the command's result. */
int shell_execute(char *line);

/* Print the usage line of the command named @name. */
void shell_print_usage(const char *name);

const struct shell_cmd *shell_find(const char *name);

/* Tab completion (kernel/shell_complete.c): see console_complete_fn. */
size_t shell_complete(char *buf, size_t len, size_t size);

extern const struct shell_cmd *const __start_shell_cmds[], *const __stop_shell_cmds[];

/* Parse a number argument for a command; prints a message on error. */
int shell_parse_u64(const char *cmd, const char *what, const char *s, u64 *out);

#endif
