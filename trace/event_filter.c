// SPDX-License-Identifier: MIT
/*
 * Running a compiled event filter (trace/event_filter.h) against a record:
 * each term reads its field and compares, and the postfix program
 * combines the results on a small stack of booleans.
 *
 * It runs in probe handlers, before a record is copied into the ring
 * buffer, so it reads nothing but the record, the filter and the context,
 * and it trusts nothing in the record: a string's location is checked
 * against the record's length. Freestanding (host-tested).
 */
#include <trace/event_filter.h>
#include <lib/glob.h>
#include <lib/string.h>

/* The field of @t in @rec, widened: sign-extended if it is signed. */
static u64 load_number(const struct filter_term *t, const u8 *rec, size_t len)
{
	u64 v = 0;

	if ((size_t)t->offset + t->size > len)
		return 0;
	memcpy(&v, rec + t->offset, t->size);	/* little-endian */
	if (t->is_signed && t->size < 8 && (v >> (8 * t->size - 1)) & 1)
		v |= ~0ULL << (8 * t->size);
	return v;
}

/*
 * Apply @t's operator to the field value @a and @t's constant. Signed
 * fields compare as signed; the constant was cut to the field's width
 * when parsed, so it is sign-extended here the same way as the field.
 */
static bool compare_numbers(const struct filter_term *t, u64 a)
{
	u64 b = t->val;
	bool lt, eq;

	if (t->is_signed && t->size < 8 && (b >> (8 * t->size - 1)) & 1)
		b |= ~0ULL << (8 * t->size);	/* the constant, as the field's type */
	eq = a == b;
	lt = t->is_signed ? (s64)a < (s64)b : a < b;
	switch (t->op) {
	case FILTER_OP_EQ:   return eq;
	case FILTER_OP_NE:   return !eq;
	case FILTER_OP_LT:   return lt;
	case FILTER_OP_LE:   return lt || eq;
	case FILTER_OP_GT:   return !lt && !eq;
	case FILTER_OP_GE:   return !lt;
	case FILTER_OP_BAND: return (a & b) != 0;
	default:	     return false;
	}
}

/* A string field's text, or "" if its location is out of the record. */
static const char *load_string(const struct filter_term *t, const u8 *rec, size_t len)
{
	u32 loc, off, slen;

	if ((size_t)t->offset + sizeof(loc) > len)
		return "";
	memcpy(&loc, rec + t->offset, sizeof(loc));
	off = t->loc_base + (loc >> 16);
	slen = loc & 0xffff;
	if (!slen || off + slen > len || rec[off + slen - 1] != '\0')
		return "";
	return (const char *)rec + off;
}

/* One term: true if the record passes it. Strings and comm compare
 * exactly or by glob; @t->negate turns != and ~ "!x" around. */
static bool run_term(const struct event_filter *f, const struct filter_term *t, const u8 *rec,
		     size_t len, const struct filter_ctx *ctx)
{
	const char *str, *pat = f->strings + t->str;
	bool hit;

	switch (t->kind) {
	case FILTER_FIELD_NUM:
		return compare_numbers(t, load_number(t, rec, len));
	case FILTER_FIELD_CPU:
		return compare_numbers(t, ctx->cpu);
	case FILTER_FIELD_COMM:
		str = ctx->comm;
		break;
	case FILTER_FIELD_STRLOC:
		str = load_string(t, rec, len);
		break;
	default:
		return false;
	}
	hit = t->op == FILTER_OP_GLOB ? glob_match(pat, str) : !strcmp(pat, str);
	return hit != t->negate;
}

/*
 * Does the record @rec (@len bytes) pass the filter @f? The program was
 * checked by the parser, so the stack never under- or overflows. Probe
 * context: no lock, no allocation, nothing outside the record read.
 */
bool event_filter_match(const struct event_filter *f, const void *rec, size_t len,
			const struct filter_ctx *ctx)
{
	bool stack[FILTER_MAX_TERMS];
	int top = 0, i;

	for (i = 0; i < f->ninsns; i++) {
		const struct filter_insn *in = &f->insns[i];

		switch (in->code) {
		case FILTER_CODE_TERM:
			stack[top++] = run_term(f, &f->terms[in->term], rec, len, ctx);
			break;
		case FILTER_CODE_NOT:
			stack[top - 1] = !stack[top - 1];
			break;
		case FILTER_CODE_AND:
			top--;
			stack[top - 1] = stack[top - 1] && stack[top];
			break;
		case FILTER_CODE_OR:
			top--;
			stack[top - 1] = stack[top - 1] || stack[top];
			break;
		}
	}
	return top == 1 && stack[0];
}
