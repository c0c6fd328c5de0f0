// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/kstrtox.c.
 *
 * The prefix parsers kstrtoull_end() and kstrtoll_end() read a number the
 * way strtoull(3)/strtoll(3) do (minus the leading white space, and the
 * '-' that strtoull allows), so random strings are fed to both and the
 * values, end positions and overflow reports must agree. The strict
 * kstrto*() functions are checked against tables of good and bad input,
 * including every range boundary of the narrower types.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lib/compiler.h>
#include <lib/kstrtox.h>

static uint64_t rng_state = 0x7a3f9e215b44c1d9ULL;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void random_string(char *s, size_t len, const char *alphabet)
{
	size_t n = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		s[i] = alphabet[rng() % n];
	s[len] = '\0';
}

static const unsigned int bases[] = { 0, 2, 8, 10, 16, 36 };

/* Mostly digits, with prefixes and junk mixed in; long enough to overflow. */
static void random_number(char *s, const char *signs)
{
	size_t len = rng() % 24;
	size_t i = 0;

	if (signs[0] && rng() % 3 == 0)
		s[i++] = signs[rng() % strlen(signs)];
	if (rng() % 3 == 0) {
		s[i++] = '0';
		if (rng() % 2)
			s[i++] = rng() % 2 ? 'x' : 'X';
	}
	random_string(s + i, len, rng() % 2 ? "0123456789" : "0123456789abcdefxzAF+-_");
}

Test(kstrtox, kstrtoull_end_agrees_with_strtoull)
{
	char s[40];

	for (int iter = 0; iter < 200000; iter++) {
		unsigned int base = bases[rng() % 6];
		unsigned long long got = 12345, want;
		const char *end;
		char *wend;
		int ret;

		random_number(s, "+");
		/* strtoull negates after a '-'; kstrtoull_end rejects it. */
		if (s[0] == '-')
			continue;
		errno = 0;
		want = strtoull(s, &wend, base);
		ret = kstrtoull_end(s, base, &got, &end);
		cr_assert_eq(end, wend, "\"%s\" base %u: end %td, libc %td",
			     s, base, end - s, wend - s);
		if (wend == s) {
			cr_assert_eq(ret, -EINVAL, "\"%s\" base %u", s, base);
			cr_assert_eq(got, 12345, "untouched on error");
		} else if (errno == ERANGE) {
			cr_assert_eq(ret, -ERANGE, "\"%s\" base %u", s, base);
			cr_assert_eq(got, 12345, "untouched on error");
		} else {
			cr_assert_eq(ret, 0, "\"%s\" base %u", s, base);
			cr_assert_eq(got, want, "\"%s\" base %u", s, base);
		}
	}
}

Test(kstrtox, kstrtoll_end_agrees_with_strtoll)
{
	char s[40];

	for (int iter = 0; iter < 200000; iter++) {
		unsigned int base = bases[rng() % 6];
		long long got = 12345, want;
		const char *end;
		char *wend;
		int ret;

		random_number(s, "+-");
		errno = 0;
		want = strtoll(s, &wend, base);
		ret = kstrtoll_end(s, base, &got, &end);
		cr_assert_eq(end, wend, "\"%s\" base %u: end %td, libc %td",
			     s, base, end - s, wend - s);
		if (wend == s)
			cr_assert_eq(ret, -EINVAL, "\"%s\" base %u", s, base);
		else if (errno == ERANGE)
			cr_assert_eq(ret, -ERANGE, "\"%s\" base %u", s, base);
		else
			cr_assert(ret == 0 && got == want, "\"%s\" base %u: %lld, libc %lld",
				  s, base, got, want);
	}
}

Test(kstrtox, boundaries_agree_with_libc)
{
	static const char *const inputs[] = {
		"18446744073709551615", "18446744073709551616", "0xffffffffffffffff",
		"0x10000000000000000", "01777777777777777777777", "02000000000000000000000",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808",
		"-9223372036854775809", "-0x8000000000000000", "-0x8000000000000001",
		"0", "-0", "+0", "00", "0x", "0X1", "0xg", "08", "-", "+", "",
	};

	for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
		const char *s = inputs[i];
		long long got = 0;
		const char *end;
		char *wend;
		long long want;
		int ret;

		errno = 0;
		want = strtoll(s, &wend, 0);
		ret = kstrtoll_end(s, 0, &got, &end);
		cr_assert_eq(end, wend, "\"%s\"", s);
		cr_assert_eq(ret, wend == s ? -EINVAL : errno == ERANGE ? -ERANGE : 0, "\"%s\"", s);
		if (!ret)
			cr_assert_eq(got, want, "\"%s\"", s);
	}
}

struct ull_case {
	const char *s;
	unsigned int base;
	int ret;
	unsigned long long value;
};

static const struct ull_case ull_cases[] = {
	{ "42", 10, 0, 42 },
	{ "42\n", 10, 0, 42 },
	{ "+42", 10, 0, 42 },
	{ "0x1f", 0, 0, 31 },
	{ "0X1F", 16, 0, 31 },
	{ "1f", 16, 0, 31 },
	{ "0x1f", 10, -EINVAL, 0 },
	{ "017", 0, 0, 15 },
	{ "017", 10, 0, 17 },
	{ "08", 0, -EINVAL, 0 },
	{ "101", 2, 0, 5 },
	{ "zz", 36, 0, 1295 },
	{ "18446744073709551615", 0, 0, ULLONG_MAX },
	{ "18446744073709551616", 0, -ERANGE, 0 },
	{ "99999999999999999999999", 10, -ERANGE, 0 },
	{ "0xffffffffffffffff", 0, 0, ULLONG_MAX },
	{ "", 10, -EINVAL, 0 },
	{ "\n", 10, -EINVAL, 0 },
	{ "+", 10, -EINVAL, 0 },
	{ "-1", 10, -EINVAL, 0 },
	{ " 1", 10, -EINVAL, 0 },
	{ "1 ", 10, -EINVAL, 0 },
	{ "1\n\n", 10, -EINVAL, 0 },
	{ "1\nx", 10, -EINVAL, 0 },
	{ "12abc", 10, -EINVAL, 0 },
	{ "0x", 0, -EINVAL, 0 },
	{ "++1", 10, -EINVAL, 0 },
	{ "1", 1, -EINVAL, 0 },
	{ "1", 37, -EINVAL, 0 },
	{ "99999999999999999999999x", 10, -EINVAL, 0 },
};

Test(kstrtox, kstrtoull_accepts_whole_numbers_only)
{
	for (size_t i = 0; i < ARRAY_SIZE(ull_cases); i++) {
		const struct ull_case *c = &ull_cases[i];
		unsigned long long v = 777;
		int ret = kstrtoull(c->s, c->base, &v);

		cr_assert_eq(ret, c->ret, "kstrtoull(\"%s\", %u) = %d, want %d",
			     c->s, c->base, ret, c->ret);
		cr_assert_eq(v, c->ret ? 777 : c->value, "kstrtoull(\"%s\", %u) value",
			     c->s, c->base);
	}
}

Test(kstrtox, kstrtoll_signs_and_limits)
{
	long long v = 5;

	cr_assert_eq(kstrtoll("-42", 10, &v), 0);
	cr_assert_eq(v, -42);
	cr_assert_eq(kstrtoll("-0x10\n", 0, &v), 0);
	cr_assert_eq(v, -16);
	cr_assert_eq(kstrtoll("9223372036854775807", 10, &v), 0);
	cr_assert_eq(v, LLONG_MAX);
	cr_assert_eq(kstrtoll("-9223372036854775808", 10, &v), 0);
	cr_assert_eq(v, LLONG_MIN);
	v = 5;
	cr_assert_eq(kstrtoll("9223372036854775808", 10, &v), -ERANGE);
	cr_assert_eq(kstrtoll("-9223372036854775809", 10, &v), -ERANGE);
	cr_assert_eq(kstrtoll("--1", 10, &v), -EINVAL);
	cr_assert_eq(kstrtoll("-+1", 10, &v), -EINVAL);
	cr_assert_eq(kstrtoll("-", 10, &v), -EINVAL);
	cr_assert_eq(kstrtoll("1-", 10, &v), -EINVAL);
	cr_assert_eq(v, 5, "untouched on error");
}

Test(kstrtox, narrow_types_check_their_range)
{
	unsigned int u = 9;
	int i = 9;
	unsigned long ul = 9;
	long l = 9;

	cr_assert_eq(kstrtouint("4294967295", 10, &u), 0);
	cr_assert_eq(u, UINT_MAX);
	cr_assert_eq(kstrtouint("4294967296", 10, &u), -ERANGE);
	cr_assert_eq(kstrtouint("0x100000000", 0, &u), -ERANGE);
	cr_assert_eq(kstrtouint("-1", 10, &u), -EINVAL);
	cr_assert_eq(u, UINT_MAX, "untouched on error");

	cr_assert_eq(kstrtoint("2147483647", 10, &i), 0);
	cr_assert_eq(i, INT_MAX);
	cr_assert_eq(kstrtoint("-2147483648", 10, &i), 0);
	cr_assert_eq(i, INT_MIN);
	cr_assert_eq(kstrtoint("2147483648", 10, &i), -ERANGE);
	cr_assert_eq(kstrtoint("-2147483649", 10, &i), -ERANGE);
	cr_assert_eq(kstrtoint("x", 10, &i), -EINVAL);
	cr_assert_eq(i, INT_MIN, "untouched on error");

	cr_assert_eq(kstrtoul("0xffffffff80000000", 16, &ul), 0);
	cr_assert_eq(ul, 0xffffffff80000000UL);
	cr_assert_eq(kstrtoul("0x1ffffffff80000000", 16, &ul), -ERANGE);
	cr_assert_eq(kstrtol("-0x80", 0, &l), 0);
	cr_assert_eq(l, -128);
	cr_assert_eq(kstrtol("", 0, &l), -EINVAL);
}

Test(kstrtox, kstrtobool_words)
{
	static const char *const yes[] = { "1", "y", "Y", "yes", "YES", "on", "On", "true", "1\n" };
	static const char *const no[] = { "0", "n", "N", "no", "off", "OFF", "false", "n\n" };
	static const char *const bad[] = { "", "2", "yess", "o", "onn", "of", "1 ", " 1", "\n", "yes\n\n" };
	bool b;

	for (size_t k = 0; k < ARRAY_SIZE(yes); k++) {
		b = false;
		cr_assert_eq(kstrtobool(yes[k], &b), 0, "\"%s\"", yes[k]);
		cr_assert(b, "\"%s\"", yes[k]);
	}
	for (size_t k = 0; k < ARRAY_SIZE(no); k++) {
		b = true;
		cr_assert_eq(kstrtobool(no[k], &b), 0, "\"%s\"", no[k]);
		cr_assert_not(b, "\"%s\"", no[k]);
	}
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		b = true;
		cr_assert_eq(kstrtobool(bad[k], &b), -EINVAL, "\"%s\"", bad[k]);
		cr_assert(b, "untouched on error");
	}
}

Test(kstrtox, end_variants_let_parsers_continue)
{
	const char *arg = "+0x10(%di)";
	unsigned long long off;
	long long soff;
	const char *end;

	cr_assert_eq(kstrtoull_end(arg, 0, &off, &end), 0);
	cr_assert_eq(off, 16);
	cr_assert_str_eq(end, "(%di)");
	cr_assert_eq(kstrtoll_end("-8(%sp)", 0, &soff, &end), 0);
	cr_assert_eq(soff, -8);
	cr_assert_str_eq(end, "(%sp)");
	cr_assert_eq(kstrtoull_end("(%di)", 0, &off, &end), -EINVAL);
	cr_assert_str_eq(end, "(%di)", "no number: end is the start");
	cr_assert_eq(kstrtoull_end("12", 0, &off, NULL), 0, "endp may be NULL");
	cr_assert_eq(off, 12);
}

Test(kstrtox, simple_strtox_never_fails)
{
	char *end;

	cr_assert_eq(simple_strtoull("123abc", &end, 10), 123);
	cr_assert_str_eq(end, "abc");
	cr_assert_eq(simple_strtoull("abc", &end, 10), 0);
	cr_assert_str_eq(end, "abc");
	cr_assert_eq(simple_strtoull("99999999999999999999999;", &end, 10), ULLONG_MAX);
	cr_assert_str_eq(end, ";");
	cr_assert_eq(simple_strtoull("0x7fz", NULL, 0), 0x7f);
	cr_assert_eq(simple_strtoll("-17 rest", &end, 0), -17);
	cr_assert_str_eq(end, " rest");
	cr_assert_eq(simple_strtoll("-99999999999999999999", &end, 10), LLONG_MIN);
	cr_assert_eq(simple_strtoll("99999999999999999999", &end, 10), LLONG_MAX);
	cr_assert_eq(simple_strtoll("-017", &end, 0), -15);
}
