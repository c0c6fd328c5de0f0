/* SPDX-License-Identifier: MIT */
/*
 * Shell-style wildcard matching, for filters such as
 * "echo 'vfs_*' > set_ftrace_filter" and "kprobe_events" event names.
 *
 * The pattern language is that of fnmatch(3) with no flags:
 *   *        any run of characters, including none
 *   ?        any one character
 *   [abc]    one character from the set; ranges as in [a-z0-9]; a ']'
 *            right after '[' (or "[!") is a member, as is a '-' at either
 *            end; [!...] and [^...] match a character not in the set
 *   \c       the character c itself, also inside a set
 * A '[' with no closing ']' is an ordinary character. A pattern that ends
 * in a lone backslash, or in the middle of a range ("[a-"), matches
 * nothing, as with glibc's fnmatch. '/' and '.' are not special. Matching
 * compares bytes; there are no locales and no [:classes:].
 */
#ifndef LIB_GLOB_H
#define LIB_GLOB_H

#include <stdbool.h>

/*
 * glob_match - does a string match a wildcard pattern?
 * @pattern: the pattern, as described above
 * @str:     the string to test; the whole of it must match
 *
 * Takes time proportional to strlen(@pattern) * strlen(@str) at worst and
 * a constant amount of stack, whatever the pattern. Safe in any context.
 */
bool glob_match(const char *pattern, const char *str);

/*
 * glob_has_wildcard - does a pattern need glob_match() at all?
 * @s: the pattern
 *
 * Returns true if @s holds any character glob_match() treats specially
 * (* ? [ or \). When it returns false, glob_match(@s, x) is simply
 * strcmp(@s, x) == 0, so a caller may look @s up by name instead.
 */
bool glob_has_wildcard(const char *s);

#endif /* LIB_GLOB_H */
