/* SPDX-License-Identifier: MIT */
/*
 * Text as lines, for the console's filters (head, tail, wc, sort, grep):
 * counting as wc does, finding where the first or last N lines end, and
 * comparing lines as sort and sort -n do. A line is the text up to and
 * including a '\n'; text that does not end in '\n' has a last line
 * without one, which wc -l does not count (as coreutils).
 */
#ifndef LIB_TEXT_LINES_H
#define LIB_TEXT_LINES_H

#include <lib/types.h>

struct text_counts {
	size_t lines, words, bytes;
};

/* wc: newlines, words (runs of non-blanks) and bytes of @buf[0..@len). */
struct text_counts text_count(const char *buf, size_t len);

/* The length of the line starting at @buf (its '\n' included, if any). */
size_t text_line_len(const char *buf, size_t len);

/* head -n N: how many bytes of @buf the first @n lines take. */
size_t text_head_len(const char *buf, size_t len, size_t n);

/* tail -n N: where the last @n lines of @buf begin. */
size_t text_tail_start(const char *buf, size_t len, size_t n);

/*
 * sort's orders for two lines (NUL-terminated, no '\n'): bytes as in the
 * C locale, or -n: the leading numbers (blanks, an optional '-', digits,
 * a fraction; a line without one counts as 0), ties broken by the bytes,
 * as GNU sort's last-resort comparison does. <0, 0 or >0.
 */
int text_compare(const char *a, const char *b);
int text_compare_numeric(const char *a, const char *b);

#endif /* LIB_TEXT_LINES_H */
