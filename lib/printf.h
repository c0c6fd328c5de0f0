/* SPDX-License-Identifier: MIT */
/*
 * Formatted output into buffers, for printk and everything else.
 *
 * The conversions are C's integer and string ones — %d %i %u %x %X %o %c
 * %s %p %% — with the flags '-', '0', '+', ' ', '#', a field width and a
 * precision (either may be '*'), and the length modifiers hh h l ll z t j.
 * There is no floating point: the kernel is built without FPU state.
 *
 * Differences from C, all deliberate:
 *   %p    always prints "0x" and 16 hex digits, so addresses line up.
 *   %pS   the address as "symbol+0xoff/0xsize" (%ps: just "symbol", %pB:
 *         for return addresses in backtraces), through a formatter the
 *         kernel's kallsyms installs with printf_set_symbol_formatter().
 *         Without one, or if it fails, these print like %p.
 *   %s    a NULL pointer prints "(null)" (cut by the precision like any
 *         other string).
 *   %n    is not supported. An unknown conversion is copied to the output
 *         as written and consumes no argument.
 *   Widths and precisions are capped at 2^20, so a stray "%999999999d"
 *   cannot make a caller wait on a billion spaces.
 *
 * The core, vcbprintf(), hands the output in pieces to a callback, so a
 * console can print without an intermediate buffer; the snprintf family
 * are thin wrappers around it.
 *
 * On the host, snprintf and vsnprintf are renamed to lib_snprintf and
 * lib_vsnprintf, with the LOUPE_HOST_LIBC_NAMES switch described in
 * lib/string.h.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#include <lib/compiler.h>

#ifdef LOUPE_HOST
#undef snprintf
#undef vsnprintf
#define snprintf	lib_snprintf
#define vsnprintf	lib_vsnprintf
#endif

/*
 * Formats %pS/%ps/%pB: write the description of @addr into @buf (@size
 * bytes, NUL-terminated if @size > 0) and return its full length as
 * snprintf() would, or a negative value if @addr means nothing to it.
 * @kind is the letter after %p: 'S', 's' or 'B'. It may be called from
 * any context printf is, so it must not sleep or take locks that a
 * caller of printf might hold.
 */
typedef int (*printf_symbol_fn)(char *buf, size_t size, unsigned long addr,
				char kind);

/*
 * Receives output from vcbprintf(): @len bytes at @s (not NUL-terminated),
 * for the caller's context @ctx.
 */
typedef void (*printf_emit_fn)(void *ctx, const char *s, size_t len);

/*
 * printf_set_symbol_formatter - install the %pS/%ps/%pB formatter
 * @fn: the formatter, or NULL to go back to printing plain addresses
 *
 * Meant to be called once, early in boot, before other CPUs run.
 */
void printf_set_symbol_formatter(printf_symbol_fn fn);

/*
 * vcbprintf - format and pass the output to a callback
 * @emit: called with each piece of output, in order
 * @ctx:  passed to @emit unchanged
 * @fmt:  the format
 * @ap:   the arguments
 *
 * Returns the total number of characters passed to @emit. Does not sleep
 * or allocate; takes no locks (the symbol formatter may have its own
 * rules, see printf_symbol_fn).
 */
int vcbprintf(printf_emit_fn emit, void *ctx, const char *fmt, va_list ap);

/* cbprintf - vcbprintf() with the arguments in place. */
int cbprintf(printf_emit_fn emit, void *ctx, const char *fmt, ...) __printf(3, 4);

/*
 * vsnprintf - format into a buffer
 * @buf:  the buffer
 * @size: its size in bytes; 0 writes nothing (@buf may then be NULL)
 * @fmt:  the format
 * @ap:   the arguments
 *
 * Writes at most @size - 1 characters and a terminating NUL. Returns the
 * length the whole output would have had, so a return value >= @size
 * means it was truncated. Safe in any context, like vcbprintf().
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* snprintf - vsnprintf() with the arguments in place. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * vscnprintf - format into a buffer, returning what was really written
 *
 * As vsnprintf(), but returns the number of characters stored in @buf,
 * not counting the NUL: at most @size - 1, and 0 when @size is 0. Handy
 * for appending: "len += scnprintf(buf + len, size - len, ...)" never
 * runs past the end.
 */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* scnprintf - vscnprintf() with the arguments in place. */
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#if defined(LOUPE_HOST) && defined(LOUPE_HOST_LIBC_NAMES)
#undef snprintf
#undef vsnprintf
#endif

#endif /* LIB_PRINTF_H */
