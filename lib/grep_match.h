/* SPDX-License-Identifier: MIT */
/*
 * The pattern matcher behind the console's `grep`: a small subset of
 * POSIX regular expressions, matched against one line at a time.
 *
 * Both dialects know
 *	c	the character c;  \c  c itself (\. \* \[ \\ ...)
 *	.	any character
 *	[...]	one character of a set: [abc] [a-z] [^0-9], a ']' first is a
 *		member, [:digit:] [:alpha:] [:alnum:] [:space:] [:upper:]
 *		[:lower:] [:punct:] [:xdigit:] inside the brackets
 *	x*	any number of x (x: a character, . or a set)
 *	^ $	the start / the end of the line (at the start / end of an
 *		alternative)
 * Extended patterns (grep -E) add x+ (one or more), x? (zero or one) and
 * a|b (either); basic patterns (plain grep) write those \+ \? \| as GNU
 * grep does, and take + ? | as plain characters. Groups ( ) and counts
 * {n,m} are not supported and are refused with a message.
 *
 * Matching simulates the pattern's automaton over a set of positions,
 * so it takes time proportional to the line's length times the
 * pattern's, whatever the pattern: no pattern can make it explode.
 */
#ifndef LIB_GREP_MATCH_H
#define LIB_GREP_MATCH_H

#include <lib/types.h>

#define GREP_MAX_ATOMS		63	/* per alternative: a bit each in a u64 */
#define GREP_MAX_ALTS		8
#define GREP_MAX_SETS		16

#define GREP_EXTENDED		(1U << 0)	/* -E */
#define GREP_ICASE		(1U << 1)	/* -i */

struct grep_atom {
	u8 kind;		/* GREP_CHAR, GREP_ANY, GREP_SET */
	u8 repeat;		/* GREP_ONCE, GREP_STAR, GREP_PLUS, GREP_OPT */
	u8 c;			/* GREP_CHAR: the character; GREP_SET: the set's index */
};

struct grep_alt {
	struct grep_atom atoms[GREP_MAX_ATOMS];
	unsigned n;
	bool at_start, at_end;	/* ^ and $ */
};

struct grep_pattern {
	struct grep_alt alts[GREP_MAX_ALTS];
	unsigned nalts;
	u8 sets[GREP_MAX_SETS][32];	/* bitmaps of 256 characters */
	unsigned nsets;
	bool icase;
};

/**
 * grep_compile - parse @pattern into @p
 * @flags: GREP_EXTENDED, GREP_ICASE
 * @err: on failure, a message for a person ("Unmatched [ ...")
 *
 * Returns 0, or -EINVAL with *@err set. Safe in any context; @p is large
 * (about 2 KiB): allocate it rather than put it on a kernel stack.
 */
int grep_compile(struct grep_pattern *p, const char *pattern, unsigned flags, const char **err);

/* Does any part of @line[0..@len) match @p? */
bool grep_match(const struct grep_pattern *p, const char *line, size_t len);

#endif /* LIB_GREP_MATCH_H */
