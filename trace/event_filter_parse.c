// SPDX-License-Identifier: MIT
/*
 * The event-filter parser: text into the postfix program of
 * trace/event_filter.h, by recursive descent -
 *
 *	or    := and { "||" and }
 *	and   := unary { "&&" unary }
 *	unary := "!" unary | "(" or ")" | term
 *	term  := FIELD OP VALUE
 *
 * - after a first pass that checks quotes and parentheses the way Linux's
 * does, so that those errors get Linux's caret. Linux reports an error
 * inside a term one byte past where it is in the term (its positions
 * count from one past the term's start); so does this parser, as the
 * caret is part of what a person reads.
 *
 * Freestanding: no allocation, no kernel calls (host-tested).
 */
#include <trace/event_filter.h>
#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

/* Linux's messages (trace_events_filter.c's error classes). */
#define FERR_INVALID_OP		"Invalid operator"
#define FERR_TOO_MANY_OPEN	"Too many '('"
#define FERR_TOO_MANY_CLOSE	"Too few '('"
#define FERR_MISSING_QUOTE	"Missing matching quote"
#define FERR_OPERAND_TOO_LONG	"Operand too long"
#define FERR_EXPECT_STRING	"Expecting string field"
#define FERR_EXPECT_DIGIT	"Expecting numeric field"
#define FERR_ILLEGAL_FIELD_OP	"Illegal operation for field type"
#define FERR_FIELD_NOT_FOUND	"Field not found"
#define FERR_ILLEGAL_INTVAL	"Illegal integer value"
#define FERR_TOO_MANY_PREDS	"Too many terms in predicate expression"
#define FERR_INVALID_FILTER	"Meaningless filter expression"
#define FERR_INVALID_VALUE	"Invalid value (did you forget quotes)?"
#define FERR_NO_FILTER		"No filter found"
/* Loupe's: where Linux says only "Error". */
#define FERR_EMPTY		"No filter expression (write 0 to clear the filter)"
#define FERR_TOO_LONG		"Filter is too long"
#define FERR_TOO_DEEP		"Filter is nested too deeply"

struct fparser {
	const char *s;			/* the text, in out->text */
	const struct filter_field *fields;
	int nfields;
	struct event_filter *f;
	int nstrings;			/* bytes of f->strings in use */
	int depth;
	struct filter_error *err;
};

/*
 * Record where and why the filter is refused; returns -EINVAL, so that a
 * rule can end in `return fail(...)`. Every parse step below returns
 * either the offset where it stopped (>= 0) or this -EINVAL: one int
 * carries both, and a negative value is passed straight up.
 */
static int fail(struct fparser *p, int pos, const char *reason)
{
	p->err->pos = pos;
	p->err->reason = reason;
	return -EINVAL;
}

/* The first non-blank offset from @i. */
static int skip_blanks(const char *s, int i)
{
	while (isspace((unsigned char)s[i]))
		i++;
	return i;
}

static bool is_quote(char c)
{
	return c == '"' || c == '\'';
}

/* "!=" and "!~" are operators, not a "not". */
static bool is_not(const char *s)
{
	return s[0] == '!' && s[1] != '=' && s[1] != '~';
}

/* Does a "&&" or "||" start at @s? */
static bool is_logic(const char *s)
{
	return (s[0] == '&' && s[1] == '&') || (s[0] == '|' && s[1] == '|');
}

/* ---- the first pass: quotes, parentheses, and whether there is a term ---- */

/*
 * The first pass, over the raw text: a quote that never closes, a ')'
 * with no '(' and a '(' never closed are found here, before any term is
 * read, and reported where Linux reports them (the last quote, the stray
 * ')', the innermost unclosed '('). Also refuses a text with no term at
 * all. 0 or -EINVAL.
 */
static int check_balance(struct fparser *p)
{
	const char *s = p->s;
	u16 open_at[FILTER_TEXT_MAX];
	int nopen = 0, last_quote = 0, i;
	char quote = 0;
	bool any_term = false;

	for (i = 0; s[i]; i++) {
		if (quote) {
			quote = s[i] == quote ? 0 : quote;
			continue;
		}
		if (isspace((unsigned char)s[i]))
			continue;
		if (is_quote(s[i])) {
			quote = s[i];
			last_quote = i;
		} else if (s[i] == '(') {
			open_at[nopen++] = (u16)i;
			continue;
		} else if (s[i] == ')') {
			if (!nopen)
				return fail(p, i, FERR_TOO_MANY_CLOSE);
			nopen--;
			continue;
		} else if (is_logic(s + i)) {
			i++;
			continue;
		}
		any_term = true;
	}
	if (quote)
		return fail(p, last_quote, FERR_MISSING_QUOTE);
	if (nopen)
		return fail(p, open_at[nopen - 1], FERR_TOO_MANY_OPEN);
	if (!any_term)
		return fail(p, 0, FERR_EMPTY);
	return 0;
}

/* ---- the program ---- */

/*
 * Append one instruction to the postfix program: a term (its index in
 * f->terms), NOT, AND or OR. Postfix keeps the evaluator a loop over a
 * small stack of booleans. 0, or -EINVAL when the program is full.
 */
static int emit(struct fparser *p, int pos, u8 code, u8 term)
{
	struct event_filter *f = p->f;

	if (f->ninsns >= FILTER_TEXT_MAX)
		return fail(p, pos, FERR_TOO_MANY_PREDS);
	f->insns[f->ninsns].code = code;
	f->insns[f->ninsns].term = term;
	f->ninsns++;
	return 0;
}

/* ---- one term: FIELD OP VALUE ---- */

/* The field named by @len bytes at @name, or NULL. */
static const struct filter_field *find_field(struct fparser *p, const char *name, int len)
{
	int i;

	for (i = 0; i < p->nfields; i++)
		if (!strncmp(p->fields[i].name, name, len) && !p->fields[i].name[len])
			return &p->fields[i];
	return NULL;
}

/* The operator at @s, longest first (<= before <); its length, 0 if none. */
static int match_op(const char *s, u8 *op)
{
	static const struct { const char *text; u8 op; } ops[] = {
		{ "==", FILTER_OP_EQ }, { "!=", FILTER_OP_NE }, { "<=", FILTER_OP_LE },
		{ "<", FILTER_OP_LT }, { ">=", FILTER_OP_GE }, { ">", FILTER_OP_GT },
		{ "&", FILTER_OP_BAND }, { "~", FILTER_OP_GLOB },
	};
	size_t i;

	if (is_logic(s))
		return 0;
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t n = strlen(ops[i].text);

		if (!strncmp(s, ops[i].text, n)) {
			*op = ops[i].op;
			return (int)n;
		}
	}
	return 0;
}

/* Strings and comm take only ==, != and ~, and only quoted values. */
static bool is_string_field(const struct filter_field *fl)
{
	return fl->kind == FILTER_FIELD_STRLOC || fl->kind == FILTER_FIELD_COMM;
}

/* A quoted string at @v into @t; returns where the term ends, or -EINVAL. */
static int parse_string(struct fparser *p, struct filter_term *t, const struct filter_field *fl,
			int base, int v)
{
	const char *s = p->s;
	int close = v + 1, len;

	if (t->op != FILTER_OP_EQ && t->op != FILTER_OP_NE && t->op != FILTER_OP_GLOB)
		return fail(p, base + v, FERR_ILLEGAL_FIELD_OP);
	if (!is_string_field(fl))
		return fail(p, base + v, FERR_EXPECT_DIGIT);
	while (s[close] && s[close] != s[v])
		close++;
	if (!s[close])
		return fail(p, base + close, FERR_MISSING_QUOTE);
	len = close - v - 1;
	if (t->op == FILTER_OP_GLOB && s[v + 1] == '!') {	/* ~ "!pattern" */
		t->negate = true;
		v++;
		len--;
	}
	t->negate ^= t->op == FILTER_OP_NE;
	/* The constants are shorter than the text, so they always fit. */
	t->str = (u16)p->nstrings;
	memcpy(p->f->strings + p->nstrings, s + v + 1, len);
	p->f->strings[p->nstrings + len] = '\0';
	p->nstrings += len + 1;
	return close + 1;
}

/* A number at @v into @t; returns where the term ends, or -EINVAL. */
static int parse_number(struct fparser *p, struct filter_term *t, const struct filter_field *fl,
			int base, int v)
{
	const char *s = p->s;
	char num[FILTER_NUM_MAX];
	int end = v + (s[v] == '-');
	unsigned long long u;
	long long l;
	int err;

	if (is_string_field(fl))
		return fail(p, base + v, FERR_EXPECT_STRING);
	if (t->op == FILTER_OP_GLOB)
		return fail(p, base + v, FERR_ILLEGAL_FIELD_OP);
	while (isalnum((unsigned char)s[end]))
		end++;
	if (end - v >= FILTER_NUM_MAX)
		return fail(p, base + end, FERR_OPERAND_TOO_LONG);
	memcpy(num, s + v, end - v);
	num[end - v] = '\0';
	if (fl->is_signed) {
		err = kstrtoll(num, 0, &l);
		u = (unsigned long long)l;
	} else {
		err = kstrtoull(num, 0, &u);
	}
	if (err)
		return fail(p, base + v, FERR_ILLEGAL_INTVAL);
	/* Compared as the field's type, as Linux does: (u8)256 is 0. */
	if (fl->kind == FILTER_FIELD_NUM && fl->size < 8)
		u &= (1ULL << (8 * fl->size)) - 1;
	t->val = u;
	t->negate = t->op == FILTER_OP_NE;
	return end;
}

/* The term at @start (not a blank); returns where it ends, or -EINVAL. */
static int parse_term(struct fparser *p, int start)
{
	const char *s = p->s;
	int base = 1, end = start, opl, v;	/* base: Linux's off-by-one, see above */
	const struct filter_field *fl;
	struct filter_term *t;

	while (isalnum((unsigned char)s[end]) || s[end] == '_')
		end++;
	if (end == start)
		return fail(p, start, FERR_INVALID_FILTER);
	fl = find_field(p, s + start, end - start);
	if (!fl)
		return fail(p, base + end, FERR_FIELD_NOT_FOUND);
	if (p->f->nterms >= FILTER_MAX_TERMS)
		return fail(p, start, FERR_TOO_MANY_PREDS);
	t = &p->f->terms[p->f->nterms];
	memset(t, 0, sizeof(*t));
	end = skip_blanks(s, end);
	opl = match_op(s + end, &t->op);
	if (!opl)
		return fail(p, base + end, FERR_INVALID_OP);
	v = skip_blanks(s, end + opl);
	if (fl->kind == FILTER_FIELD_OTHER)
		return fail(p, base + end, FERR_ILLEGAL_FIELD_OP);
	t->kind = fl->kind;
	t->size = fl->size;
	t->is_signed = fl->is_signed;
	t->offset = fl->offset;
	t->loc_base = fl->loc_base;
	if (is_quote(s[v]))
		end = parse_string(p, t, fl, base, v);
	else if (isdigit((unsigned char)s[v]) || s[v] == '-')
		end = parse_number(p, t, fl, base, v);
	else
		return fail(p, base + v, FERR_INVALID_VALUE);
	if (end < 0)
		return end;
	return emit(p, start, FILTER_CODE_TERM, p->f->nterms++) ?: end;
}

/* ---- the logic ---- */

static int parse_or(struct fparser *p, int i);

/* After a term or a group only ) && || or the end may come. */
static int check_follow(struct fparser *p, int i)
{
	i = skip_blanks(p->s, i);
	if (p->s[i] && p->s[i] != ')' && !is_logic(p->s + i))
		return fail(p, i, FERR_TOO_MANY_PREDS);
	return i;
}

/*
 * unary := "!" unary | "(" or ")" | term. @depth bounds the recursion
 * (the filter text comes from a user and the kernel stack is small).
 * Returns where it stopped, or -EINVAL.
 */
static int parse_unary(struct fparser *p, int i)
{
	const char *s = p->s;
	int start;

	i = skip_blanks(s, i);
	if (++p->depth > FILTER_MAX_DEPTH)
		return fail(p, i, FERR_TOO_DEEP);
	start = i;
	if (is_not(s + i)) {
		i = parse_unary(p, i + 1);
		if (i >= 0)
			i = emit(p, start, FILTER_CODE_NOT, 0) ?: i;
	} else if (s[i] == '(') {
		i = parse_or(p, i + 1);
		if (i >= 0 && s[i] != ')')	/* the first pass matched them: never */
			i = fail(p, start, FERR_TOO_MANY_OPEN);
		if (i >= 0)
			i = check_follow(p, i + 1);
	} else if (!s[i] && !p->f->nterms) {
		i = fail(p, i, FERR_NO_FILTER);		/* only '!'s: no term at all */
	} else if (!s[i] || s[i] == ')' || is_logic(s + i)) {
		i = fail(p, i, FERR_INVALID_FILTER);	/* a term is missing */
	} else {
		i = parse_term(p, i);
		if (i >= 0)
			i = check_follow(p, i);
	}
	p->depth--;
	return i;
}

/* unary { && unary }; returns where it stopped (at || ) or the end). */
static int parse_and(struct fparser *p, int i)
{
	i = parse_unary(p, i);
	while (i >= 0 && p->s[i] == '&') {
		int at = i;

		i = parse_unary(p, i + 2);
		if (i >= 0)
			i = emit(p, at, FILTER_CODE_AND, 0) ?: i;
	}
	return i;
}

/* and { || and }: the top of the grammar, also inside parentheses. */
static int parse_or(struct fparser *p, int i)
{
	i = parse_and(p, i);
	while (i >= 0 && p->s[i] == '|') {
		int at = i;

		i = parse_and(p, i + 2);
		if (i >= 0)
			i = emit(p, at, FILTER_CODE_OR, 0) ?: i;
	}
	return i;
}

/*
 * Compile @text against the event's @fields into @out (which keeps a copy
 * of the text, trailing blanks cut). Returns 0, or -EINVAL with @err
 * holding the caret position and Linux's message; @out is then not a
 * usable program. Any context: no allocation, no lock.
 */
int event_filter_parse(const char *text, const struct filter_field *fields, int nfields,
		       struct event_filter *out, struct filter_error *err)
{
	struct fparser p = { .s = out->text, .fields = fields, .nfields = nfields, .f = out,
			     .err = err };
	size_t len = strlen(text);
	int end;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	out->ninsns = 0;
	out->nterms = 0;
	if (len >= FILTER_TEXT_MAX) {
		out->text[0] = '\0';
		return fail(&p, FILTER_TEXT_MAX - 1, FERR_TOO_LONG);
	}
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	end = check_balance(&p);
	if (!end)
		end = parse_or(&p, 0);
	if (end < 0)
		return end;
	/* parse_or() stops only at the end: a stray ) was refused above. */
	return p.s[end] ? fail(&p, end, FERR_TOO_MANY_PREDS) : 0;
}
