// SPDX-License-Identifier: MIT
/*
 * printk: format a message, stamp it, keep it in the log ring, and print it
 * on the serial console if its level is below the console level.
 *
 * One spinlock (interrupts off) keeps lines whole when several contexts
 * print at once. A panic abandons the lock: the dying CPU must be heard
 * even if it died holding it.
 */
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/console.h>
#include <kernel/shell_io.h>
#include <lib/printf.h>
#include <lib/string.h>

#define LOG_BUF_SIZE	(64 * 1024)
#define LINE_MAX	1024

int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

static DEFINE_SPINLOCK(printk_lock);
static bool printk_panic_mode;
static bool at_line_start = true;

/* The log ring: bytes of formatted lines, oldest overwritten first. */
static char log_buf[LOG_BUF_SIZE];
static size_t log_head;		/* next byte to write */
static bool log_wrapped;

/* Append to the log ring, overwriting the oldest bytes. printk_lock held. */
static void log_store(const char *s, size_t len)
{
	while (len--) {
		log_buf[log_head++] = *s++;
		if (log_head == LOG_BUF_SIZE) {
			log_head = 0;
			log_wrapped = true;
		}
	}
}

/* Split "\001N" off the front; returns the level, or -1 for KERN_CONT. */
static int parse_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] != KERN_SOH[0] || !f[1])
		return LOGLEVEL_DEFAULT;
	*fmt = f + 2;
	if (f[1] == 'c')
		return -1;
	if (f[1] >= '0' && f[1] <= '7')
		return f[1] - '0';
	return LOGLEVEL_DEFAULT;
}

/* "[    5.123456] ": seconds and microseconds since boot, as Linux. */
static size_t format_timestamp(char *buf, size_t size)
{
	u64 ns = clock_ns();

	return scnprintf(buf, size, "[%5llu.%06llu] ",
			 (unsigned long long)(ns / NSEC_PER_SEC),
			 (unsigned long long)((ns % NSEC_PER_SEC) / NSEC_PER_USEC));
}

/* Into the log always; onto the serial line only if the level shows. */
static void emit(const char *s, size_t len, bool to_console)
{
	log_store(s, len);
	if (to_console)
		arch_console_write(s, len);
}

/*
 * Format one message (at most LINE_MAX - 1 bytes; the rest is cut) and
 * log it, with a timestamp when it starts a line. Any context but NMI:
 * interrupts go off around the lock, and the formatting is done before
 * taking it, on the stack. Returns the formatted length.
 */
int vprintk(const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	char stamp[32];
	unsigned long flags;
	int level = parse_level(&fmt);
	size_t len = vscnprintf(line, sizeof(line), fmt, ap);
	bool show = (level < 0 ? LOGLEVEL_DEFAULT : level) < console_loglevel;
	bool locked = !printk_panic_mode;

	local_irq_save(flags);
	if (locked)
		arch_spin_lock(&printk_lock);
	if (at_line_start && level >= 0)
		emit(stamp, format_timestamp(stamp, sizeof(stamp)), show);
	emit(line, len, show);
	if (len)
		at_line_start = line[len - 1] == '\n';
	if (locked)
		arch_spin_unlock(&printk_lock);
	local_irq_restore(flags);
	return (int)len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* A command's output: formatted here, then sent where console_write()
 * sends it. Returns the length. */
int console_vprintf(const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	size_t len = vscnprintf(line, sizeof(line), fmt, ap);

	console_write(line, len);
	return (int)len;
}

/*
 * Raw console output (the shell's echo and line editing, `cat`): under
 * the same lock as printk and console_printf, so that text written by
 * another CPU at the same moment - a background job's line - comes
 * before or after it, never in the middle.
 */
void console_write_tty(const char *s, size_t len)
{
	unsigned long flags;

	local_irq_save(flags);
	if (!printk_panic_mode)
		arch_spin_lock(&printk_lock);
	arch_console_write(s, len);
	if (!printk_panic_mode)
		arch_spin_unlock(&printk_lock);
	local_irq_restore(flags);
}

/* What a command prints goes where its shell_io says: a pipe, a file. */
void console_write(const char *s, size_t len)
{
	if (!printk_panic_mode && shell_io_capture(s, len))
		return;
	console_write_tty(s, len);
}

/* The shell's printf: see console_vprintf(). */
int console_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = console_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* Under printk_lock: to the command's pipe or file if it has one, else
 * to the serial line (console_write() would take the lock again). */
static void dump_part(const char *s, size_t len)
{
	if (!shell_io_capture(s, len))
		arch_console_write(s, len);
}

/* After the first newline in @s (@len bytes), or NULL if it has none. */
static const char *after_newline(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);

	return nl ? nl + 1 : NULL;
}

/*
 * dmesg: the ring, oldest line first, under the lock (so no printk lands
 * in the middle); like any command's output it may be piped or redirected
 * (`dmesg | grep CPU`). Once the ring has wrapped, its oldest line has
 * lost its start to the newest text: it is left out, as the whole records
 * of Linux's dmesg would.
 */
void printk_dump_log(void)
{
	const char *old, *end = log_buf + LOG_BUF_SIZE, *from;
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	old = log_buf + log_head;
	if (!log_wrapped) {
		dump_part(log_buf, log_head);
	} else if ((from = after_newline(old, end - old))) {
		dump_part(from, end - from);
		dump_part(log_buf, log_head);
	} else if ((from = after_newline(log_buf, log_head))) {
		dump_part(from, old - from);
	}
	spin_unlock_irqrestore(&printk_lock, flags);
}

/* From here on printk and the console ignore the lock (see the top). */
void printk_enter_panic_mode(void)
{
	printk_panic_mode = true;
}
