// SPDX-License-Identifier: MIT
/*
 * Formatted output (declared in lib/printf.h).
 *
 * vcbprintf() walks the format once. Literal text goes straight to the
 * output; each '%' is parsed into a struct printf_spec (flags, width,
 * precision, length, conversion), its argument fetched with the right
 * type, and the result laid out by one of three emitters: numbers,
 * strings and pointers. Every emitter ends in out_write(), which counts
 * characters and passes them on to the callback. The snprintf family plug
 * in a callback that copies into a buffer and drops what does not fit,
 * which is how they can report the length the output would have had.
 *
 * Nothing here allocates, sleeps or takes a lock, so printk may call it
 * from an interrupt or a probe handler.
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/printf.h>
#include <lib/string.h>

#define FLAG_LEFT	0x01	/* '-': pad on the right */
#define FLAG_ZERO	0x02	/* '0': pad numbers with zeros */
#define FLAG_PLUS	0x04	/* '+': '+' before non-negative signed numbers */
#define FLAG_SPACE	0x08	/* ' ': ' ' before non-negative signed numbers */
#define FLAG_ALT	0x10	/* '#': 0x for hex, a leading 0 for octal */

/* Widths and precisions beyond this are cut down to it. */
#define PRINTF_MAX_FIELD	(1 << 20)

/* Room for the longest %pS description; longer ones are cut. */
#define PRINTF_SYMBOL_LEN	128

/* One conversion specification, "%-08.3lx" and the like. */
struct printf_spec {
	unsigned int flags;	/* FLAG_* */
	int width;		/* minimum field width, 0 for none */
	int precision;		/* -1 when not given */
	char length;		/* 0, 'H' (hh), 'h', 'l', 'q' (ll), 'z', 't', 'j' */
	char conv;		/* the conversion letter */
};

/* Where the output goes, and how much of it there has been. */
struct printf_out {
	printf_emit_fn emit;
	void *ctx;
	size_t count;
};

static printf_symbol_fn printf_symbol_formatter;

void printf_set_symbol_formatter(printf_symbol_fn fn)
{
	printf_symbol_formatter = fn;
}

static void out_write(struct printf_out *out, const char *s, size_t len)
{
	if (!len)
		return;
	out->emit(out->ctx, s, len);
	out->count += len;
}

/* Write @n copies of @c, which is ' ' or '0'. */
static void out_pad(struct printf_out *out, char c, int n)
{
	static const char spaces[] = "                ";
	static const char zeros[] = "0000000000000000";
	const int chunk = sizeof(spaces) - 1;

	for (; n > 0; n -= chunk)
		out_write(out, c == '0' ? zeros : spaces, n < chunk ? n : chunk);
}

/* Lay out @len characters at @s in the field described by @spec. */
static void emit_padded(struct printf_out *out, const struct printf_spec *spec,
			const char *s, size_t len)
{
	int pad = spec->width > (int)len ? spec->width - (int)len : 0;

	if (!(spec->flags & FLAG_LEFT))
		out_pad(out, ' ', pad);
	out_write(out, s, len);
	if (spec->flags & FLAG_LEFT)
		out_pad(out, ' ', pad);
}

/* %s: NULL reads as "(null)"; the precision caps how much is read. */
static void emit_string(struct printf_out *out, const struct printf_spec *spec,
			const char *s)
{
	size_t len;

	if (!s)
		s = "(null)";
	if (spec->precision >= 0)
		len = strnlen(s, spec->precision);
	else
		len = strlen(s);
	emit_padded(out, spec, s, len);
}

/* Write @value's digits in @base, backwards from @end; returns the start. */
static char *format_digits(char *end, unsigned long long value,
			   unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	do {
		*--end = digits[value % base];
		value /= base;
	} while (value);
	return end;
}

/* The sign or "0x" that goes before a number's zeros and digits. */
static const char *number_prefix(const struct printf_spec *spec,
				 unsigned long long value, bool negative)
{
	bool is_signed = spec->conv == 'd' || spec->conv == 'i';

	if (negative)
		return "-";
	if (is_signed && (spec->flags & FLAG_PLUS))
		return "+";
	if (is_signed && (spec->flags & FLAG_SPACE))
		return " ";
	if ((spec->flags & FLAG_ALT) && value && spec->conv == 'x')
		return "0x";
	if ((spec->flags & FLAG_ALT) && value && spec->conv == 'X')
		return "0X";
	return "";
}

/*
 * %d %i %u %o %x %X: [spaces] prefix [zeros] digits [spaces]. @value is
 * the magnitude; @negative says whether a '-' belongs in front of it.
 */
static void emit_number(struct printf_out *out, const struct printf_spec *spec,
			unsigned long long value, bool negative)
{
	char buf[24];	/* 22 octal digits for 64 bits */
	char *end = buf + sizeof(buf);
	char *digits = end;
	unsigned int base = 10;
	const char *prefix;
	int ndigits, zeros, len;

	if (spec->conv == 'o')
		base = 8;
	else if (spec->conv == 'x' || spec->conv == 'X')
		base = 16;
	/* An explicit zero precision prints the value 0 as no digits at all. */
	if (value || spec->precision != 0)
		digits = format_digits(end, value, base, spec->conv == 'X');
	ndigits = end - digits;
	zeros = spec->precision > ndigits ? spec->precision - ndigits : 0;
	/* '#' with octal: make sure the first digit shown is a 0. */
	if (base == 8 && (spec->flags & FLAG_ALT) && !zeros && (value || !ndigits))
		zeros = 1;
	prefix = number_prefix(spec, value, negative);
	len = strlen(prefix) + zeros + ndigits;
	/* '0' fills the field with zeros, unless '-' or a precision rules it out. */
	if ((spec->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO &&
	    spec->precision < 0 && spec->width > len) {
		zeros += spec->width - len;
		len = spec->width;
	}
	if (!(spec->flags & FLAG_LEFT))
		out_pad(out, ' ', spec->width - len);
	out_write(out, prefix, strlen(prefix));
	out_pad(out, '0', zeros);
	out_write(out, digits, ndigits);
	if (spec->flags & FLAG_LEFT)
		out_pad(out, ' ', spec->width - len);
}

/*
 * %p: always "0x" and 16 hex digits. %pS/%ps/%pB (@kind 'S', 's', 'B')
 * ask the symbol formatter first and fall back to the same.
 */
static void emit_pointer(struct printf_out *out, const struct printf_spec *spec,
			 unsigned long addr, char kind)
{
	char buf[PRINTF_SYMBOL_LEN];
	char *digits;
	int len;

	if (kind && printf_symbol_formatter) {
		len = printf_symbol_formatter(buf, sizeof(buf), addr, kind);
		if (len >= 0) {
			if (len >= (int)sizeof(buf))
				len = sizeof(buf) - 1;
			emit_padded(out, spec, buf, strnlen(buf, len));
			return;
		}
	}
	digits = format_digits(buf + 18, addr, 16, false);
	while (digits > buf + 2)
		*--digits = '0';
	buf[0] = '0';
	buf[1] = 'x';
	emit_padded(out, spec, buf, 18);
}

/* Read a decimal number from the format, capped at PRINTF_MAX_FIELD. */
static int parse_field(const char **fmtp)
{
	const char *fmt = *fmtp;
	int n = 0;

	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		if (n < PRINTF_MAX_FIELD)
			n = n * 10 + (*fmt - '0');
	*fmtp = fmt;
	return n < PRINTF_MAX_FIELD ? n : PRINTF_MAX_FIELD;
}

static unsigned int parse_flags(const char **fmtp)
{
	unsigned int flags = 0;

	for (;; (*fmtp)++) {
		switch (**fmtp) {
		case '-': flags |= FLAG_LEFT; break;
		case '0': flags |= FLAG_ZERO; break;
		case '+': flags |= FLAG_PLUS; break;
		case ' ': flags |= FLAG_SPACE; break;
		case '#': flags |= FLAG_ALT; break;
		default: return flags;
		}
	}
}

/* Width: digits or '*'; a negative '*' width means '-' and its magnitude. */
static void parse_width(const char **fmtp, struct printf_spec *spec, va_list *ap)
{
	int width;

	if (**fmtp != '*') {
		spec->width = parse_field(fmtp);
		return;
	}
	(*fmtp)++;
	width = va_arg(*ap, int);
	if (width < 0) {
		spec->flags |= FLAG_LEFT;
		/* Compared first, as -INT_MIN would overflow. */
		width = width < -PRINTF_MAX_FIELD ? PRINTF_MAX_FIELD : -width;
	}
	spec->width = width < PRINTF_MAX_FIELD ? width : PRINTF_MAX_FIELD;
}

/* Precision: '.' then digits or '*'; a negative '*' is as if none was given. */
static void parse_precision(const char **fmtp, struct printf_spec *spec, va_list *ap)
{
	int precision;

	spec->precision = -1;
	if (**fmtp != '.')
		return;
	(*fmtp)++;
	if (**fmtp != '*') {
		spec->precision = parse_field(fmtp);
		return;
	}
	(*fmtp)++;
	precision = va_arg(*ap, int);
	if (precision >= 0)
		spec->precision = precision < PRINTF_MAX_FIELD ? precision : PRINTF_MAX_FIELD;
}

/* Length modifier; "hh" and "ll" are stored as 'H' and 'q'. */
static char parse_length(const char **fmtp)
{
	char c = **fmtp;

	if (c != 'h' && c != 'l' && c != 'z' && c != 't' && c != 'j')
		return 0;
	(*fmtp)++;
	if ((c == 'h' || c == 'l') && **fmtp == c) {
		(*fmtp)++;
		return c == 'h' ? 'H' : 'q';
	}
	return c;
}

/*
 * Parse the specification after a '%' at *@fmtp, reading '*' arguments
 * from @ap, and leave *@fmtp after the conversion letter (or on the
 * terminating NUL if the format ends first, with spec->conv = 0).
 */
static void parse_spec(const char **fmtp, struct printf_spec *spec, va_list *ap)
{
	spec->flags = parse_flags(fmtp);
	parse_width(fmtp, spec, ap);
	parse_precision(fmtp, spec, ap);
	spec->length = parse_length(fmtp);
	spec->conv = **fmtp;
	if (spec->conv)
		(*fmtp)++;
}

/* Fetch a signed argument of the size @length says, widened. */
static long long fetch_signed(char length, va_list *ap)
{
	switch (length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'q': return va_arg(*ap, long long);
	case 'z': return va_arg(*ap, long);	/* signed size_t */
	case 't': return va_arg(*ap, ptrdiff_t);
	case 'j': return va_arg(*ap, intmax_t);
	default:  return va_arg(*ap, int);
	}
}

/* Fetch an unsigned argument of the size @length says, widened. */
static unsigned long long fetch_unsigned(char length, va_list *ap)
{
	switch (length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l': return va_arg(*ap, unsigned long);
	case 'q': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 't': return (uintptr_t)va_arg(*ap, ptrdiff_t);
	case 'j': return va_arg(*ap, uintmax_t);
	default:  return va_arg(*ap, unsigned int);
	}
}

/* %p and its extensions: S, s and B after the p select the symbol forms. */
static void convert_pointer(struct printf_out *out, const struct printf_spec *spec,
			    const char **fmtp, va_list *ap)
{
	unsigned long addr = (uintptr_t)va_arg(*ap, void *);
	char kind = **fmtp;

	if (kind == 'S' || kind == 's' || kind == 'B')
		(*fmtp)++;
	else
		kind = 0;
	emit_pointer(out, spec, addr, kind);
}

/*
 * Carry out one conversion. @start is the '%' it began with, so that an
 * unknown conversion can be copied out as written.
 */
static void convert(struct printf_out *out, const struct printf_spec *spec,
		    const char *start, const char **fmtp, va_list *ap)
{
	unsigned long long magnitude;
	long long sval;
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		sval = fetch_signed(spec->length, ap);
		/* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
		magnitude = (unsigned long long)sval;
		emit_number(out, spec, sval < 0 ? 0 - magnitude : magnitude, sval < 0);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		emit_number(out, spec, fetch_unsigned(spec->length, ap), false);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_padded(out, spec, &c, 1);
		break;
	case 's':
		emit_string(out, spec, va_arg(*ap, const char *));
		break;
	case 'p':
		convert_pointer(out, spec, fmtp, ap);
		break;
	case '%':
		out_write(out, "%", 1);
		break;
	default:
		out_write(out, start, *fmtp - start);
		break;
	}
}

int vcbprintf(printf_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	struct printf_out out = { .emit = emit, .ctx = ctx, .count = 0 };
	struct printf_spec spec;
	const char *start;
	va_list args;

	/* A copy, so that helpers can take its address portably. */
	va_copy(args, ap);
	while (*fmt) {
		start = fmt;
		fmt = strchrnul(fmt, '%');
		out_write(&out, start, fmt - start);
		if (!*fmt)
			break;
		start = fmt++;
		parse_spec(&fmt, &spec, &args);
		convert(&out, &spec, start, &fmt, &args);
	}
	va_end(args);
	return (int)out.count;
}

int cbprintf(printf_emit_fn emit, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vcbprintf(emit, ctx, fmt, ap);
	va_end(ap);
	return n;
}

/* The destination of vsnprintf(): @len characters kept so far, of @room. */
struct printf_buf {
	char *buf;
	size_t room;	/* size - 1: the last byte is kept for the NUL */
	size_t len;
};

static void buf_emit(void *ctx, const char *s, size_t len)
{
	struct printf_buf *b = ctx;
	size_t left = b->room - b->len;

	/* Checked first: with a size of 0 the buffer may be NULL. */
	if (!left)
		return;
	if (len > left)
		len = left;
	memcpy(b->buf + b->len, s, len);
	b->len += len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct printf_buf b = { .buf = buf, .room = size ? size - 1 : 0, .len = 0 };
	int n;

	n = vcbprintf(buf_emit, &b, fmt, ap);
	if (size)
		buf[b.len] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (size == 0 || n < 0)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
