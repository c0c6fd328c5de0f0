// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/string.c and lib/ctype.h.
 *
 * Wherever the C library has the same function, ours (lib_memcpy ...) and
 * libc's run on the same inputs — every alignment and length up to a few
 * words for the memory functions, pseudo-random strings over a small
 * alphabet for the string ones — and must agree. The kernel-only helpers
 * (strscpy, strlcat, strim ...) are checked against their documented
 * results. Random inputs come from a fixed seed, so a failure repeats.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define LOUPE_HOST_LIBC_NAMES
#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/string.h>

#define GUARD	0xa5
#define BUFLEN	256

static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
	rng_state = seed;
}

/* xorshift64: a small generator whose sequence is the same everywhere. */
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static void fill_random(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rng();
}

/* A random string of @len characters drawn from @alphabet. */
static void random_string(char *s, size_t len, const char *alphabet)
{
	size_t n = strlen(alphabet);

	for (size_t i = 0; i < len; i++)
		s[i] = alphabet[rng() % n];
	s[len] = '\0';
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* ------------------------------------------------------------ memory */

Test(string, memcpy_matches_libc_at_every_alignment)
{
	unsigned char src[BUFLEN], got[BUFLEN], want[BUFLEN];

	rng_seed(1);
	fill_random(src, sizeof(src));
	for (size_t so = 0; so < 16; so++)
		for (size_t doff = 0; doff < 16; doff++)
			for (size_t n = 0; n <= 100; n++) {
				memset(got, GUARD, sizeof(got));
				memset(want, GUARD, sizeof(want));
				cr_assert_eq(lib_memcpy(got + doff, src + so, n), got + doff);
				memcpy(want + doff, src + so, n);
				cr_assert(!memcmp(got, want, sizeof(got)),
					  "memcpy src+%zu dst+%zu n=%zu", so, doff, n);
			}
}

Test(string, memmove_matches_libc_on_overlapping_areas)
{
	unsigned char init[BUFLEN], got[BUFLEN], want[BUFLEN];

	rng_seed(2);
	fill_random(init, sizeof(init));
	for (size_t so = 0; so < 40; so++)
		for (size_t doff = 0; doff < 40; doff++)
			for (size_t n = 0; n <= 80; n++) {
				memcpy(got, init, sizeof(got));
				memcpy(want, init, sizeof(want));
				cr_assert_eq(lib_memmove(got + doff, got + so, n), got + doff);
				memmove(want + doff, want + so, n);
				cr_assert(!memcmp(got, want, sizeof(got)),
					  "memmove src+%zu dst+%zu n=%zu", so, doff, n);
			}
}

Test(string, memset_matches_libc_and_uses_the_low_byte)
{
	static const int values[] = { 0, 1, 0x7f, 0x80, 0xff, -1, 0x1ab, -0x55 };
	unsigned char got[BUFLEN], want[BUFLEN];

	for (size_t v = 0; v < ARRAY_SIZE(values); v++)
		for (size_t off = 0; off < 16; off++)
			for (size_t n = 0; n <= 100; n++) {
				memset(got, GUARD, sizeof(got));
				memset(want, GUARD, sizeof(want));
				cr_assert_eq(lib_memset(got + off, values[v], n), got + off);
				memset(want + off, values[v], n);
				cr_assert(!memcmp(got, want, sizeof(got)),
					  "memset c=%d off=%zu n=%zu", values[v], off, n);
			}
}

Test(string, memcmp_sign_matches_libc_and_bytes_are_unsigned)
{
	unsigned char a[64], b[64];

	rng_seed(3);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rng() % 64;

		fill_random(a, sizeof(a));
		memcpy(b, a, sizeof(b));
		if (n && rng() % 4)
			b[rng() % n] = rng();
		cr_assert_eq(sign(lib_memcmp(a, b, n)), sign(memcmp(a, b, n)),
			     "memcmp n=%zu", n);
	}
	cr_assert_gt(lib_memcmp("\x80", "\x7f", 1), 0);
	cr_assert_eq(lib_memcmp("abc", "abd", 2), 0);
	cr_assert_eq(lib_memcmp(NULL, NULL, 0), 0);
}

Test(string, memchr_matches_libc)
{
	unsigned char buf[64];

	rng_seed(4);
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rng() % 64;
		int c = rng() % 8 ? (int)(rng() % 16) : (int)(rng() % 512) - 256;

		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = rng() % 16;
		cr_assert_eq(lib_memchr(buf, c, n), memchr(buf, c, n),
			     "memchr c=%d n=%zu", c, n);
	}
}

/* ------------------------------------------------------------ strings */

Test(string, strlen_and_strnlen_match_libc)
{
	char buf[80];

	rng_seed(5);
	for (int iter = 0; iter < 5000; iter++) {
		size_t off = rng() % 8, len = rng() % 64, max = rng() % 80;

		random_string(buf + off, len, "ab\x80\xff");
		cr_assert_eq(lib_strlen(buf + off), strlen(buf + off));
		cr_assert_eq(lib_strnlen(buf + off, max), strnlen(buf + off, max),
			     "strnlen len=%zu max=%zu", len, max);
	}
	cr_assert_eq(lib_strlen(""), 0);
	/* strnlen must not look past @maxlen: no NUL anywhere here. */
	cr_assert_eq(lib_strnlen("abcd", 2), 2);
}

Test(string, comparisons_match_libc_in_sign)
{
	char a[16], b[16];

	rng_seed(6);
	for (int iter = 0; iter < 50000; iter++) {
		size_t n = rng() % 12;

		random_string(a, rng() % 10, "aAbB\xe9");
		random_string(b, rng() % 10, "aAbB\xe9");
		cr_assert_eq(sign(lib_strcmp(a, b)), sign(strcmp(a, b)),
			     "strcmp(\"%s\", \"%s\")", a, b);
		cr_assert_eq(sign(lib_strncmp(a, b, n)), sign(strncmp(a, b, n)),
			     "strncmp(\"%s\", \"%s\", %zu)", a, b, n);
		cr_assert_eq(sign(lib_strcasecmp(a, b)), sign(strcasecmp(a, b)),
			     "strcasecmp(\"%s\", \"%s\")", a, b);
		cr_assert_eq(sign(lib_strncasecmp(a, b, n)), sign(strncasecmp(a, b, n)),
			     "strncasecmp(\"%s\", \"%s\", %zu)", a, b, n);
	}
	cr_assert_lt(lib_strcmp("a", "\xe9"), 0, "chars compare as unsigned");
	cr_assert_eq(lib_strcasecmp("HeLLo_1", "hello_1"), 0);
	cr_assert_eq(lib_strncmp("abc", "abd", 0), 0);
}

Test(string, character_searches_match_libc)
{
	char s[24];

	rng_seed(7);
	for (int iter = 0; iter < 2000; iter++) {
		random_string(s, rng() % 20, "abc\x80");
		for (int c = -300; c < 300; c++) {
			cr_assert_eq(lib_strchr(s, c), strchr(s, c), "strchr c=%d", c);
			cr_assert_eq(lib_strrchr(s, c), strrchr(s, c), "strrchr c=%d", c);
			cr_assert_eq(lib_strchrnul(s, c), strchrnul(s, c), "strchrnul c=%d", c);
		}
	}
}

Test(string, strstr_matches_libc)
{
	char h[40], n[8];

	rng_seed(8);
	for (int iter = 0; iter < 100000; iter++) {
		random_string(h, rng() % 32, "aab");
		random_string(n, rng() % 5, "ab");
		cr_assert_eq(lib_strstr(h, n), strstr(h, n),
			     "strstr(\"%s\", \"%s\")", h, n);
	}
	cr_assert_eq(lib_strstr("", ""), strstr("", ""));
}

Test(string, span_functions_match_libc)
{
	char s[24], set[6];

	rng_seed(9);
	for (int iter = 0; iter < 50000; iter++) {
		random_string(s, rng() % 20, "abcd ");
		random_string(set, rng() % 5, "abcd ");
		cr_assert_eq(lib_strspn(s, set), strspn(s, set));
		cr_assert_eq(lib_strcspn(s, set), strcspn(s, set));
		cr_assert_eq(lib_strpbrk(s, set), strpbrk(s, set));
	}
}

Test(string, strsep_matches_libc)
{
	char orig[24], a[24], b[24], delim[4];

	rng_seed(10);
	for (int iter = 0; iter < 20000; iter++) {
		char *pa = a, *pb = b, *ta, *tb;

		random_string(orig, rng() % 20, "ab,;");
		random_string(delim, rng() % 3, ",;");
		strcpy(a, orig);
		strcpy(b, orig);
		do {
			ta = lib_strsep(&pa, delim);
			tb = strsep(&pb, delim);
			cr_assert_eq(ta ? ta - a : -1, tb ? tb - b : -1,
				     "strsep(\"%s\", \"%s\")", orig, delim);
			cr_assert_eq(pa ? pa - a : -1, pb ? pb - b : -1);
		} while (ta);
		cr_assert(!memcmp(a, b, strlen(orig) + 1));
	}
}

Test(string, strsep_on_null_returns_null)
{
	char *p = NULL;

	cr_assert_null(lib_strsep(&p, ","));
	cr_assert_null(p);
}

/* ------------------------------------------------- kernel extensions */

Test(string, strscpy_reports_length_or_e2big)
{
	const char *src = "tracepoint";	/* 10 characters */
	char buf[16];

	for (size_t size = 0; size <= 13; size++) {
		memset(buf, GUARD, sizeof(buf));
		long ret = strscpy(buf, src, size);

		if (size == 0) {
			cr_assert_eq(ret, -E2BIG);
			cr_assert_eq((unsigned char)buf[0], GUARD, "size 0 writes nothing");
			continue;
		}
		if (size <= 10) {
			cr_assert_eq(ret, -E2BIG, "size %zu", size);
			cr_assert_eq(strlen(buf), size - 1);
			cr_assert(!strncmp(buf, src, size - 1));
		} else {
			cr_assert_eq(ret, 10, "size %zu", size);
			cr_assert_str_eq(buf, src);
		}
		/* Nothing written past the buffer's end. */
		for (size_t i = size; i < sizeof(buf); i++)
			cr_assert_eq((unsigned char)buf[i], GUARD, "size %zu byte %zu", size, i);
	}
	cr_assert_eq(strscpy(buf, "", 1), 0);
	cr_assert_str_eq(buf, "");
}

Test(string, strscpy_does_not_read_past_size)
{
	/* An unterminated source is fine as long as size bounds the read. */
	char src[4] = { 'a', 'b', 'c', 'd' };
	char buf[4];

	cr_assert_eq(strscpy(buf, src, sizeof(buf)), -E2BIG);
	cr_assert_str_eq(buf, "abc");
}

Test(string, strlcat_appends_and_reports_wanted_length)
{
	char buf[8];

	strcpy(buf, "ab");
	cr_assert_eq(lib_strlcat(buf, "cd", sizeof(buf)), 4);
	cr_assert_str_eq(buf, "abcd");
	cr_assert_eq(lib_strlcat(buf, "efghij", sizeof(buf)), 10);
	cr_assert_str_eq(buf, "abcdefg");
	cr_assert_eq(lib_strlcat(buf, "x", sizeof(buf)), 8);
	cr_assert_str_eq(buf, "abcdefg");

	memset(buf, 'z', sizeof(buf));	/* not terminated within size */
	cr_assert_eq(lib_strlcat(buf, "abc", 4), 4 + 3);
	cr_assert(!memcmp(buf, "zzzzzzzz", 8), "unterminated dst is left alone");
	cr_assert_eq(lib_strlcat(buf, "abc", 0), 3);
}

Test(string, skip_spaces_and_strim)
{
	char s1[] = "  \t echo hi \n ";
	char s2[] = "   ";
	char s3[] = "x";

	cr_assert_str_eq(skip_spaces(" \t\n\v\f\rabc "), "abc ");
	cr_assert_str_eq(skip_spaces(""), "");
	cr_assert_str_eq(strim(s1), "echo hi");
	cr_assert_eq(strim(s1), s1 + 4);
	cr_assert_str_eq(strim(s2), "");
	cr_assert_str_eq(strim(s3), "x");
}

Test(string, str_has_prefix_returns_prefix_length)
{
	cr_assert_eq(str_has_prefix("p:myprobe do_fork", "p:"), 2);
	cr_assert_eq(str_has_prefix("r:x", "p:"), 0);
	cr_assert_eq(str_has_prefix("p", "p:"), 0);
	cr_assert_eq(str_has_prefix("anything", ""), 0);
}

/* --------------------------------------------------------------- ctype */

Test(ctype, classes_match_libc_in_the_c_locale)
{
	for (int c = -1; c < 256; c++) {
		cr_assert_eq(lib_isdigit(c), !!isdigit(c), "isdigit(%d)", c);
		cr_assert_eq(lib_isxdigit(c), !!isxdigit(c), "isxdigit(%d)", c);
		cr_assert_eq(lib_isalpha(c), !!isalpha(c), "isalpha(%d)", c);
		cr_assert_eq(lib_isalnum(c), !!isalnum(c), "isalnum(%d)", c);
		cr_assert_eq(lib_isspace(c), !!isspace(c), "isspace(%d)", c);
		cr_assert_eq(lib_isupper(c), !!isupper(c), "isupper(%d)", c);
		cr_assert_eq(lib_islower(c), !!islower(c), "islower(%d)", c);
		cr_assert_eq(lib_isprint(c), !!isprint(c), "isprint(%d)", c);
		cr_assert_eq(lib_isgraph(c), !!isgraph(c), "isgraph(%d)", c);
		cr_assert_eq(lib_iscntrl(c), !!iscntrl(c), "iscntrl(%d)", c);
		cr_assert_eq(lib_ispunct(c), !!ispunct(c), "ispunct(%d)", c);
		cr_assert_eq(lib_tolower(c), tolower(c), "tolower(%d)", c);
		cr_assert_eq(lib_toupper(c), toupper(c), "toupper(%d)", c);
	}
}

Test(ctype, negative_chars_belong_to_no_class)
{
	/* A plain char holding a byte >= 0x80 is negative on x86. */
	for (int c = -128; c < -1; c++) {
		cr_assert(!lib_isprint(c) && !lib_iscntrl(c) && !lib_isspace(c) &&
			  !lib_isalnum(c) && !lib_ispunct(c), "class of %d", c);
		cr_assert_eq(lib_tolower(c), c);
		cr_assert_eq(lib_toupper(c), c);
	}
}
