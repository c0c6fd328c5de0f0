// SPDX-License-Identifier: MIT
/*
 * The console line editor and the receive ring behind it.
 *
 * The UART interrupt is the only producer of the ring and the shell the
 * only consumer, so head and tail each have one writer. Ctrl-C is noticed
 * in the interrupt itself: a command busy in a loop never reads the ring,
 * so the break flag is how it learns the user wants it to stop.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/shell_io.h>
#include <kernel/wait.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <lib/atomic.h>
#include <lib/string.h>
#include <lib/errno.h>

#define RX_RING_SIZE	1024
#define HISTORY_SIZE	16

#define CTRL_C		0x03
#define CTRL_U		0x15
#define BACKSPACE	0x08
#define DELETE		0x7f
#define ESCAPE		0x1b
#define TAB		'\t'

static char rx_ring[RX_RING_SIZE];
static volatile unsigned rx_head, rx_tail;	/* head: IRQ writes; tail: reader */
static volatile bool break_pending;
static volatile bool reading_line;	/* console_readline() is waiting for keys */

static DECLARE_WAIT_QUEUE_HEAD(rx_wait);
static console_complete_fn complete_fn;
static int last_bad_char = -1;

/* Echo to the terminal itself, bypassing any pipe the shell set up:
 * the editor's echo is for the person typing, never a command's output. */
static void puts_raw(const char *s)
{
	console_write_tty(s, strlen(s));
}

/*
 * Called from the UART interrupt for each byte received: queue it for
 * the reader and wake it. Context: hard IRQ, so it never blocks; a
 * byte that finds the ring full is dropped.
 */
void console_receive_char(char c)
{
	unsigned next = (rx_head + 1) % RX_RING_SIZE;

	/*
	 * Ctrl-C while a command runs is a break, nothing more: queued as
	 * well, the line editor would read it when the command ends and
	 * print a second, empty prompt. At the prompt it is a key the
	 * editor handles (the line is abandoned).
	 */
	if (c == CTRL_C && !reading_line) {
		break_pending = true;
		return;
	}
	if (next == rx_tail)
		return;			/* ring full: drop, never block an IRQ */
	rx_ring[rx_head] = c;
	smp_store_release(&rx_head, next);
	wake_up(&rx_wait);
}

/* The next queued byte, or -1 if none. Never sleeps; only the one
 * reader (the shell's thread) may call it, as it moves the tail. */
int console_trygetc(void)
{
	unsigned tail = rx_tail;
	char c;

	if (tail == smp_load_acquire(&rx_head))
		return -1;
	c = rx_ring[tail];
	rx_tail = (tail + 1) % RX_RING_SIZE;
	return (unsigned char)c;
}

/* Has the interrupt queued a byte the reader has not taken? */
static bool rx_pending(void)
{
	return rx_tail != smp_load_acquire(&rx_head);
}

/* The next byte, sleeping on rx_wait until one arrives. Process context. */
int console_getc(void)
{
	wait_event(rx_wait, rx_pending());
	return console_trygetc();
}

/* Install the shell's Tab handler (kernel/shell_complete.c). */
void console_set_completion(console_complete_fn fn)
{
	complete_fn = fn;
}

/*
 * A background job is not stopped by Ctrl-C at the prompt, only by
 * `kill %N` (which sets kthread_stop, see kernel/shell_jobs.c). A command
 * whose output overflowed the pipe buffer is stopped too.
 */
bool console_break_pending(void)
{
	if (shell_output_full())
		return true;	/* nobody will read more */
	if (shell_in_background())
		return kthread_should_stop();
	return break_pending;
}

/* Forget a Ctrl-C: the shell calls it before each foreground stage and
 * the editor at the end of a line, so an old break stops nothing new. */
void console_clear_break(void)
{
	break_pending = false;
}

/* ---- line editing ---- */

struct line_editor {
	char *buf;
	size_t size;
	size_t len;
	bool too_long;
	int bad_char;		/* first control byte seen, or -1 */
};

static char history[HISTORY_SIZE][CONSOLE_LINE_MAX];
static unsigned history_count;	/* total lines ever added */

/* Remember @line for the Up key: the last HISTORY_SIZE lines, in a ring. */
static void history_add(const char *line)
{
	if (!*line)
		return;
	if (history_count &&
	    !strcmp(history[(history_count - 1) % HISTORY_SIZE], line))
		return;			/* no consecutive duplicates */
	strscpy(history[history_count % HISTORY_SIZE], line, CONSOLE_LINE_MAX);
	history_count++;
}

/* Erase the visible line and show @text instead. */
static void editor_replace(struct line_editor *ed, const char *text)
{
	while (ed->len) {
		puts_raw("\b \b");
		ed->len--;
	}
	ed->len = strscpy(ed->buf, text, ed->size) < 0 ? ed->size - 1 : strlen(ed->buf);
	console_write_tty(ed->buf, ed->len);
	ed->too_long = false;
	ed->bad_char = -1;
}

/* Up (-1 steps back) or down (+1) through history; @pos counts back from now. */
static void history_step(struct line_editor *ed, unsigned *pos, int dir)
{
	unsigned avail = history_count < HISTORY_SIZE ? history_count : HISTORY_SIZE;

	if (dir < 0 && *pos < avail)
		(*pos)++;
	else if (dir > 0 && *pos > 0)
		(*pos)--;
	else
		return;
	editor_replace(ed, *pos ? history[(history_count - *pos) % HISTORY_SIZE] : "");
}

/* Read the rest of an escape sequence; return its final byte (A/B/C/D...). */
static int read_escape(void)
{
	int c = console_getc();

	if (c != '[' && c != 'O')
		return -1;
	do {
		c = console_getc();
	} while (c >= '0' && c <= '9');	/* parameters, e.g. ESC [ 3 ~ */
	return c;
}

/* Append one printable byte and echo it; a full line rings the bell and
 * is refused at Enter (-E2BIG) rather than cut silently. */
static void editor_insert(struct line_editor *ed, int c)
{
	char ch = (char)c;

	if (ed->len >= ed->size - 1) {
		ed->too_long = true;
		puts_raw("\a");
		return;
	}
	ed->buf[ed->len++] = ch;
	console_write_tty(&ch, 1);
}

/*
 * Tab: let the completion hook extend the line in place. It returns the
 * new length, or (size_t)-1 after printing a list of candidates, when
 * the prompt and the line must be drawn again under it.
 */
static void editor_complete(struct line_editor *ed, const char *prompt)
{
	size_t before = ed->len;

	if (!complete_fn)
		return;
	ed->buf[ed->len] = '\0';
	ed->len = complete_fn(ed->buf, ed->len, ed->size);
	if (ed->len == (size_t)-1) {
		/* The hook printed a listing: redraw prompt and line. */
		ed->len = strlen(ed->buf);
		puts_raw(prompt);
		console_write_tty(ed->buf, ed->len);
	} else if (ed->len > before) {
		console_write_tty(ed->buf + before, ed->len - before);
	}
}

/*
 * Read one line with echo, Backspace, Ctrl-U, Tab, and Up/Down for
 * history; CR, LF or CR LF ends it. Returns the length, -EINTR (Ctrl-C:
 * the line is dropped), -E2BIG (too long) or -EILSEQ (a control byte
 * was typed; console_last_bad_char() says which). Process context.
 */
static int edit_line(const char *prompt, char *buf, size_t size)
{
	struct line_editor ed = { .buf = buf, .size = size, .bad_char = -1 };
	unsigned hist_pos = 0;
	bool last_cr = false;

	puts_raw(prompt);
	for (;;) {
		int c = console_getc();

		if (c == '\n' && last_cr) {	/* the LF of a CR LF pair */
			last_cr = false;
			continue;
		}
		last_cr = c == '\r';
		switch (c) {
		case '\r':
		case '\n':
			puts_raw("\n");
			buf[ed.len] = '\0';
			console_clear_break();
			if (ed.too_long)
				return -E2BIG;
			if (ed.bad_char >= 0) {
				last_bad_char = ed.bad_char;
				return -EILSEQ;
			}
			history_add(buf);
			return (int)ed.len;
		case CTRL_C:
			puts_raw("^C\n");
			buf[0] = '\0';
			console_clear_break();
			return -EINTR;
		case CTRL_U:
			editor_replace(&ed, "");
			break;
		case BACKSPACE:
		case DELETE:
			if (ed.len) {
				ed.len--;
				puts_raw("\b \b");
			}
			break;
		case TAB:
			editor_complete(&ed, prompt);
			break;
		case ESCAPE:
			c = read_escape();
			if (c == 'A')
				history_step(&ed, &hist_pos, -1);
			else if (c == 'B')
				history_step(&ed, &hist_pos, +1);
			break;		/* left/right/others: ignored */
		default:
			if (c < 0x20 || c >= 0x7f) {
				if (ed.bad_char < 0)
					ed.bad_char = c;
				puts_raw("\a");
			} else {
				editor_insert(&ed, c);
			}
		}
	}
}

/* edit_line() with reading_line set, so that the interrupt hands a
 * Ctrl-C to the editor instead of flagging a break. */
int console_readline(const char *prompt, char *buf, size_t size)
{
	int n;

	reading_line = true;
	n = edit_line(prompt, buf, size);
	reading_line = false;
	return n;
}

/* The first bad byte of the last line that failed with -EILSEQ. */
int console_last_bad_char(void)
{
	return last_bad_char;
}
