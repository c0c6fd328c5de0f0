/* SPDX-License-Identifier: MIT */
/*
 * Strict conversion of strings to integers.
 *
 * Everything a person types that should be a number — a probe offset, a
 * buffer size written to a tracefs file, a PID on the console — goes
 * through the kstrto*() functions. They accept the whole string or
 * nothing: no leading spaces, no trailing junk (only one trailing newline,
 * because "echo 42 > file" sends one), and they say why they refused.
 *
 * Parsers that read a number and then carry on (for example "+0x10(%di)"
 * in a fetch-arg) use kstrtoull_end() / kstrtoll_end(), which stop at the
 * first character that is not a digit and report where that was.
 *
 * Bases: 2 to 36, or 0 for "auto", where a "0x" or "0X" prefix means
 * hexadecimal, a leading 0 means octal and anything else decimal. With
 * base 16 an optional "0x" prefix is accepted too. A single leading '+' is
 * allowed everywhere, a leading '-' only by the signed variants.
 */
#ifndef LIB_KSTRTOX_H
#define LIB_KSTRTOX_H

#include <stdbool.h>

/*
 * kstrtoull - convert a whole string to an unsigned long long
 * @s:    the string, digits with an optional prefix and one optional '\n'
 * @base: 2..36, or 0 to detect it from the prefix
 * @res:  where to store the result; untouched on error
 *
 * Returns 0 on success, -EINVAL if @s is empty, is not a number in @base,
 * has anything after the number but a single newline, or @base is
 * invalid, and -ERANGE if the value does not fit.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);

/* kstrtoll - as kstrtoull(), for a signed value with an optional '-'. */
int kstrtoll(const char *s, unsigned int base, long long *res);

/* The same for narrower types: -ERANGE if the value does not fit the type. */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/*
 * kstrtobool - convert a yes/no answer
 * @s:   "1", "y", "yes", "on", "true" for true; "0", "n", "no", "off",
 *       "false" for false; letters in either case, one optional '\n'
 * @res: where to store the answer; untouched on error
 *
 * Returns 0 on success, -EINVAL if @s is none of those.
 */
int kstrtobool(const char *s, bool *res);

/*
 * kstrtoull_end - convert the number at the start of a string
 * @s:    the string; the number must start at @s[0]
 * @base: 2..36, or 0 to detect it from the prefix
 * @res:  where to store the result; untouched on error
 * @endp: if not NULL, set to the first character after the number
 *        (to @s when there was no number at all)
 *
 * Unlike kstrtoull(), anything may follow the number. Returns 0 on
 * success, -EINVAL if there is no digit at @s or @base is invalid, and
 * -ERANGE if the value does not fit (all its digits are still consumed,
 * so *@endp points past them).
 */
int kstrtoull_end(const char *s, unsigned int base, unsigned long long *res,
		  const char **endp);

/* kstrtoll_end - as kstrtoull_end(), for a signed value with an optional '-'. */
int kstrtoll_end(const char *s, unsigned int base, long long *res,
		 const char **endp);

/*
 * simple_strtoull - the forgiving form: parse what is there, never fail
 * @s:    the string
 * @endp: if not NULL, set to the first character after the number
 * @base: 2..36, or 0 to detect it from the prefix
 *
 * Returns the value, 0 if there was no number, and the largest value
 * (ULLONG_MAX) if it overflowed. Use it only where a bad number cannot do
 * harm; prefer kstrtoull_end() everywhere else.
 */
unsigned long long simple_strtoull(const char *s, char **endp, unsigned int base);

/* simple_strtoll - as simple_strtoull(), signed; saturates at LLONG_MIN/MAX. */
long long simple_strtoll(const char *s, char **endp, unsigned int base);

#endif /* LIB_KSTRTOX_H */
