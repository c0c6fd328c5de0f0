// SPDX-License-Identifier: MIT
/*
 * The fetch-args of a probe-event command, the words after the probe
 * point (the grammar is in probe_parse.c; README has it for the user):
 *
 *	[NAME=]FETCH[:TYPE]
 *	FETCH:	%REG  $argN  $retval  $stack  $stackN  $comm  @ADDR  @SYM[+|-OFFS]
 *		\IMM  \"STRING"  +|-OFFS(FETCH)
 *	TYPE:	u8..u64  s8..s64  x8..x64  char  string  symbol  symstr
 *		bWIDTH@SHIFT/CONTAINER  TYPE[N]
 *
 * Each error carries its caret where Linux puts it: a bad name at the
 * start of the argument, a bad fetch at the fetch (or, for a brace that
 * is not closed, at the end of what the brace opened), a bad type at the
 * type, a bad array size inside the brackets.
 */
#include "probe_parse_internal.h"
#include <asm/ptrace.h>
#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

#define fail probe_parse_fail	/* short: nearly every rule ends in one */

/*
 * Conventions of every parse_* below: the argument is the text [start,
 * end) of p->cmd, offsets count from the start of the command (they are
 * where a caret goes), and the result is 0 or -EINVAL after fail() has
 * recorded the position and the reason. Nothing here allocates: the
 * parser fills the struct probe_def it was given, so a failure leaves
 * nothing to free. The parser runs in any context that may read kallsyms.
 */

/* f: (entry or %return) and t: events fire through fprobe, which saves
 * no registers beyond the arguments. */
static bool is_fprobe_kind(u8 kind)
{
	return kind == PROBE_FENTRY || kind == PROBE_FEXIT || kind == PROBE_TPOINT;
}

/* Count one more dereference; only the first PROBE_MAX_DEREF are kept
 * (parse_deref() refuses more once it has read them all). */
static void push_deref(struct probe_arg *a, long off)
{
	if (a->nderef < PROBE_MAX_DEREF)
		a->deref[a->nderef] = off;
	a->nderef++;
}

/* $argN, $arg* [start, end), the '$' at @start. */
static int parse_argn(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	const char *v = p->cmd + start + 4;
	int len = end - start - 4;
	unsigned long n;

	if (len == 1 && v[0] == '*')
		return fail(p, start, PERR_NOSUP_BTFARG);	/* every argument, by BTF */
	if (probe_read_num(v, len, false, &n) || !n || n > 6)
		return fail(p, start, PERR_BAD_ARG_NUM);
	if (!p->at_entry)
		return fail(p, start, PERR_NOFENTRY_ARGS);
	a->base = PROBE_BASE_ARG;
	a->param = (u16)n;
	p->def->uses_entry_args |= probe_def_is_return(p->def);
	return 0;
}

/*
 * $retval (return probes only), $comm, $stack, $stackN, $argN. Each
 * misuse has its own Linux message: $retval on an entry probe, $argN off
 * a function's entry, $stackN past 1024.
 */
static int parse_var(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	const char *v = p->cmd + start + 1;
	int len = end - start - 1;
	unsigned long n;

	if (len == 6 && !strncmp(v, "retval", 6)) {
		if (!probe_def_is_return(p->def))
			return fail(p, start, PERR_RETVAL_ON_PROBE);
		a->base = PROBE_BASE_RETVAL;
	} else if (len == 4 && !strncmp(v, "comm", 4)) {
		a->base = PROBE_BASE_COMM;
	} else if (len == 5 && !strncmp(v, "stack", 5)) {
		a->base = PROBE_BASE_STACK;
	} else if (len > 5 && !strncmp(v, "stack", 5)) {
		if (probe_read_num(v + 5, len - 5, false, &n) || n > 1024)
			return fail(p, start, PERR_BAD_STACK_NUM);
		a->base = PROBE_BASE_STACKN;
		a->param = (u16)n;
	} else if (len >= 3 && !strncmp(v, "arg", 3)) {
		return parse_argn(p, a, start, end);
	} else {
		return fail(p, start, PERR_BAD_VAR);
	}
	return 0;
}

/* @ADDR or @SYM[+|-OFFS]: read memory there. */
static int parse_at(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd;
	char sym[PROBE_SYM_LEN];
	unsigned long off = 0;
	int i = start + 1;

	if (i < end && s[i] == '+')
		return fail(p, start, PERR_FILE_ON_KPROBE);	/* a uprobe's file offset */
	if (i < end && isdigit((unsigned char)s[i])) {
		if (probe_read_num(s + i, end - i, false, &a->imm))
			return fail(p, start, PERR_BAD_MEM_ADDR);
	} else {
		while (i < end && s[i] != '+' && s[i] != '-')
			i++;
		if (i == start + 1 || !probe_copy_str(sym, sizeof(sym), s + start + 1, i - start - 1) ||
		    (i < end && probe_read_num(s + i, end - i, true, &off)))
			return fail(p, start, PERR_BAD_MEM_ADDR);
		if (probe_resolve_symbol(p, sym, start + 1, (long)off, i, &a->imm, PERR_UNKNOWN_SYMBOL))
			return -EINVAL;
	}
	a->base = PROBE_BASE_IMM;
	push_deref(a, 0);
	return 0;
}

/* \IMM or \"STRING", [start, end); @body is where the argument's text starts. */
static int parse_immediate(struct probe_parser *p, struct probe_arg *a, int start, int end,
			   int body)
{
	const char *s = p->cmd;

	if (start + 1 < end && s[start + 1] == '"') {
		if (end - start < 3 || s[end - 1] != '"')
			return fail(p, end, PERR_IMMSTR_NO_CLOSE);
		a->base = PROBE_BASE_IMMSTR;
		a->imm = (unsigned long)(start + 2 - body);	/* where it is in a->text */
		a->param = (u16)(end - start - 3);
		return 0;
	}
	a->base = PROBE_BASE_IMM;
	if (probe_read_num(s + start + 1, end - start - 1, s[start + 1] == '-', &a->imm))
		return fail(p, start + 1, PERR_BAD_IMM);
	return 0;
}

static int parse_fetch(struct probe_parser *p, struct probe_arg *a, int start, int end, int body,
		       int depth);

/* +OFFS(FETCH) or -OFFS(FETCH). */
static int parse_deref(struct probe_parser *p, struct probe_arg *a, int start, int end, int body,
		       int depth)
{
	const char *s = p->cmd;
	int open = start + 1, err;
	unsigned long off;

	while (open < end && s[open] != '(')
		open++;
	if (open == end)
		return fail(p, start, PERR_DEREF_NEED_BRACE);
	if (probe_read_num(s + start, open - start, true, &off))
		return fail(p, start, PERR_BAD_DEREF_OFFS);
	if (end - 1 == open || s[end - 1] != ')')
		return fail(p, end, PERR_DEREF_OPEN_BRACE);
	err = parse_fetch(p, a, open + 1, end - 1, body, depth + 1);
	if (err)
		return err;
	if (!a->nderef && (a->base == PROBE_BASE_COMM || a->base == PROBE_BASE_IMMSTR))
		return fail(p, open + 1, PERR_COMM_CANT_DEREF);
	push_deref(a, (long)off);
	/* Linux blames the outermost level for nesting too deep. */
	if (!depth && a->nderef > PROBE_MAX_DEREF)
		return fail(p, open + 1, PERR_TOO_MANY_OPS);
	return 0;
}

/* %REG: a saved register (a kprobe's; an fprobe sees only the arguments). */
static int parse_register(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	unsigned offset, width;

	if (is_fprobe_kind(p->def->kind))
		return fail(p, start, PERR_FPROBE_REGISTER);
	if (!regs_query_register(p->cmd + start + 1, end - start - 1, &offset, &width))
		return fail(p, start, PERR_BAD_REG_NAME);
	a->base = PROBE_BASE_REG;
	a->param = (u16)offset;
	a->width = (u8)width;
	return 0;
}

/*
 * FETCH, chosen by its first character. @depth counts the +OFFS( ) levels
 * around it, so that parse_deref() can blame the outermost one; @body is
 * where the argument's text starts (immediate strings are kept as an
 * offset into it).
 */
static int parse_fetch(struct probe_parser *p, struct probe_arg *a, int start, int end, int body,
		       int depth)
{
	char c = start < end ? p->cmd[start] : '\0';

	switch (c) {
	case '%':
		return parse_register(p, a, start, end);
	case '$':
		return parse_var(p, a, start, end);
	case '@':
		return parse_at(p, a, start, end);
	case '\\':
		return parse_immediate(p, a, start, end, body);
	case '+':
	case '-':
		return parse_deref(p, a, start, end, body, depth);
	default:
		/* A bare name is a BTF variable on Linux; Loupe has no BTF. */
		if (isalpha((unsigned char)c) || c == '_')
			return fail(p, start, PERR_NOSUP_BTFARG);
		return fail(p, start, PERR_BAD_FETCH_ARG);
	}
}

/* ---- types ---- */

struct type_name {
	const char *name;
	u8 kind, size;
};

static const struct type_name type_names[] = {
	{ "u8", PROBE_TYPE_U, 1 }, { "u16", PROBE_TYPE_U, 2 },
	{ "u32", PROBE_TYPE_U, 4 }, { "u64", PROBE_TYPE_U, 8 },
	{ "s8", PROBE_TYPE_S, 1 }, { "s16", PROBE_TYPE_S, 2 },
	{ "s32", PROBE_TYPE_S, 4 }, { "s64", PROBE_TYPE_S, 8 },
	{ "x8", PROBE_TYPE_X, 1 }, { "x16", PROBE_TYPE_X, 2 },
	{ "x32", PROBE_TYPE_X, 4 }, { "x64", PROBE_TYPE_X, 8 },
	{ "char", PROBE_TYPE_CHAR, 1 }, { "string", PROBE_TYPE_STRING, 4 },
	{ "symbol", PROBE_TYPE_SYMBOL, 8 }, { "symstr", PROBE_TYPE_SYMSTR, 4 },
};

#define NR_TYPE_NAMES	(ARRAY_SIZE(type_names))

/* The decimal number at *@s (moved past it), below @end; -1 if there is none. */
static long read_dec(const char **s, const char *end)
{
	long n = 0;

	if (*s == end || !isdigit((unsigned char)**s))
		return -1;
	while (*s < end && isdigit((unsigned char)**s) && n < 1000)
		n = n * 10 + (*(*s)++ - '0');
	return n;
}

/* bWIDTH@SHIFT/CONTAINER, [start, end): WIDTH bits from bit SHIFT of a
 * CONTAINER-bit word (8, 16, 32 or 64). */
static int parse_bitfield(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd + start + 1, *e = p->cmd + end;
	long width, shift, bits;

	width = read_dec(&s, e);
	if (width < 1 || s == e || *s++ != '@')
		return fail(p, start, PERR_BAD_BITFIELD);
	shift = read_dec(&s, e);
	if (shift < 0 || s == e || *s++ != '/')
		return fail(p, start, PERR_BAD_BITFIELD);
	bits = read_dec(&s, e);
	if (s != e || (bits != 8 && bits != 16 && bits != 32 && bits != 64) || width + shift > bits)
		return fail(p, start, PERR_BAD_BITFIELD);
	a->type = (struct probe_type){ .kind = PROBE_TYPE_BITFIELD, .size = (u8)(bits / 8),
				       .bit_width = (u8)width, .bit_shift = (u8)shift };
	return 0;
}

/* "[N]" of TYPE[N]; @br is the '[', @end the end of the argument. */
static int parse_array_size(struct probe_parser *p, struct probe_arg *a, int br, int end)
{
	const char *s = p->cmd;
	int close = br + 1;
	unsigned long n;

	while (close < end && s[close] != ']')
		close++;
	if (close == end)
		return fail(p, end, PERR_ARRAY_NO_CLOSE);
	if (close + 1 != end)
		return fail(p, close + 1, PERR_BAD_ARRAY_SUFFIX);
	if (probe_read_num(s + br + 1, close - br - 1, false, &n) || !n)
		return fail(p, br + 1, PERR_BAD_ARRAY_NUM);
	if (n > PROBE_MAX_ARRAY)
		return fail(p, br + 1, PERR_ARRAY_TOO_BIG);
	a->type.count = (u8)n;
	return 0;
}

/* TYPE or TYPE[N], [start, end). */
static int parse_type(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd;
	int br = start, err;
	unsigned i;

	while (br < end && s[br] != '[')
		br++;
	if (br < end) {
		err = parse_array_size(p, a, br, end);
		if (err)
			return err;
	}
	if (br > start && s[start] == 'b') {
		if (a->type.count)
			return fail(p, start, PERR_BAD_BITFIELD);	/* no arrays of them */
		return parse_bitfield(p, a, start, br);
	}
	for (i = 0; i < NR_TYPE_NAMES; i++)
		if ((int)strlen(type_names[i].name) == br - start &&
		    !strncmp(type_names[i].name, s + start, br - start))
			break;
	if (i == NR_TYPE_NAMES)
		return fail(p, start, PERR_BAD_TYPE);
	a->type.kind = type_names[i].kind;
	a->type.size = type_names[i].size;
	/* string[N]: N pointers in memory, each to a string (Linux's). */
	if (a->type.count && a->type.kind == PROBE_TYPE_SYMSTR)
		return fail(p, br, PERR_ARRAY_OF_STRINGS);
	return 0;
}

/* The rules between a fetch and its type; @tpos is where the type is. */
static int check_type(struct probe_parser *p, struct probe_arg *a, int tpos)
{
	bool mem = a->nderef > 0, literal = !mem && (a->base == PROBE_BASE_COMM ||
						       a->base == PROBE_BASE_IMMSTR);
	u8 kind = a->type.kind;

	if (literal && kind == PROBE_TYPE_SYMSTR)
		return fail(p, tpos, PERR_BAD_SYMSTRING);
	if (literal && kind != PROBE_TYPE_STRING)
		return fail(p, tpos, PERR_NEED_STRING_TYPE);
	if (a->type.count && !mem)
		return fail(p, tpos, PERR_ARRAY_ON_REGISTER);
	if (kind == PROBE_TYPE_STRING && !mem && !literal)
		return fail(p, tpos, PERR_BAD_STRING);
	return 0;
}

/* ---- an argument ---- */

/*
 * The names of the fields every record has (events/.../format): an
 * argument may not take one, or format would list a field twice.
 */
static const char *const reserved_field_names[] = {
	"common_type", "common_flags", "common_preempt_count", "common_pid", "common_tgid",
	"__probe_ip", "__probe_func", "__probe_ret_ip",
};

/* Is @name a common field or the name of an earlier argument of @def? */
static bool name_taken(const struct probe_def *def, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved_field_names); i++)
		if (!strcmp(reserved_field_names[i], name))
			return true;
	for (i = 0; i < (size_t)def->nargs; i++)
		if (!strcmp(def->args[i].name, name))
			return true;
	return false;
}

/* [NAME=] of the word [start, end); *@body: where the fetch starts. */
/* An argument with no NAME= is called argN after its place, as Linux
 * names it; either way the name must be new. */
static int parse_arg_name(struct probe_parser *p, struct probe_arg *a, int start, int end,
			  int *body)
{
	const char *s = p->cmd;
	int eq = start;

	while (eq < end && s[eq] != '=')
		eq++;
	*body = start;
	if (eq < end) {
		if (eq == start)
			return fail(p, start, PERR_NO_ARG_NAME);
		if (eq - start >= PROBE_ARG_NAME_LEN)
			return fail(p, start, PERR_ARG_NAME_TOO_LONG);
		if (!probe_good_name(s + start, eq - start))
			return fail(p, start, PERR_BAD_ARG_NAME);
		probe_copy_str(a->name, sizeof(a->name), s + start, eq - start);
		*body = eq + 1;
	} else {
		snprintf(a->name, sizeof(a->name), "arg%d", p->def->nargs + 1);
	}
	if (name_taken(p->def, a->name))
		return fail(p, start, PERR_USED_ARG_NAME);
	return 0;
}

/* Where FETCH ends and :TYPE starts in [body, end): the last ':' outside
 * braces and quotes, or @end. */
static int type_colon(const char *s, int body, int end)
{
	int i = end;

	while (i > body && s[i - 1] != ':' && s[i - 1] != ')' && s[i - 1] != '"')
		i--;
	return i > body && s[i - 1] == ':' ? i - 1 : end;
}

/* [NAME=]FETCH[:TYPE] in the word [start, end). */
static int parse_arg(struct probe_parser *p, struct probe_arg *a, int start, int end)
{
	int body, colon, err;

	err = parse_arg_name(p, a, start, end, &body);
	if (err)
		return err;
	a->pos = (u16)start;
	if (!probe_copy_str(a->text, sizeof(a->text), p->cmd + body, end - body))
		return fail(p, body, PERR_ARG_TOO_LONG);
	if (body == end)
		return fail(p, body, PERR_NO_ARG_BODY);
	colon = type_colon(p->cmd, body, end);
	err = parse_fetch(p, a, body, colon, body, 0);
	if (err)
		return err;
	a->type = (struct probe_type){ .kind = PROBE_TYPE_X, .size = 8 };
	if (!a->nderef && (a->base == PROBE_BASE_COMM || a->base == PROBE_BASE_IMMSTR))
		a->type = (struct probe_type){ .kind = PROBE_TYPE_STRING, .size = 4 };
	if (colon < end) {
		err = parse_type(p, a, colon + 1, end);
		if (err)
			return err;
	}
	return check_type(p, a, colon < end ? colon + 1 : body);
}

/*
 * Compile @a for the hit path (enum probe_fast): a scalar read straight
 * from a register - %REG, $retval, or $argN where the argument is still
 * in its register (an entry probe; a return probe reads the copy taken
 * at entry) - becomes a pt_regs offset. Anything else is interpreted.
 */
static void compile_fast(const struct probe_def *def, struct probe_arg *a)
{
	int off = -1;

	a->fast = PROBE_FAST_NONE;
	if (a->nderef || a->type.count || a->type.kind == PROBE_TYPE_STRING ||
	    a->type.kind == PROBE_TYPE_SYMSTR || a->type.kind == PROBE_TYPE_BITFIELD)
		return;
	if (a->base == PROBE_BASE_REG)
		off = a->param;
	else if (a->base == PROBE_BASE_RETVAL)
		off = regs_return_value_offset();
	else if (a->base == PROBE_BASE_ARG && !probe_def_is_return(def))
		off = regs_arg_offset(a->param);
	if (off < 0)
		return;
	a->fast = a->base == PROBE_BASE_REG && a->width == 4 ? PROBE_FAST_REG32 : PROBE_FAST_REG;
	a->fast_off = (u16)off;
	a->fast_mask = a->fast == PROBE_FAST_REG32 ? 0xffffffffUL : ~0UL;
}

/* Place each argument's fixed slot, one after the other. */
static int layout(struct probe_parser *p, const struct probe_word *w)
{
	struct probe_def *def = p->def;
	unsigned off = 0;
	int i;

	for (i = 0; i < def->nargs; i++) {
		struct probe_arg *a = &def->args[i];
		unsigned size = a->type.size * (a->type.count ? a->type.count : 1);

		/* Packed, as Linux lays out probe records: format's offsets
		 * are Linux's (stores and loads are unaligned-safe copies). */
		if (off + size > PROBE_DATA_MAX - 16)
			return fail(p, w[i].start, PERR_RECORD_TOO_LARGE);
		a->offset = (u16)off;
		a->size = (u16)size;
		off += size;
		if (a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR)
			def->has_dynamic = true;
		compile_fast(def, a);
	}
	def->fixed_size = (u16)off;
	def->all_fast = true;
	for (i = 0; i < def->nargs; i++)
		def->all_fast &= def->args[i].fast != PROBE_FAST_NONE;
	return 0;
}

/*
 * Parse the @n argument words @w of a command into p->def's args, then
 * lay out the record. Stops at the first bad argument: 0 or -EINVAL with
 * the caret inside that argument (too many arguments: at the first
 * extra one).
 */
int probe_parse_args(struct probe_parser *p, const struct probe_word *w, int n)
{
	struct probe_def *def = p->def;
	int i, err;

	if (n > PROBE_MAX_ARGS)
		return fail(p, w[PROBE_MAX_ARGS].start, PERR_TOO_MANY_ARGS);
	for (i = 0; i < n; i++) {
		memset(&def->args[i], 0, sizeof(def->args[i]));
		err = parse_arg(p, &def->args[i], w[i].start, w[i].start + w[i].len);
		if (err)
			return err;
		def->nargs++;
	}
	return layout(p, w);
}

/* ---- back to text ---- */

/*
 * Write @t back as the user would type it ("u32", "x8[4]", "b3@5/32"),
 * for kprobe_events listings and the format file; "?" for a type the
 * table does not know, which the parser never produces.
 */
void probe_type_name(char *buf, size_t size, const struct probe_type *t)
{
	char count[8] = "";
	unsigned i;

	if (t->count)
		snprintf(count, sizeof(count), "[%u]", t->count);
	if (t->kind == PROBE_TYPE_BITFIELD) {
		snprintf(buf, size, "b%u@%u/%u%s", t->bit_width, t->bit_shift, t->size * 8, count);
		return;
	}
	for (i = 0; i < NR_TYPE_NAMES; i++)
		if (type_names[i].kind == t->kind && type_names[i].size == t->size)
			break;
	snprintf(buf, size, "%s%s", i == NR_TYPE_NAMES ? "?" : type_names[i].name, count);
}
