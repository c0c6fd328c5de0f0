// SPDX-License-Identifier: MIT
/*
 * String to integer conversion (declared in lib/kstrtox.h).
 *
 * One function does the real work: parse_digits() reads a run of digits
 * in a given base and notices overflow. Around it, kstrtox_prefix() picks
 * the base from a "0x" or "0" prefix, the *_end() functions add the sign,
 * and the strict kstrto*() functions insist that nothing but one newline
 * follows the number. The narrower types are range checks on top.
 */
#include <stddef.h>

#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

/*
 * gcc's <limits.h> needs the C library's behind it, so it cannot be used
 * with -nostdinc; the compiler's predefined macros give the same limits.
 */
#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(INT_MAX * 2U + 1)
#define LONG_MAX	__LONG_MAX__
#define LONG_MIN	(-LONG_MAX - 1)
#define ULONG_MAX	(LONG_MAX * 2UL + 1)
#define LLONG_MAX	__LONG_LONG_MAX__
#define LLONG_MIN	(-LLONG_MAX - 1)
#define ULLONG_MAX	(LLONG_MAX * 2ULL + 1)

/* The value of digit @c (0-9, then a/A = 10 up to z/Z = 35), or 36 if none. */
static unsigned int digit_value(char c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 36;
}

/* "0x" or "0X" followed by a hexadecimal digit. */
static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit(s[2]);
}

/*
 * Work out the base and skip its prefix. A "0x" not followed by a hex
 * digit is no prefix: "0x" alone reads as the number 0 followed by 'x'.
 * Returns the effective base, or 0 if @base is not a valid base.
 */
static unsigned int kstrtox_prefix(const char **sp, unsigned int base)
{
	const char *s = *sp;

	if (base == 1 || base > 36)
		return 0;
	if ((base == 0 || base == 16) && has_hex_prefix(s)) {
		*sp = s + 2;
		return 16;
	}
	if (base == 0)
		return s[0] == '0' ? 8 : 10;
	return base;
}

/*
 * Read digits of @base at @s into *@res and return where they end (@s if
 * there are none). On overflow *@overflow is set, and the remaining digits
 * are still consumed.
 */
static const char *parse_digits(const char *s, unsigned int base,
				unsigned long long *res, bool *overflow)
{
	unsigned long long value = 0;
	unsigned int d;

	*overflow = false;
	for (; (d = digit_value(*s)) < base; s++) {
		if (value > (ULLONG_MAX - d) / base)
			*overflow = true;
		value = value * base + d;
	}
	*res = value;
	return s;
}

/* Parse an unsigned magnitude with its base prefix; no sign handling. */
static int parse_magnitude(const char *s, unsigned int base,
			   unsigned long long *res, const char **endp)
{
	const char *digits = s;
	const char *end;
	unsigned long long value;
	bool overflow;

	base = kstrtox_prefix(&digits, base);
	if (!base) {
		*endp = s;
		return -EINVAL;
	}
	end = parse_digits(digits, base, &value, &overflow);
	if (end == digits) {
		*endp = s;
		return -EINVAL;
	}
	*endp = end;
	if (overflow)
		return -ERANGE;
	*res = value;
	return 0;
}

int kstrtoull_end(const char *s, unsigned int base, unsigned long long *res,
		  const char **endp)
{
	const char *end;
	int ret;

	ret = parse_magnitude(s + (*s == '+'), base, res, &end);
	if (endp)
		*endp = ret == -EINVAL ? s : end;
	return ret;
}

int kstrtoll_end(const char *s, unsigned int base, long long *res,
		 const char **endp)
{
	bool negative = *s == '-';
	unsigned long long mag;
	const char *end;
	int ret;

	ret = parse_magnitude(s + (*s == '-' || *s == '+'), base, &mag, &end);
	if (endp)
		*endp = ret == -EINVAL ? s : end;
	if (ret)
		return ret;
	/* The negative range reaches one further: -2^63 is LLONG_MIN. */
	if (mag > (unsigned long long)LLONG_MAX + negative)
		return -ERANGE;
	*res = negative ? (long long)(0ULL - mag) : (long long)mag;
	return 0;
}

/* Nothing may follow a whole number but a single newline. */
static bool only_newline_left(const char *end)
{
	return end[0] == '\0' || (end[0] == '\n' && end[1] == '\0');
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long value;
	const char *end;
	int ret;

	ret = kstrtoull_end(s, base, &value, &end);
	if (ret == -EINVAL || !only_newline_left(end))
		return -EINVAL;
	if (ret)
		return ret;
	*res = value;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	long long value;
	const char *end;
	int ret;

	ret = kstrtoll_end(s, base, &value, &end);
	if (ret == -EINVAL || !only_newline_left(end))
		return -EINVAL;
	if (ret)
		return ret;
	*res = value;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long value;
	int ret = kstrtoull(s, base, &value);

	if (ret)
		return ret;
	if (value > ULONG_MAX)
		return -ERANGE;
	*res = value;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	long long value;
	int ret = kstrtoll(s, base, &value);

	if (ret)
		return ret;
	if (value < LONG_MIN || value > LONG_MAX)
		return -ERANGE;
	*res = value;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long value;
	int ret = kstrtoull(s, base, &value);

	if (ret)
		return ret;
	if (value > UINT_MAX)
		return -ERANGE;
	*res = value;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long value;
	int ret = kstrtoll(s, base, &value);

	if (ret)
		return ret;
	if (value < INT_MIN || value > INT_MAX)
		return -ERANGE;
	*res = value;
	return 0;
}

int kstrtobool(const char *s, bool *res)
{
	static const struct {
		const char *word;
		bool value;
	} answers[] = {
		{ "1", true }, { "y", true }, { "yes", true }, { "on", true },
		{ "true", true }, { "0", false }, { "n", false }, { "no", false },
		{ "off", false }, { "false", false },
	};
	size_t len = strlen(s);
	size_t i;

	if (len && s[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(answers); i++) {
		if (strlen(answers[i].word) == len &&
		    !strncasecmp(s, answers[i].word, len)) {
			*res = answers[i].value;
			return 0;
		}
	}
	return -EINVAL;
}

unsigned long long simple_strtoull(const char *s, char **endp, unsigned int base)
{
	unsigned long long value = 0;
	const char *end;
	int ret;

	ret = kstrtoull_end(s, base, &value, &end);
	if (endp)
		*endp = (char *)end;
	if (ret == -ERANGE)
		return ULLONG_MAX;
	return ret ? 0 : value;
}

long long simple_strtoll(const char *s, char **endp, unsigned int base)
{
	long long value = 0;
	const char *end;
	int ret;

	ret = kstrtoll_end(s, base, &value, &end);
	if (endp)
		*endp = (char *)end;
	if (ret == -ERANGE)
		return *s == '-' ? LLONG_MIN : LLONG_MAX;
	return ret ? 0 : value;
}
