// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/printf.c.
 *
 * The integer, character and string conversions are defined by C, so the
 * C library's snprintf is the oracle: every combination of the five flags,
 * a set of widths and precisions (literal and '*', negative ones too),
 * every length modifier and a set of edge values is formatted by both and
 * must give the same text and return value. Truncation is checked the same
 * way at every buffer size from 0 past the full length, on random multi-
 * conversion formats. What C does not define — %p's fixed width, the %pS
 * hook, "(null)", unknown conversions, scnprintf — has its own tests.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LOUPE_HOST_LIBC_NAMES
#include <lib/compiler.h>
#include <lib/printf.h>

#define OUT_LEN	512
#define GUARD	'#'

/* ---------------------------------------------------- the libc oracle */

enum arg_kind {
	ARG_INT, ARG_UINT, ARG_LONG, ARG_ULONG, ARG_LLONG, ARG_ULLONG,
	ARG_SIZE, ARG_PTRDIFF, ARG_INTMAX, ARG_UINTMAX, ARG_STR,
};

/* One argument, in the C type the conversion will read. */
struct arg {
	enum arg_kind kind;
	unsigned long long bits;	/* integer kinds: the value's bits */
	const char *str;		/* ARG_STR */
};

/* Outputs of ours and libc's for one call. */
struct result {
	char got[OUT_LEN], want[OUT_LEN];
	int rgot, rwant;
};

#define BOTH(...)							\
	do {								\
		r->rgot = lib_snprintf(r->got, size, fmt, __VA_ARGS__);	\
		r->rwant = snprintf(r->want, size, fmt, __VA_ARGS__);	\
	} while (0)

#define WITH_STARS(value)						\
	do {								\
		if (nstars == 0)					\
			BOTH(value);					\
		else if (nstars == 1)					\
			BOTH(stars[0], value);				\
		else							\
			BOTH(stars[0], stars[1], value);		\
	} while (0)

/*
 * Format @fmt with @nstars '*' arguments from @stars followed by @a, with
 * both ours and libc's, into buffers of @size bytes (<= OUT_LEN) that are
 * filled with GUARD first.
 */
static void run_both(struct result *r, size_t size, const char *fmt,
		     int nstars, const int *stars, const struct arg *a)
{
	unsigned long long v = a->bits;

	memset(r->got, GUARD, sizeof(r->got));
	memset(r->want, GUARD, sizeof(r->want));
	switch (a->kind) {
	case ARG_INT:	  WITH_STARS((int)v); break;
	case ARG_UINT:	  WITH_STARS((unsigned int)v); break;
	case ARG_LONG:	  WITH_STARS((long)v); break;
	case ARG_ULONG:	  WITH_STARS((unsigned long)v); break;
	case ARG_LLONG:	  WITH_STARS((long long)v); break;
	case ARG_ULLONG:  WITH_STARS((unsigned long long)v); break;
	case ARG_SIZE:	  WITH_STARS((size_t)v); break;
	case ARG_PTRDIFF: WITH_STARS((ptrdiff_t)v); break;
	case ARG_INTMAX:  WITH_STARS((intmax_t)v); break;
	case ARG_UINTMAX: WITH_STARS((uintmax_t)v); break;
	case ARG_STR:	  WITH_STARS(a->str); break;
	}
}

/* Ours and libc's agree on the return value and on every buffer byte. */
static void check_same(const struct result *r, size_t size, const char *fmt,
		       const char *what)
{
	cr_assert_eq(r->rgot, r->rwant, "fmt \"%s\" (%s) size %zu: returned %d, libc %d",
		     fmt, what, size, r->rgot, r->rwant);
	cr_assert(!memcmp(r->got, r->want, sizeof(r->got)),
		  "fmt \"%s\" (%s) size %zu: \"%.*s\", libc \"%.*s\"", fmt, what, size,
		  (int)strnlen(r->got, size), r->got, (int)strnlen(r->want, size), r->want);
}

/* ------------------------------------------- exhaustive combinations */

static const char *const flag_chars = "-0+ #";

static const char *const widths[] = { "", "1", "5", "20", "*", "*", "*" };
static const int width_stars[] = { 0, 0, 0, 0, -7, 0, 12 };

static const char *const precisions[] = { "", ".", ".0", ".1", ".5", ".25", ".*", ".*", ".*" };
static const int precision_stars[] = { 0, 0, 0, 0, 0, 0, -1, 0, 3 };

static const unsigned long long int_values[] = {
	0, 1, -1ULL, 7, -7ULL, 42, 127, 128, -128ULL, 255, 256, 32767, -32768ULL,
	65535, 65536, INT_MAX, (unsigned long long)INT_MIN, UINT_MAX, LLONG_MAX,
	(unsigned long long)LLONG_MIN, 0x123456789abcdefULL, -98765432109ULL,
};

/* A length modifier and the C types it makes %d and %u read. */
struct length {
	const char *mod;
	enum arg_kind sign_kind, unsigned_kind;
};

static const struct length lengths[] = {
	{ "",   ARG_INT,     ARG_UINT },
	{ "hh", ARG_INT,     ARG_UINT },
	{ "h",  ARG_INT,     ARG_UINT },
	{ "l",  ARG_LONG,    ARG_ULONG },
	{ "ll", ARG_LLONG,   ARG_ULLONG },
	{ "z",  ARG_SIZE,    ARG_SIZE },
	{ "t",  ARG_PTRDIFF, ARG_PTRDIFF },
	{ "j",  ARG_INTMAX,  ARG_UINTMAX },
};

/* Build "%<flags><width><precision><length><conv>" into @fmt. */
static void build_format(char *fmt, unsigned int flags, size_t w, size_t p,
			 const char *length, char conv)
{
	char *f = fmt;

	*f++ = '%';
	for (int i = 0; i < 5; i++)
		if (flags & (1u << i))
			*f++ = flag_chars[i];
	f += sprintf(f, "%s%s%s%c", widths[w], precisions[p], length, conv);
}

/*
 * Run @a through every flag set, width and precision with the given
 * length modifier and conversion, comparing with libc each time.
 */
static void sweep_spec(const char *length, char conv, const struct arg *a)
{
	static struct result r;
	char fmt[32];

	for (unsigned int flags = 0; flags < 32; flags++)
		for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
			for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
				int stars[2], nstars = 0;

				if (strchr(widths[w], '*'))
					stars[nstars++] = width_stars[w];
				if (strchr(precisions[p], '*'))
					stars[nstars++] = precision_stars[p];
				build_format(fmt, flags, w, p, length, conv);
				run_both(&r, OUT_LEN, fmt, nstars, stars, a);
				check_same(&r, OUT_LEN, fmt, "sweep");
			}
}

Test(printf, signed_conversions_match_libc)
{
	for (size_t l = 0; l < ARRAY_SIZE(lengths); l++)
		for (size_t v = 0; v < ARRAY_SIZE(int_values); v++) {
			struct arg a = { lengths[l].sign_kind, int_values[v], NULL };

			sweep_spec(lengths[l].mod, 'd', &a);
			if (v % 4 == 0)
				sweep_spec(lengths[l].mod, 'i', &a);
		}
}

Test(printf, unsigned_conversions_match_libc)
{
	static const char convs[] = "uoxX";

	for (size_t c = 0; c < 4; c++)
		for (size_t l = 0; l < ARRAY_SIZE(lengths); l++)
			for (size_t v = 0; v < ARRAY_SIZE(int_values); v++) {
				struct arg a = { lengths[l].unsigned_kind, int_values[v], NULL };

				sweep_spec(lengths[l].mod, convs[c], &a);
			}
}

Test(printf, char_and_string_conversions_match_libc)
{
	static const char *const strs[] = {
		"", "a", "hello", "Loupe traces kernels", "tab\there",
	};
	static const int chars[] = { 'A', ' ', '%', 0xe9, 0x141 };

	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		struct arg a = { ARG_STR, 0, strs[i] };

		sweep_spec("", 's', &a);
	}
	for (size_t i = 0; i < ARRAY_SIZE(chars); i++) {
		struct arg a = { ARG_INT, (unsigned long long)chars[i], NULL };

		sweep_spec("", 'c', &a);
	}
}

Test(printf, nul_character_is_written_and_counted)
{
	static struct result r;
	struct arg a = { ARG_INT, 0, NULL };

	run_both(&r, OUT_LEN, "[%c]", 0, NULL, &a);
	check_same(&r, OUT_LEN, "[%c]", "NUL");
	cr_assert_eq(r.rgot, 3);
	cr_assert(!memcmp(r.got, "[\0]", 4));
}

/* ---------------------------------------------------------- truncation */

/* One random conversion with its argument, appended to @fmt. */
static void random_conversion(char *fmt, struct arg *a, unsigned int seed)
{
	static const char convs[] = "diuoxXcs";
	static const char *const strs[] = { "", "x", "probe", "function_graph" };
	char conv = convs[seed % 8];
	size_t l = conv == 'c' || conv == 's' ? 0 : (seed >> 3) % ARRAY_SIZE(lengths);
	size_t w = (seed >> 6) % 4, p = (seed >> 8) % 6;
	unsigned int flags = (seed >> 11) % 32;
	bool is_signed = conv == 'd' || conv == 'i';

	build_format(fmt + strlen(fmt), flags, w, p, lengths[l].mod, conv);
	a->kind = is_signed ? lengths[l].sign_kind : lengths[l].unsigned_kind;
	a->bits = int_values[(seed >> 16) % ARRAY_SIZE(int_values)];
	a->str = NULL;
	if (conv == 's') {
		a->kind = ARG_STR;
		a->str = strs[(seed >> 21) % ARRAY_SIZE(strs)];
	}
}

Test(printf, truncation_matches_libc_at_every_size)
{
	static struct result r;
	uint64_t state = 0x9e3779b97f4a7c15ULL;

	for (int iter = 0; iter < 3000; iter++) {
		char fmt[96] = "<";
		struct arg a;
		int full;

		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		random_conversion(fmt, &a, (unsigned int)(state >> 32));
		strcat(fmt, "|text|");
		/* Sizes 0 up to two past the full length, buffers fully guarded. */
		run_both(&r, OUT_LEN, fmt, 0, NULL, &a);
		full = r.rwant;
		cr_assert_lt(full + 3, OUT_LEN);
		for (size_t size = 0; size <= (size_t)full + 2; size++) {
			run_both(&r, size, fmt, 0, NULL, &a);
			check_same(&r, size, fmt, "truncated");
		}
	}
}

Test(printf, size_zero_writes_nothing_and_accepts_null)
{
	char buf[4] = "xyz";

	cr_assert_eq(lib_snprintf(NULL, 0, "%d-%s", 1234, "abc"), 8);
	cr_assert_eq(lib_snprintf(buf, 0, "%d", 1234), 4);
	cr_assert_str_eq(buf, "xyz");
}

/* Formats are passed through this so gcc does not check them at compile time. */
static const char *runtime(const char *fmt)
{
	static const char *volatile hide;

	hide = fmt;
	return hide;
}

Test(printf, multiple_conversions_with_stars_in_one_format)
{
	char got[128], want[128];
	const char *fmt = runtime("%*d|%-*.*s|%.*x|%%|%+.3lld|%#*o|%c");
	int rg, rw;

	rg = lib_snprintf(got, sizeof(got), fmt, 6, -42, 8, 3, "abcdef", 4, 255U,
			  -5LL, -6, 8U, 'q');
	rw = snprintf(want, sizeof(want), fmt, 6, -42, 8, 3, "abcdef", 4, 255U,
		      -5LL, -6, 8U, 'q');
	cr_assert_eq(rg, rw);
	cr_assert_str_eq(got, want);
}

/* ---------------------------------------------- what libc cannot judge */

Test(printf, pointer_is_0x_and_16_digits)
{
	char buf[64];

	cr_assert_eq(lib_snprintf(buf, sizeof(buf), "%p", NULL), 18);
	cr_assert_str_eq(buf, "0x0000000000000000");
	lib_snprintf(buf, sizeof(buf), "%p", (void *)0xdeadbeefUL);
	cr_assert_str_eq(buf, "0x00000000deadbeef");
	lib_snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001000UL);
	cr_assert_str_eq(buf, "0xffffffff80001000");
	lib_snprintf(buf, sizeof(buf), runtime("[%20p]"), (void *)1);
	cr_assert_str_eq(buf, "[  0x0000000000000001]");
	lib_snprintf(buf, sizeof(buf), runtime("[%-20p]"), (void *)1);
	cr_assert_str_eq(buf, "[0x0000000000000001  ]");
	lib_snprintf(buf, sizeof(buf), "%px", (void *)2);
	cr_assert_str_eq(buf, "0x0000000000000002x", "only S, s and B extend %%p");
}

static char last_kind;
static unsigned long last_addr;

/* A fake kallsyms: knows one function, "do_fork", at 0x1000 size 0x80. */
static int fake_symbols(char *buf, size_t size, unsigned long addr, char kind)
{
	last_kind = kind;
	last_addr = addr;
	if (addr < 0x1000 || addr >= 0x1080)
		return -1;
	if (kind == 's')
		return snprintf(buf, size, "do_fork");
	return snprintf(buf, size, "do_fork+0x%lx/0x80", addr - 0x1000);
}

/* Claims an enormous description, to test the cut to the internal buffer. */
static int long_symbols(char *buf, size_t size, unsigned long addr, char kind)
{
	(void)addr;
	(void)kind;
	memset(buf, 'z', size - 1);
	buf[size - 1] = '\0';
	return 1000;
}

Test(printf, symbol_hook_formats_pS_ps_pB)
{
	char buf[256];

	printf_set_symbol_formatter(fake_symbols);
	lib_snprintf(buf, sizeof(buf), "at %pS!", (void *)0x1010);
	cr_assert_str_eq(buf, "at do_fork+0x10/0x80!");
	cr_assert_eq(last_kind, 'S');
	cr_assert_eq(last_addr, 0x1010);

	lib_snprintf(buf, sizeof(buf), "%ps", (void *)0x1010);
	cr_assert_str_eq(buf, "do_fork");
	cr_assert_eq(last_kind, 's');

	lib_snprintf(buf, sizeof(buf), "%pB", (void *)0x1000);
	cr_assert_str_eq(buf, "do_fork+0x0/0x80");
	cr_assert_eq(last_kind, 'B');

	lib_snprintf(buf, sizeof(buf), runtime("[%-12ps][%10ps]"), (void *)0x1001, (void *)0x1002);
	cr_assert_str_eq(buf, "[do_fork     ][   do_fork]");

	/* Unknown to the formatter: printed like %p. */
	lib_snprintf(buf, sizeof(buf), "%pS", (void *)0x2000);
	cr_assert_str_eq(buf, "0x0000000000002000");

	/* Plain %p never asks the formatter. */
	last_kind = 0;
	lib_snprintf(buf, sizeof(buf), "%p", (void *)0x1010);
	cr_assert_str_eq(buf, "0x0000000000001010");
	cr_assert_eq(last_kind, 0);

	printf_set_symbol_formatter(long_symbols);
	cr_assert_eq(lib_snprintf(buf, sizeof(buf), "%pS", (void *)0x1), 127);
	cr_assert_eq(strspn(buf, "z"), 127);

	printf_set_symbol_formatter(NULL);
	lib_snprintf(buf, sizeof(buf), "%pS", (void *)0x1010);
	cr_assert_str_eq(buf, "0x0000000000001010");
}

Test(printf, null_string_prints_null_cut_by_precision)
{
	char buf[32];

	cr_assert_eq(lib_snprintf(buf, sizeof(buf), runtime("%s"), (char *)NULL), 6);
	cr_assert_str_eq(buf, "(null)");
	lib_snprintf(buf, sizeof(buf), runtime("[%8s]"), (char *)NULL);
	cr_assert_str_eq(buf, "[  (null)]");
	lib_snprintf(buf, sizeof(buf), runtime("[%.3s]"), (char *)NULL);
	cr_assert_str_eq(buf, "[(nu]");
}

Test(printf, precision_bounds_string_reads)
{
	/* Not NUL-terminated: the precision must stop the read. */
	char raw[3] = { 'a', 'b', 'c' };
	char buf[16];

	cr_assert_eq(lib_snprintf(buf, sizeof(buf), "%.3s", raw), 3);
	cr_assert_str_eq(buf, "abc");
}

Test(printf, unknown_conversions_are_copied_and_take_no_argument)
{
	char buf[64];

	cr_assert_eq(lib_snprintf(buf, sizeof(buf), runtime("%y %d"), 5), 4);
	cr_assert_str_eq(buf, "%y 5");
	lib_snprintf(buf, sizeof(buf), runtime("[%-5.2ly|%d]"), 7);
	cr_assert_str_eq(buf, "[%-5.2ly|7]");
	lib_snprintf(buf, sizeof(buf), runtime("%n%d"), 9);
	cr_assert_str_eq(buf, "%n9");
	cr_assert_eq(lib_snprintf(buf, sizeof(buf), runtime("100%")), 4);
	cr_assert_str_eq(buf, "100%");
	lib_snprintf(buf, sizeof(buf), runtime("50%-"));
	cr_assert_str_eq(buf, "50%-");
}

Test(printf, huge_width_is_capped_not_overflowed)
{
	char buf[8];
	int n = lib_snprintf(buf, sizeof(buf), runtime("%99999999999d"), 1);

	cr_assert_gt(n, 1000);
	cr_assert_lt(n, 1 << 21);
	cr_assert_str_eq(buf, "       ");
	n = lib_snprintf(buf, sizeof(buf), runtime("%*d"), INT_MIN, 1);
	cr_assert_gt(n, 1000);
	cr_assert_str_eq(buf, "1      ");
}

Test(printf, scnprintf_returns_what_was_stored)
{
	char buf[10];
	int len = 0;

	cr_assert_eq(scnprintf(buf, 0, "abc"), 0);
	cr_assert_eq(scnprintf(buf, sizeof(buf), "abc"), 3);
	cr_assert_eq(scnprintf(buf, 4, "abcdef"), 3);
	cr_assert_str_eq(buf, "abc");
	cr_assert_eq(scnprintf(buf, 1, "abcdef"), 0);
	cr_assert_str_eq(buf, "");

	/* The append idiom never runs past the end. */
	for (int i = 0; i < 10; i++)
		len += scnprintf(buf + len, sizeof(buf) - len, "%d,", i);
	cr_assert_eq(len, 9);
	cr_assert_str_eq(buf, "0,1,2,3,4");
}

static int call_vscnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

Test(printf, vscnprintf_matches_scnprintf)
{
	char a[8], b[8];

	for (size_t size = 0; size <= sizeof(a); size++) {
		memset(a, GUARD, sizeof(a));
		memset(b, GUARD, sizeof(b));
		cr_assert_eq(call_vscnprintf(a, size, "%s=%d", "x", 1234),
			     scnprintf(b, size, "%s=%d", "x", 1234));
		cr_assert(!memcmp(a, b, sizeof(a)));
	}
}

/* Collects cbprintf output and counts the pieces it came in. */
struct collector {
	char text[128];
	size_t len;
	int pieces;
};

static void collect(void *ctx, const char *s, size_t len)
{
	struct collector *c = ctx;

	cr_assert_lt(c->len + len, sizeof(c->text));
	cr_assert_gt(len, 0, "empty pieces are not passed on");
	memcpy(c->text + c->len, s, len);
	c->len += len;
	c->pieces++;
}

Test(printf, cbprintf_delivers_the_same_text)
{
	struct collector c = { .len = 0, .pieces = 0 };
	char want[128];
	int n;

	n = cbprintf(collect, &c, "pid %5d comm %-8s|%#x", 42, "init", 0x1f);
	lib_snprintf(want, sizeof(want), "pid %5d comm %-8s|%#x", 42, "init", 0x1f);
	cr_assert_eq(n, (int)strlen(want));
	cr_assert_eq(c.len, strlen(want));
	cr_assert(!memcmp(c.text, want, c.len));
	cr_assert_gt(c.pieces, 1);
}
