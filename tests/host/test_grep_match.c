// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/grep_match.c: a table of named cases for each
 * feature of both dialects, the refusals, and an oracle run against
 * glibc's regexec() (POSIX ERE and BRE, which our subset is part of)
 * on random patterns over a small alphabet, plus a pattern built to
 * make a backtracking matcher explode.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/grep_match.h>

struct grep_case {
	const char *pattern;
	unsigned flags;
	const char *line;
	bool match;
};

#define E GREP_EXTENDED
#define I GREP_ICASE

static const struct grep_case cases[] = {
	{ "fib", 0, "  fib-5 [000] fib <-run", true },
	{ "fib", 0, "words", false },
	{ "", 0, "anything", true },
	{ "^fib", 0, "fib(3)", true },
	{ "^fib", 0, " fib", false },
	{ "fib$", 0, "call fib", true },
	{ "fib$", 0, "fib(", false },
	{ "^$", 0, "", true },
	{ "^$", 0, "x", false },
	{ "f.b", 0, "fab", true },
	{ "f.b", 0, "fb", false },
	{ "fi*b", 0, "fb", true },
	{ "fi*b", 0, "fiiiib", true },
	{ "*a", 0, "x*a", true },		/* leading * is a character */
	{ "a+", 0, "a+", true },		/* basic: + is a character */
	{ "a+", 0, "aa", false },
	{ "a\\+", 0, "aa", true },		/* GNU basic: \+ repeats */
	{ "ab\\?c", 0, "ac", true },
	{ "fib\\|words", 0, "words", true },
	{ "a|b", 0, "a|b", true },
	{ "a|b", 0, "b", false },
	{ "a|b", E, "b", true },
	{ "^fib|words$", E, "my words", true },
	{ "^fib|words$", E, "my fib", false },
	{ "x+y", E, "xxxy", true },
	{ "x+y", E, "y", false },
	{ "colou?r", E, "color", true },
	{ "colou?r", E, "colour", true },
	{ "colou?r", E, "colouur", false },
	{ "[0-9]+ ms", E, "took 12 ms", true },
	{ "[0-9]+ ms", E, "took ms", false },
	{ "[^a-z]", 0, "abc", false },
	{ "[^a-z]", 0, "abC", true },
	{ "[]x]", 0, "]", true },
	{ "[a-]", 0, "-", true },
	{ "[[:digit:]]", 0, "a1", true },
	{ "[[:digit:]]", 0, "ab", false },
	{ "[[:space:]]x", 0, "\tx", true },
	{ "\\.", 0, "a.b", true },
	{ "\\.", 0, "ab", false },
	{ "\\[", 0, "[", true },
	{ "FIB", I, "fib", true },
	{ "fib", I, "FiB", true },
	{ "[a-c]x", I, "BX", true },
	{ "[A-C]", I, "b", true },
	{ "fib", 0, "FIB", false },
	{ "a.*b", 0, "a xx b", true },
	{ "a.*b$", 0, "a xx b c", false },
};

Test(grep, documented_cases)
{
	static struct grep_pattern p;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct grep_case *c = &cases[i];
		const char *err;

		cr_assert_eq(grep_compile(&p, c->pattern, c->flags, &err), 0, "%s: %s", c->pattern,
			     err);
		cr_expect_eq(grep_match(&p, c->line, strlen(c->line)), c->match,
			     "'%s' (flags %u) on '%s': want %d", c->pattern, c->flags, c->line,
			     c->match);
	}
}

Test(grep, refusals_say_why)
{
	static const struct { const char *pattern; unsigned flags; const char *msg; } bad[] = {
		{ "[abc", 0, "Unmatched [" },
		{ "a\\", 0, "Trailing backslash" },
		{ "(a|b)", E, "groups" },
		{ "a{2}", E, "counts" },
		{ "\\(a\\)", 0, "groups" },
		{ "[[:nosuch:]]", 0, "character class" },
		{ "a|b|c|d|e|f|g|h|i", E, "alternatives" },
	};
	static struct grep_pattern p;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *err = NULL;

		cr_expect_eq(grep_compile(&p, bad[i].pattern, bad[i].flags, &err), -EINVAL,
			     "%s accepted", bad[i].pattern);
		cr_expect(err && strstr(err, bad[i].msg), "%s: %s", bad[i].pattern, err);
	}
	/* In a basic pattern ( { are characters. */
	cr_expect_eq(grep_compile(&p, "f(x){", 0, &(const char *){ 0 }), 0);
	cr_expect(grep_match(&p, "f(x){", 5));
}

Test(grep, no_pattern_explodes, .timeout = 5)
{
	static struct grep_pattern p;
	static char line[10000];
	const char *err;

	memset(line, 'a', sizeof(line));
	cr_assert_eq(grep_compile(&p, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", 0, &err), 0);
	cr_expect(!grep_match(&p, line, sizeof(line)));
}

/* Random patterns over "ab.*+?|^$[]" and lines over "ab", against regexec. */
static void random_pattern(unsigned *seed, char *buf, bool extended)
{
	static const char *const ext[] = { "a", "b", ".", "a*", "b+", "a?", "[ab]", "[^a]", "|" };
	static const char *const bas[] = { "a", "b", ".", "a*", "b*", "[ab]", "[^a]", "x" };
	const char *const *pieces = extended ? ext : bas;
	unsigned n = extended ? 9 : 8, len = 1 + rand_r(seed) % 5, i;

	buf[0] = '\0';
	if (rand_r(seed) % 4 == 0)
		strcat(buf, "^");
	for (i = 0; i < len; i++) {
		const char *piece = pieces[rand_r(seed) % n];

		/* glibc and POSIX disagree on empty alternatives: avoid them. */
		if (!strcmp(piece, "|") && (i == 0 || i + 1 == len || buf[strlen(buf) - 1] == '|'))
			piece = "a";
		strcat(buf, piece);
	}
	if (rand_r(seed) % 4 == 0 && buf[strlen(buf) - 1] != '|')
		strcat(buf, "$");
}

Test(grep, random_patterns_agree_with_regexec, .timeout = 60)
{
	static struct grep_pattern p;
	unsigned seed = 18, round;

	for (round = 0; round < 20000; round++) {
		bool extended = round & 1, icase = round % 7 == 0;
		char pattern[64], line[16];
		unsigned len = rand_r(&seed) % 8, i;
		const char *err;
		regex_t re;

		random_pattern(&seed, pattern, extended);
		/* '^' after '|' is an anchor to regcomp and to us only at the start. */
		if (strstr(pattern, "|^") || strstr(pattern, "$|") ||
		    (strchr(pattern + 1, '^') && pattern[0] != '^'))
			continue;
		for (i = 0; i < len; i++)
			line[i] = "abAB"[rand_r(&seed) % (icase ? 4 : 2)];
		line[len] = '\0';
		cr_assert_eq(regcomp(&re, pattern, (extended ? REG_EXTENDED : 0) |
				      (icase ? REG_ICASE : 0) | REG_NOSUB), 0, "%s", pattern);
		cr_assert_eq(grep_compile(&p, pattern, (extended ? E : 0) | (icase ? I : 0), &err), 0,
			     "%s: %s", pattern, err);
		cr_expect_eq(grep_match(&p, line, len), regexec(&re, line, 0, NULL, 0) == 0,
			     "'%s' (%s%s) on '%s'", pattern, extended ? "-E" : "basic",
			     icase ? " -i" : "", line);
		regfree(&re);
	}
}
