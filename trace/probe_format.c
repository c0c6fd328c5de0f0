// SPDX-License-Identifier: MIT
/*
 * Probe records back into text: the " name=value" part of a line of
 * `cat trace`, in Linux's formats:
 *
 *	u8..u64  6		s8..s64  -1		x8..x64  0x1f
 *	char     'a'		string   "text"		symbol   fib+0x4/0x30
 *	TYPE[N]  {1,2,3}	bW@S/C   5 (the field's bits, unsigned)
 *	memory that could not be read: (fault)
 *
 * Records come from the ring buffer, so nothing in them is trusted: a
 * string's location is checked against the record's length before it is
 * read. The fuzz target feeds this file arbitrary bytes.
 */
#include <trace/probe.h>
#include <lib/ctype.h>
#include <lib/printf.h>
#include <lib/string.h>

/* Append to @buf like snprintf, keeping the would-be length in *@n. */
static __printf(4, 5) void put(char *buf, size_t size, int *n, const char *fmt, ...)
{
	size_t at = (size_t)*n < size ? (size_t)*n : size;
	va_list ap;

	va_start(ap, fmt);
	*n += vsnprintf(buf + at, size - at, fmt, ap);
	va_end(ap);
}

/* One element of @t at @p, which holds t->size bytes. */
static void put_scalar(char *buf, size_t size, int *n, const struct probe_type *t, const u8 *p)
{
	u64 v = 0;
	s64 sv;

	memcpy(&v, p, t->size);
	switch (t->kind) {
	case PROBE_TYPE_U:
	case PROBE_TYPE_BITFIELD:
		put(buf, size, n, "%llu", (unsigned long long)v);
		break;
	case PROBE_TYPE_S:
		sv = t->size == 8 ? (s64)v : (s64)(v << (64 - 8 * t->size)) >> (64 - 8 * t->size);
		put(buf, size, n, "%lld", (long long)sv);
		break;
	case PROBE_TYPE_CHAR:
		if (isprint((int)v))
			put(buf, size, n, "'%c'", (int)v);
		else
			put(buf, size, n, "'\\x%02x'", (unsigned)v);
		break;
	case PROBE_TYPE_SYMBOL:
		put(buf, size, n, "%pS", (void *)(unsigned long)v);
		break;
	default:
		put(buf, size, n, "0x%llx", (unsigned long long)v);
	}
}

/* A string: its location word at @at, checked, then the text. */
static void put_string(char *buf, size_t size, int *n, const u8 *data, size_t len, size_t at)
{
	u32 loc, off, slen;

	memcpy(&loc, data + at, sizeof(loc));
	off = loc >> 16;
	slen = loc & 0xffff;
	if (!slen || off + slen > len || data[off + slen - 1] != '\0') {
		put(buf, size, n, "(fault)");
		return;
	}
	put(buf, size, n, "\"%s\"", (const char *)data + off);
}

/* " name=value" for each argument of a record's data (@len bytes), as
 * its type prints; "(fault)" where @faults says the read failed or the
 * record is too short. Returns the length it needed (snprintf's rule). */
int probe_format_args(char *buf, size_t size, const struct probe_def *def, const void *data,
		      size_t len, u32 faults)
{
	const u8 *rec = data;
	int n = 0, i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];
		unsigned j;

		put(buf, size, &n, " %s=", a->name);
		if ((faults & (1u << i)) || (size_t)a->offset + a->size > len) {
			put(buf, size, &n, "(fault)");
		} else if (a->type.count) {
			put(buf, size, &n, "{");
			for (j = 0; j < a->type.count; j++) {
				size_t at = a->offset + j * a->type.size;

				put(buf, size, &n, j ? "," : "");
				if (a->type.kind == PROBE_TYPE_STRING)	/* {"a",(fault)} */
					put_string(buf, size, &n, rec, len, at);
				else
					put_scalar(buf, size, &n, &a->type, rec + at);
			}
			put(buf, size, &n, "}");
		} else if (a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR) {
			put_string(buf, size, &n, rec, len, a->offset);
		} else {
			put_scalar(buf, size, &n, &a->type, rec + a->offset);
		}
	}
	return n;
}

/* ---- the format file's words ---- */

/*
 * As Linux: a field's type is the stored type, so x32 is a u32, char a u8
 * and symbol a u64; strings are "__data_loc char[]".
 */
const char *probe_type_c_name(const struct probe_type *t)
{
	static const char *const unsigned_names[] = { "u8", "u16", "?", "u32", "?", "?", "?", "u64" };
	static const char *const signed_names[] = { "s8", "s16", "?", "s32", "?", "?", "?", "s64" };

	switch (t->kind) {
	case PROBE_TYPE_S:
		return signed_names[(t->size - 1) & 7];
	case PROBE_TYPE_STRING:
	case PROBE_TYPE_SYMSTR:
		return "__data_loc char[]";
	default:
		return unsigned_names[(t->size - 1) & 7];
	}
}

const char *probe_type_print_fmt(const struct probe_type *t)
{
	bool wide = t->size == 8;

	switch (t->kind) {
	case PROBE_TYPE_U:
	case PROBE_TYPE_BITFIELD:
		return wide ? "%Lu" : "%u";
	case PROBE_TYPE_S:
		return wide ? "%Ld" : "%d";
	case PROBE_TYPE_CHAR:
		return "'%c'";
	case PROBE_TYPE_STRING:
	case PROBE_TYPE_SYMSTR:
		return "\\\"%s\\\"";
	case PROBE_TYPE_SYMBOL:
		return "%pS";
	default:
		return wide ? "0x%Lx" : "0x%x";
	}
}
