// SPDX-License-Identifier: MIT
/*
 * Line arithmetic for the console's filters (see text_lines.h). Nothing
 * here allocates: the shell's pipe buffer is walked in place.
 */
#include <lib/text_lines.h>
#include <lib/ctype.h>
#include <lib/string.h>

struct text_counts text_count(const char *buf, size_t len)
{
	struct text_counts c = { .bytes = len };
	bool in_word = false;
	size_t i;

	for (i = 0; i < len; i++) {
		bool blank = isspace((unsigned char)buf[i]);

		if (buf[i] == '\n')
			c.lines++;
		if (!blank && !in_word)
			c.words++;
		in_word = !blank;
	}
	return c;
}

size_t text_line_len(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);

	return nl ? (size_t)(nl - buf) + 1 : len;
}

size_t text_head_len(const char *buf, size_t len, size_t n)
{
	size_t pos = 0;

	while (n-- && pos < len)
		pos += text_line_len(buf + pos, len - pos);
	return pos;
}

size_t text_tail_start(const char *buf, size_t len, size_t n)
{
	size_t pos = len;

	if (!n)
		return len;
	/* The last line's own '\n' does not start a line after it. */
	if (pos && buf[pos - 1] == '\n')
		pos--;
	while (pos) {
		if (buf[pos - 1] == '\n' && !--n)
			break;
		pos--;
	}
	return pos;
}

int text_compare(const char *a, const char *b)
{
	return strcmp(a, b);
}

/* The number at the front of @s, as sort -n reads it, scaled to compare. */
struct number {
	bool negative;
	const char *digits;	/* integer part, leading zeros skipped */
	size_t ndigits;
	const char *fraction;	/* after the '.', or "" */
	size_t nfraction;
};

static void read_number(const char *s, struct number *n)
{
	while (*s == ' ' || *s == '\t')
		s++;
	n->negative = *s == '-';
	if (n->negative)
		s++;
	while (*s == '0')
		s++;
	n->digits = s;
	for (n->ndigits = 0; isdigit((unsigned char)s[n->ndigits]); n->ndigits++)
		;
	s += n->ndigits;
	n->fraction = "";
	n->nfraction = 0;
	if (*s == '.') {
		n->fraction = ++s;
		while (isdigit((unsigned char)s[n->nfraction]))
			n->nfraction++;
	}
	/* Trailing zeros of the fraction change nothing: 1.50 is 1.5. */
	while (n->nfraction && n->fraction[n->nfraction - 1] == '0')
		n->nfraction--;
	if (!n->ndigits && !n->nfraction)
		n->negative = false;		/* -0 is 0 */
}

/* Compare magnitudes, digit strings of any length (no overflow). */
static int compare_magnitude(const struct number *x, const struct number *y)
{
	size_t i;
	int d;

	if (x->ndigits != y->ndigits)
		return x->ndigits < y->ndigits ? -1 : 1;
	d = strncmp(x->digits, y->digits, x->ndigits);
	if (d)
		return d;
	for (i = 0; i < x->nfraction || i < y->nfraction; i++) {
		char cx = i < x->nfraction ? x->fraction[i] : '0';
		char cy = i < y->nfraction ? y->fraction[i] : '0';

		if (cx != cy)
			return cx < cy ? -1 : 1;
	}
	return 0;
}

int text_compare_numeric(const char *a, const char *b)
{
	struct number x, y;
	int d;

	read_number(a, &x);
	read_number(b, &y);
	if (x.negative != y.negative)
		d = x.negative ? -1 : 1;
	else
		d = x.negative ? -compare_magnitude(&x, &y) : compare_magnitude(&x, &y);
	return d ? d : strcmp(a, b);
}
