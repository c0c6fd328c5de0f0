/* SPDX-License-Identifier: MIT */
/*
 * The console: the serial line as a terminal. Bytes arrive from the UART
 * interrupt into a ring; console_readline() turns them into edited lines
 * (backspace, Ctrl-U, Ctrl-C, history on the arrow keys, Tab completion);
 * Ctrl-C while a command runs raises a flag the command polls.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/arch.h>
#include <lib/types.h>

#define CONSOLE_LINE_MAX	256	/* including the NUL */

/* The console device itself is the arch's: arch_console_write(),
 * kernel/arch.h. */

/* Command output: to the terminal, or where the shell redirected it
 * (kernel/shell_io.h). Any context. */
void console_write(const char *s, size_t len);
/* Always to the terminal (the line editor, error messages). Any context. */
void console_write_tty(const char *s, size_t len);

/* From the UART interrupt: one received byte. */
void console_receive_char(char c);

/* Wait for and return the next received byte. May sleep. */
int console_getc(void);
/* The next byte if one is waiting, else -1. */
int console_trygetc(void);

/*
 * Completion hook for Tab: given the line so far, print the candidates or
 * extend @buf in place (up to @size) and return the new length.
 */
typedef size_t (*console_complete_fn)(char *buf, size_t len, size_t size);
void console_set_completion(console_complete_fn fn);

/**
 * console_readline - read one edited line into @buf
 * @prompt: printed first (and again after Ctrl-C or a listing)
 *
 * Returns the line's length, or
 *   -EINTR   the user pressed Ctrl-C (the line is abandoned)
 *   -E2BIG   the line was longer than CONSOLE_LINE_MAX - 1
 *   -EILSEQ  it contained a control character or a non-ASCII byte
 * Context: task, may sleep.
 */
int console_readline(const char *prompt, char *buf, size_t size);

/* The first offending byte of the last line refused with -EILSEQ. */
int console_last_bad_char(void);

/* Ctrl-C since the last console_clear_break()? Long commands poll this. */
bool console_break_pending(void);
void console_clear_break(void);


#endif
