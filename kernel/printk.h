/* SPDX-License-Identifier: MIT */
/*
 * printk: the kernel's log. Each message carries a level; messages below the
 * console level (loglevel= on the command line, default 7) are printed on
 * the serial console with a timestamp, and every message is kept in a ring
 * for `dmesg`.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <lib/types.h>
#include <stdarg.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continues the previous line, no timestamp */

#define LOGLEVEL_DEFAULT	6	/* level of a message without a prefix */
#define CONSOLE_LOGLEVEL_DEFAULT 7

__attribute__((format(printf, 1, 2))) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

extern int console_loglevel;

/*
 * console_printf - print on the console without level or timestamp
 *
 * What shell commands use for their output. Not kept in the log.
 */
__attribute__((format(printf, 1, 2))) int console_printf(const char *fmt, ...);
int console_vprintf(const char *fmt, va_list ap);

/* Print the log ring (the `dmesg` command). */
void printk_dump_log(void);

/* After a panic, printk stops taking its lock: a dying CPU must still talk. */
void printk_enter_panic_mode(void);

#endif /* KERNEL_PRINTK_H */
