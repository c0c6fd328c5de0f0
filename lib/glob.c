// SPDX-License-Identifier: MIT
/*
 * Wildcard matching (declared in lib/glob.h).
 *
 * The matcher walks pattern and string together. Every pattern item but
 * '*' matches exactly one character, so when a '*' has been seen and a
 * later item fails, it is enough to let the most recent '*' swallow one
 * more character and try again from just after it: an earlier '*' could
 * only shift where the later one starts, and the later one can absorb
 * that by itself. This keeps the matcher a loop with two saved pointers
 * instead of a recursion whose depth a hostile pattern could choose.
 */
#include <stddef.h>

#include <lib/glob.h>
#include <lib/string.h>

/*
 * Read one set member at *@pp, unescaping a backslash, and advance past
 * it. Returns the character, or -1 if the pattern ends first.
 */
static int set_char(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;

	if (*p == '\\')
		p++;
	if (*p == '\0')
		return -1;
	*pp = (const char *)p + 1;
	return *p;
}

/* What set_match() found. */
enum set_result {
	SET_MISS,	/* the character is not in the set */
	SET_HIT,	/* it is */
	SET_UNCLOSED,	/* no closing ']': the '[' is an ordinary character */
	SET_BROKEN,	/* the pattern ends inside a range: nothing matches */
};

/*
 * Match @c against the set that starts at @p, just after its '['. On
 * SET_MISS and SET_HIT, *@endp is set after the closing ']'.
 */
static enum set_result set_match(const char *p, unsigned char c, const char **endp)
{
	bool negate = *p == '!' || *p == '^';
	bool matched = false;
	bool first = true;
	int lo, hi;

	if (negate)
		p++;
	for (;; first = false) {
		/* A ']' in first place is a member, not the end of the set. */
		if (*p == ']' && !first) {
			*endp = p + 1;
			return matched != negate ? SET_HIT : SET_MISS;
		}
		lo = set_char(&p);
		if (lo < 0)
			return SET_UNCLOSED;
		hi = lo;
		/* A '-' just before the ']' is a member, not a range. */
		if (p[0] == '-' && p[1] != ']') {
			p++;
			/* "[a-" at the very end: fnmatch rejects the pattern. */
			hi = set_char(&p);
			if (hi < 0)
				return SET_BROKEN;
		}
		if (lo <= c && c <= hi)
			matched = true;
	}
}

/*
 * Does the pattern item at *@pp (anything but '*') match @c, which is not
 * the terminating NUL? If so, advance *@pp past the item.
 */
static bool item_match(const char **pp, unsigned char c)
{
	const char *p = *pp;
	const char *end = p + 1;

	switch (*p) {
	case '\0':
		return false;
	case '?':
		break;
	case '[':
		switch (set_match(p + 1, c, &end)) {
		case SET_HIT:
			break;
		case SET_UNCLOSED:
			end = p + 1;
			if (c != '[')
				return false;
			break;
		default:
			return false;
		}
		break;
	case '\\':
		/* A lone backslash at the end matches nothing. */
		if (p[1] == '\0' || (unsigned char)p[1] != c)
			return false;
		end = p + 2;
		break;
	default:
		if ((unsigned char)*p != c)
			return false;
		break;
	}
	*pp = end;
	return true;
}

bool glob_match(const char *pattern, const char *str)
{
	const char *star_pattern = NULL;	/* just after the latest '*' */
	const char *star_str = NULL;		/* where that '*' stops swallowing */

	for (;;) {
		if (*pattern == '*') {
			star_pattern = ++pattern;
			star_str = str;
			continue;
		}
		if (*str && item_match(&pattern, *str)) {
			str++;
			continue;
		}
		if (!*str && !*pattern)
			return true;
		/* Mismatch: let the latest '*' take one more character. */
		if (!star_pattern || !*star_str)
			return false;
		pattern = star_pattern;
		str = ++star_str;
	}
}

bool glob_has_wildcard(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}
