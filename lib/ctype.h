/* SPDX-License-Identifier: MIT */
/*
 * Character classes for ASCII, as in the C locale.
 *
 * The parsers (console commands, probe definitions, kstrtox) classify
 * characters one at a time; these small inline tests are all they need.
 * They are plain comparisons rather than a lookup table, so any int is a
 * safe argument: EOF, a negative plain char from a byte >= 0x80, or a
 * value above 255 simply belongs to no class.
 *
 * On the host (LOUPE_HOST) the names are renamed to lib_isdigit ... in the
 * same way, and with the same LOUPE_HOST_LIBC_NAMES switch, as described
 * in lib/string.h, so they never clash with <ctype.h>.
 */
#ifndef LIB_CTYPE_H
#define LIB_CTYPE_H

#include <stdbool.h>

#ifdef LOUPE_HOST
#undef isdigit
#undef isxdigit
#undef isalpha
#undef isalnum
#undef isspace
#undef isupper
#undef islower
#undef isprint
#undef isgraph
#undef iscntrl
#undef ispunct
#undef tolower
#undef toupper
#define isdigit		lib_isdigit
#define isxdigit	lib_isxdigit
#define isalpha		lib_isalpha
#define isalnum		lib_isalnum
#define isspace		lib_isspace
#define isupper		lib_isupper
#define islower		lib_islower
#define isprint		lib_isprint
#define isgraph		lib_isgraph
#define iscntrl		lib_iscntrl
#define ispunct		lib_ispunct
#define tolower		lib_tolower
#define toupper		lib_toupper
#endif

static inline bool isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool isalpha(int c)
{
	return isupper(c) || islower(c);
}

static inline bool isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

static inline bool isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, tab, newline, vertical tab, form feed and carriage return. */
static inline bool isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Printable: space through '~'. */
static inline bool isprint(int c)
{
	return c >= ' ' && c <= '~';
}

/* Printable and not a space. */
static inline bool isgraph(int c)
{
	return c > ' ' && c <= '~';
}

/* The 32 control codes below space, and DEL. */
static inline bool iscntrl(int c)
{
	return (c >= 0 && c < ' ') || c == 0x7f;
}

/* Visible characters that are neither letters nor digits. */
static inline bool ispunct(int c)
{
	return isgraph(c) && !isalnum(c);
}

static inline int tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

static inline int toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}

#if defined(LOUPE_HOST) && defined(LOUPE_HOST_LIBC_NAMES)
#undef isdigit
#undef isxdigit
#undef isalpha
#undef isalnum
#undef isspace
#undef isupper
#undef islower
#undef isprint
#undef isgraph
#undef iscntrl
#undef ispunct
#undef tolower
#undef toupper
#endif

#endif /* LIB_CTYPE_H */
