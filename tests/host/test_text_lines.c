// SPDX-License-Identifier: MIT
/* Host tests for lib/text_lines.c and sort_strings_by(): what wc, head,
 * tail and sort print, checked against what coreutils prints. */
#include <criterion/criterion.h>
#include <string.h>

#include <lib/compiler.h>
#include <lib/sort.h>
#include <lib/text_lines.h>

Test(text_lines, wc_counts_as_coreutils)
{
	/* printf 'a b\n  c\td\n\nlast' | wc  ->  3 5 14 */
	const char *t = "a b\n  c\td\n\nlast";
	struct text_counts c = text_count(t, strlen(t));

	cr_expect_eq(c.lines, 3);
	cr_expect_eq(c.words, 5);
	cr_expect_eq(c.bytes, 15);
	c = text_count("", 0);
	cr_expect(c.lines == 0 && c.words == 0 && c.bytes == 0);
}

Test(text_lines, head_and_tail)
{
	const char *t = "1\n2\n3\n4\n";
	size_t len = strlen(t);

	cr_expect_eq(text_head_len(t, len, 0), 0);
	cr_expect_eq(text_head_len(t, len, 2), 4);
	cr_expect_eq(text_head_len(t, len, 10), len);
	cr_expect_str_eq(t + text_tail_start(t, len, 1), "4\n");
	cr_expect_str_eq(t + text_tail_start(t, len, 3), "2\n3\n4\n");
	cr_expect_str_eq(t + text_tail_start(t, len, 10), t);
	cr_expect_eq(text_tail_start(t, len, 0), len);
	/* No final newline: the last line still counts for tail. */
	cr_expect_str_eq("x\ny" + text_tail_start("x\ny", 3, 1), "y");
	cr_expect_eq(text_line_len("ab\ncd", 5), 3);
	cr_expect_eq(text_line_len("abcd", 4), 4);
}

Test(text_lines, sort_orders)
{
	const char *lines[] = { "10", "9", "-3", "b", "a", "2.5", " 7", "-10", "0" };
	const char *plain[] = { " 7", "-10", "-3", "0", "10", "2.5", "9", "a", "b" };
	/* sort -n: "a" and "b" are 0, after "0" by the bytes. */
	const char *numeric[] = { "-10", "-3", "0", "a", "b", "2.5", " 7", "9", "10" };
	size_t n = ARRAY_SIZE(lines), i;

	sort_strings_by(lines, n, text_compare, false);
	for (i = 0; i < n; i++)
		cr_expect_str_eq(lines[i], plain[i]);
	sort_strings_by(lines, n, text_compare_numeric, false);
	for (i = 0; i < n; i++)
		cr_expect_str_eq(lines[i], numeric[i]);
	sort_strings_by(lines, n, text_compare_numeric, true);
	for (i = 0; i < n; i++)
		cr_expect_str_eq(lines[i], numeric[n - 1 - i]);
	cr_expect_eq(text_compare_numeric("1.50", "1.5") > 0, true);	/* tie: bytes */
	cr_expect_lt(text_compare_numeric("123456789012345678901", "123456789012345678902"), 0);
}
