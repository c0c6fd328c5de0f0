/* SPDX-License-Identifier: MIT */
/*
 * Splitting a console line the way a Unix shell does, before anything
 * runs: words, quotes, and the operators | > >> and a final &.
 *
 *	cat trace | grep -E 'fib|words' | wc -l > /tmp/x &
 *
 * Words are separated by blanks; '...' and "..." keep blanks and the
 * operator characters inside one word (there are no escapes or
 * variables). | > and & need no blanks around them: `cat x|wc` is two
 * commands, as in sh. The result is a pipeline of stages, each an argv.
 */
#ifndef LIB_SHELL_WORDS_H
#define LIB_SHELL_WORDS_H

#include <lib/types.h>

#define SHELL_MAX_WORDS		32	/* words and operators of one line */
#define SHELL_MAX_STAGES	8	/* commands joined by | */

struct shell_stage {
	int argc;
	char **argv;		/* NULL-terminated */
};

struct shell_line {
	struct shell_stage stages[SHELL_MAX_STAGES];
	int nstages;		/* 0: a blank line */
	const char *out_file;	/* > FILE or >> FILE after the last stage, or NULL */
	bool append;		/* >> */
	bool background;	/* a final & */
	/* storage the stages point into */
	char text[256 + SHELL_MAX_WORDS];
	char *argv[SHELL_MAX_WORDS + SHELL_MAX_STAGES];
};

/**
 * shell_parse_line - split @line into @out's stages
 *
 * Returns 0, or -EINVAL with *@err set to a message for a person:
 * an unterminated quote, too many words, a | with no command on one side,
 * a > with no file or followed by more, an & that does not end the line.
 * @line is not changed; @out keeps its own copy of the words.
 */
int shell_parse_line(const char *line, struct shell_line *out, const char **err);

#endif /* LIB_SHELL_WORDS_H */
