// SPDX-License-Identifier: MIT
/*
 * grep [-v] [-c] [-i] [-E] PATTERN [FILE]: the lines of FILE or of the
 * input that match PATTERN, with lib/grep_match.c's matcher (basic
 * patterns, or with -E an extended subset: | ^ $ . * + ? [...]).
 *
 * Like every filter it is not a stream: the stages of a pipeline run one
 * after the other, so in `cat trace_pipe | grep fib` grep starts when
 * cat has ended (Ctrl-C) and reads all it printed, at most SHELL_PIPE_MAX
 * bytes. Before a pipeline runs, the shell calls it once in "checking"
 * mode, so a bad pattern fails the line before cat starts.
 */
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/mm/kmalloc.h>
#include <lib/errno.h>
#include <lib/grep_match.h>
#include <lib/string.h>
#include <lib/text_lines.h>

struct grep_opts {
	bool invert, count;
	unsigned flags;		/* GREP_EXTENDED, GREP_ICASE */
	const char *pattern, *file;
};

/* Options first (combined as in -vc), then PATTERN, then FILE. */
static int parse_options(int argc, char **argv, struct grep_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *c;

		for (c = argv[i] + 1; *c; c++) {
			switch (*c) {
			case 'v': o->invert = true; break;
			case 'c': o->count = true; break;
			case 'i': o->flags |= GREP_ICASE; break;
			case 'E': o->flags |= GREP_EXTENDED; break;
			default:
				shell_err("grep: unknown option -%c (grep takes -v -c -i -E)\n", *c);
				return -EINVAL;
			}
		}
	}
	if (i == argc) {
		shell_err("grep: no PATTERN\n");
		return -EINVAL;
	}
	o->pattern = argv[i++];
	if (i < argc)
		o->file = argv[i++];
	return i < argc ? -EINVAL : 0;
}

/* Print (or count) the lines that match; returns how many did. */
static size_t grep_lines(const struct grep_pattern *p, const struct grep_opts *o,
			 const char *buf, size_t len)
{
	size_t pos = 0, matched = 0;

	while (pos < len) {
		size_t n = text_line_len(buf + pos, len - pos);
		size_t text = n - (buf[pos + n - 1] == '\n');

		if (grep_match(p, buf + pos, text) != o->invert) {
			matched++;
			if (!o->count) {
				console_write(buf + pos, text);
				console_write("\n", 1);
			}
		}
		pos += n;
	}
	return matched;
}

/* Compile, read, match: grep's status (0: something matched, 1: not or an error). */
static int run_grep(struct grep_pattern *p, const struct grep_opts *o)
{
	struct shell_text t;
	const char *why;
	size_t matched;

	if (grep_compile(p, o->pattern, o->flags, &why)) {
		shell_err("grep: %s: %s\n", o->pattern, why);
		return 1;
	}
	if (shell_checking())
		return 0;
	if (shell_text_open("grep", o->file, &t))
		return 1;
	matched = grep_lines(p, o, t.buf, t.len);
	if (o->count)
		console_printf("%zu\n", matched);
	shell_text_close(&t);
	return matched ? 0 : 1;
}

/*
 * grep's exit status is grep(1)'s: 0 if a line matched, 1 if none did
 * or the pattern or file was bad (after a message); -EINVAL for a bad
 * option line prints the usage. The compiled pattern (2 KiB) is
 * allocated, since a command's kernel stack is small.
 */
static int cmd_grep(int argc, char **argv)
{
	struct grep_pattern *p;		/* 2 KiB: not on the stack */
	struct grep_opts o;
	int err = parse_options(argc, argv, &o);

	if (err)
		return err;
	p = kmalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = run_grep(p, &o);
	kfree(p);
	return err;
}
SHELL_FILTER(SHELL_FILES, "grep", "[-v] [-c] [-i] [-E] PATTERN [FILE]",
	     "lines of FILE or the input that match (-v: that do not; -c: count; -i: any case; "
	     "-E: | + ? too)", cmd_grep);
