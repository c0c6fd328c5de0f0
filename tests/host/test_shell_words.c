// SPDX-License-Identifier: MIT
/* Host tests for lib/shell_words.c: how console lines split into
 * pipelines, and every syntax error with its message. */
#include <criterion/criterion.h>
#include <string.h>

#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/shell_words.h>

static struct shell_line line;

static void parse_ok(const char *text)
{
	const char *err;

	cr_assert_eq(shell_parse_line(text, &line, &err), 0, "'%s': %s", text, err);
}

static void expect_argv(int stage, const char *const *want)
{
	struct shell_stage *st = &line.stages[stage];
	int i;

	for (i = 0; want[i]; i++) {
		cr_assert_lt(i, st->argc, "stage %d has %d words", stage, st->argc);
		cr_expect_str_eq(st->argv[i], want[i]);
	}
	cr_expect_eq(st->argc, i);
	cr_expect_null(st->argv[i]);
}

Test(shell_words, plain_command)
{
	parse_ok("  echo  hello   world ");
	cr_expect_eq(line.nstages, 1);
	expect_argv(0, (const char *[]){ "echo", "hello", "world", NULL });
	cr_expect_null(line.out_file);
	cr_expect(!line.background);
}

Test(shell_words, blank_line_has_no_stage)
{
	parse_ok("   \t ");
	cr_expect_eq(line.nstages, 0);
}

Test(shell_words, quotes_keep_blanks_and_operators)
{
	parse_ok("grep -E 'fib|words' \"a > b\" '' x'y z'");
	cr_expect_eq(line.nstages, 1);
	expect_argv(0, (const char *[]){ "grep", "-E", "fib|words", "a > b", "", "xy z", NULL });
}

Test(shell_words, pipeline_with_and_without_blanks)
{
	parse_ok("cat trace | grep fib|wc -l");
	cr_expect_eq(line.nstages, 3);
	expect_argv(0, (const char *[]){ "cat", "trace", NULL });
	expect_argv(1, (const char *[]){ "grep", "fib", NULL });
	expect_argv(2, (const char *[]){ "wc", "-l", NULL });
}

Test(shell_words, redirections_and_background)
{
	parse_ok("echo fib > set_ftrace_filter");
	cr_expect_str_eq(line.out_file, "set_ftrace_filter");
	cr_expect(!line.append);
	parse_ok("echo 'p:x fib'>>kprobe_events");
	cr_expect_str_eq(line.out_file, "kprobe_events");
	cr_expect(line.append);
	expect_argv(0, (const char *[]){ "echo", "p:x fib", NULL });
	parse_ok("cat trace_pipe &");
	cr_expect(line.background);
	expect_argv(0, (const char *[]){ "cat", "trace_pipe", NULL });
	parse_ok("ls | sort -r > /tmp/x&");
	cr_expect(line.background);
	cr_expect_eq(line.nstages, 2);
	cr_expect_str_eq(line.out_file, "/tmp/x");
}

Test(shell_words, syntax_errors)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "| grep fib", "unexpected token `|'" },
		{ "cat trace |", "needs a command after it" },
		{ "cat trace | | wc", "unexpected token `|'" },
		{ "echo x >", "a redirection needs a file name" },
		{ "echo x > | wc", "a redirection needs a file name" },
		{ "echo x > a b", "must end the command line" },
		{ "echo x > a | wc", "must end the command line" },
		{ "> file", "unexpected token `>'" },
		{ "sleep 1 & echo", "& must end the line" },
		{ "&", "unexpected token `&'" },
		{ "echo 'open", "unterminated quote" },
		{ "echo a > 'b", "unterminated quote" },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *err = NULL;

		cr_expect_eq(shell_parse_line(bad[i].text, &line, &err), -EINVAL, "'%s' accepted",
			     bad[i].text);
		cr_expect(err && strstr(err, bad[i].msg), "'%s': %s", bad[i].text, err);
	}
}

Test(shell_words, word_and_stage_limits)
{
	char text[256] = "echo";
	const char *err;
	int i;

	for (i = 0; i < SHELL_MAX_WORDS; i++)
		strcat(text, " w");
	cr_expect_eq(shell_parse_line(text, &line, &err), -EINVAL);
	cr_expect_str_eq(err, "too many words");
	strcpy(text, "a");
	for (i = 0; i < SHELL_MAX_STAGES; i++)
		strcat(text, "|a");
	cr_expect_eq(shell_parse_line(text, &line, &err), -EINVAL);
	cr_expect(strstr(err, "too many commands"), "%s", err);
}
