// SPDX-License-Identifier: MIT
/*
 * The console's text filters, as coreutils prints them: head, tail, wc,
 * sort. Each reads a FILE or the previous stage of a pipeline
 * (shell_text_open()) and prints to wherever its output goes; the line
 * arithmetic is lib/text_lines.c, tested on the host.
 */
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/mm/kmalloc.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/sort.h>
#include <lib/string.h>
#include <lib/text_lines.h>

/* Print @len bytes, ending with a newline if they do not. */
static void print_lines(const char *buf, size_t len)
{
	console_write(buf, len);
	if (len && buf[len - 1] != '\n')
		console_write("\n", 1);
}

/*
 * head/tail arguments: [-n N | -N] [FILE]. Returns 0, or -EINVAL after a
 * message. *@file is NULL without a FILE.
 */
static int parse_count(int argc, char **argv, size_t *n, const char **file)
{
	const char *num = NULL;
	unsigned long long v;
	int i = 1;

	*n = 10;
	*file = NULL;
	if (i < argc && !strcmp(argv[i], "-n")) {
		if (i + 1 >= argc) {
			shell_err("%s: option -n needs a number\n", argv[0]);
			return -EINVAL;
		}
		num = argv[i + 1];
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		num = argv[i++] + 1;
	}
	if (num && (kstrtoull(num, 10, &v) || v > SHELL_PIPE_MAX)) {
		shell_err("%s: invalid number of lines: '%s'\n", argv[0], num);
		return -EINVAL;
	}
	if (num)
		*n = v;
	if (i < argc)
		*file = argv[i++];
	return i < argc ? -EINVAL : 0;
}

/* head and tail share their arguments and differ only in which end of
 * the text they keep. 0, 1 after a message, or -EINVAL. */
static int head_or_tail(int argc, char **argv, bool head)
{
	struct shell_text t;
	const char *file;
	size_t n, start, end;
	int err = parse_count(argc, argv, &n, &file);

	if (err || shell_checking()) {
		if (!err && head && !file)
			shell_input_lines_wanted(n);	/* the stage before stops there */
		return err;
	}
	if (shell_text_open(argv[0], file, &t))
		return 1;
	start = head ? 0 : text_tail_start(t.buf, t.len, n);
	end = head ? text_head_len(t.buf, t.len, n) : t.len;
	print_lines(t.buf + start, end - start);
	shell_text_close(&t);
	return 0;
}

static int cmd_head(int argc, char **argv)
{
	return head_or_tail(argc, argv, true);
}
SHELL_FILTER(SHELL_FILES, "head", "[-n N | -N] [FILE]", "the first N lines (default 10) of FILE or the input",
	     cmd_head);

static int cmd_tail(int argc, char **argv)
{
	return head_or_tail(argc, argv, false);
}
SHELL_FILTER(SHELL_FILES, "tail", "[-n N | -N] [FILE]", "the last N lines (default 10) of FILE or the input",
	     cmd_tail);

/* The width of @v in decimal. */
static int digits(size_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/*
 * wc [-l] [FILE]: as coreutils, the numbers alone when reading the
 * input (`cat trace | wc -l` prints "42"; plain wc pads each to 7), and
 * with a FILE in columns as wide as its byte count, then its name.
 */
static int cmd_wc(int argc, char **argv)
{
	bool lines_only = argc > 1 && !strcmp(argv[1], "-l");
	const char *file = argc > 1 + lines_only ? argv[1 + lines_only] : NULL;
	struct text_counts c;
	struct shell_text t;
	int w;

	if (argc > 2 + lines_only || (file && file[0] == '-'))
		return -EINVAL;
	if (shell_checking())
		return 0;
	if (shell_text_open("wc", file, &t))
		return 1;
	c = text_count(t.buf, t.len);
	shell_text_close(&t);
	w = file ? digits(c.bytes) : 7;
	if (lines_only)
		console_printf("%zu%s%s\n", c.lines, file ? " " : "", file ? file : "");
	else
		console_printf("%*zu %*zu %*zu%s%s\n", w, c.lines, w, c.words, w, c.bytes,
			       file ? " " : "", file ? file : "");
	return 0;
}
SHELL_FILTER(SHELL_FILES, "wc", "[-l] [FILE]", "count lines, words and bytes (-l: lines) of FILE or the input",
	     cmd_wc);

/* sort's options: -n, -r, or both (-nr, -rn, -n -r). */
static int parse_sort_options(int argc, char **argv, bool *numeric, bool *reverse,
			      const char **file)
{
	int i;

	*numeric = *reverse = false;
	*file = NULL;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o;

		for (o = argv[i] + 1; *o; o++) {
			if (*o != 'n' && *o != 'r') {
				shell_err("sort: unknown option -%c (only -n, -r)\n", *o);
				return -EINVAL;
			}
			*numeric |= *o == 'n';
			*reverse |= *o == 'r';
		}
	}
	if (i < argc)
		*file = argv[i++];
	return i < argc ? -EINVAL : 0;
}

/* Split a copy of the text at its newlines: the lines, NUL-terminated. */
static const char **split_lines(const struct shell_text *t, char **copy, size_t *n)
{
	const char **lines;
	size_t i, count = 0, pos;

	for (pos = 0; pos < t->len; pos += text_line_len(t->buf + pos, t->len - pos))
		count++;
	*copy = kmalloc(t->len + 1);
	lines = kmalloc((count ? count : 1) * sizeof(*lines));
	if (!*copy || !lines) {
		kfree(*copy);
		kfree(lines);
		return NULL;
	}
	memcpy(*copy, t->buf, t->len);
	(*copy)[t->len] = '\0';
	for (i = 0, pos = 0; i < count; i++) {
		size_t len = text_line_len(t->buf + pos, t->len - pos);

		lines[i] = *copy + pos;
		if (t->buf[pos + len - 1] == '\n')
			(*copy)[pos + len - 1] = '\0';
		pos += len;
	}
	*n = count;
	return lines;
}

/*
 * sort [-n] [-r] [FILE]: the lines in byte order, or by their leading
 * number with -n (a line without one counts as 0). Returns 0, 1
 * when the text could not be read, -ENOMEM, or -EINVAL for the usage.
 */
static int cmd_sort(int argc, char **argv)
{
	bool numeric, reverse;
	const char *file, **lines;
	struct shell_text t;
	char *copy;
	size_t n, i;
	int err = parse_sort_options(argc, argv, &numeric, &reverse, &file);

	if (err || shell_checking())
		return err;
	if (shell_text_open("sort", file, &t))
		return 1;
	lines = split_lines(&t, &copy, &n);
	shell_text_close(&t);
	if (!lines)
		return -ENOMEM;
	sort_strings_by(lines, n, numeric ? text_compare_numeric : text_compare, reverse);
	for (i = 0; i < n; i++)
	{
		console_write(lines[i], strlen(lines[i]));
		console_write("\n", 1);
	}
	kfree(lines);
	kfree(copy);
	return 0;
}
SHELL_FILTER(SHELL_FILES, "sort", "[-n] [-r] [FILE]", "sort lines (-n: by number, -r: reversed) of FILE or the input",
	     cmd_sort);
