// SPDX-License-Identifier: MIT
/*
 * The probe-event command parser: one line of kprobe_events or
 * dynamic_events, in Linux's syntax, into a struct probe_def.
 *
 *	p[:[GRP/][EVENT]] SYM[+OFFS]|ADDR [FETCHARGS]		kprobe
 *	r[MAXACTIVE][:[GRP/][EVENT]] SYM[+0] [FETCHARGS]	kretprobe
 *	p[:[GRP/][EVENT]] SYM[+0]%return [FETCHARGS]		kretprobe
 *	f[:[GRP/][EVENT]] SYM [FETCHARGS]			fprobe entry
 *	f[MAXACTIVE][:[GRP/][EVENT]] SYM%return [FETCHARGS]	fprobe exit
 *	-:[GRP/]EVENT						delete
 *
 * A FETCHARG is [NAME=]FETCH[:TYPE], FETCH one of %REG $argN $retval
 * $stack $stackN $comm @ADDR @SYM[+|-OFFS] \IMM, or +|-OFFS(FETCH) to
 * read memory at FETCH + OFFS (nested as deep as PROBE_MAX_DEREF).
 *
 * The parser works on the words of the line in place and never copies the
 * line, so every error carries the byte offset of the word (or the part of
 * it) that is wrong: error_log puts its caret there.
 */
#include <trace/probe.h>
#include <asm/ptrace.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define MAX_WORDS	(2 + PROBE_MAX_ARGS + 1)
#define NUM_LEN		32		/* longest number we read */

struct parser {
	const char *cmd;
	const struct probe_parse_env *env;
	struct probe_def *def;
	struct probe_error *err;
	int head;			/* where the first word starts */
	bool at_entry;			/* the probe is on a function's first byte */
};

struct word {
	int start, len;
};

/* Record the first error; always returns -EINVAL for the caller to pass up. */
static int fail(struct parser *p, int pos, const char *reason)
{
	p->err->pos = pos;
	p->err->reason = reason;
	return -EINVAL;
}

static bool good_name(const char *s, int len)
{
	int i;

	if (len <= 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Copy @len bytes at @s into @buf as a C string; false if they do not fit. */
static bool copy_str(char *buf, size_t size, const char *s, int len)
{
	if (len < 0 || (size_t)len >= size)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

/* A whole number: unsigned, or (@sign) with an optional leading + or -. */
static int read_num(const char *s, int len, bool sign, unsigned long *out)
{
	char buf[NUM_LEN];
	bool neg = false;

	if (sign && len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (!len || !isdigit((unsigned char)s[0]) || !copy_str(buf, sizeof(buf), s, len))
		return -EINVAL;
	if (kstrtoul(buf, 0, out))
		return -EINVAL;
	if (sign && *out > (unsigned long)__LONG_MAX__)
		return -EINVAL;
	if (neg)
		*out = -*out;
	return 0;
}

static int split_words(const char *cmd, struct word *w, int max)
{
	int n = 0, i = 0;

	for (;;) {
		while (cmd[i] == ' ' || cmd[i] == '\t')
			i++;
		if (!cmd[i] || n == max)
			return n;
		w[n].start = i;
		while (cmd[i] && cmd[i] != ' ' && cmd[i] != '\t')
			i++;
		w[n].len = i - w[n].start;
		n++;
	}
}

/* ---- the first word: p r f - , maxactive, group and event ---- */

static int parse_name(struct parser *p, int start, int len, char *buf, const char *what)
{
	if (len >= PROBE_NAME_LEN)
		return fail(p, start, "Name is too long");
	if (!good_name(p->cmd + start, len))
		return fail(p, start, what);
	copy_str(buf, PROBE_NAME_LEN, p->cmd + start, len);
	return 0;
}

/*
 * Names that events/ and events/GROUP/ already give to a file: a group or
 * an event called so would need a directory where the file is.
 */
static const char *const reserved_names[] = { "enable" };

static bool is_reserved(const char *name)
{
	unsigned i;

	for (i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (!strcmp(name, reserved_names[i]))
			return true;
	return false;
}

/* ":[GRP/][EVENT]" after the type letter and maxactive. */
static int parse_names(struct parser *p, int start, int end)
{
	const char *s = p->cmd;
	int slash = start, err;

	while (slash < end && s[slash] != '/')
		slash++;
	p->def->event_pos = start;
	if (slash < end) {
		err = parse_name(p, start, slash - start, p->def->group, "Bad group name");
		if (err)
			return err;
		if (is_reserved(p->def->group))
			return fail(p, start, "Group name is reserved (events/ has a file of that name)");
		start = slash + 1;
		p->def->event_pos = start;
	}
	if (start == end)
		return 0;
	p->def->named = true;
	err = parse_name(p, start, end - start, p->def->event, "Bad event name");
	if (!err && is_reserved(p->def->event))
		err = fail(p, start, "Event name is reserved (a group's directory has a file of that name)");
	return err;
}

static int parse_head(struct parser *p, const struct word *w)
{
	const char *s = p->cmd + w->start;
	struct probe_def *def = p->def;
	int i = 1;

	switch (s[0]) {
	case 'p': def->kind = PROBE_KPROBE; break;
	case 'r': def->kind = PROBE_KRETPROBE; break;
	case 'f': def->kind = PROBE_FENTRY; break;
	case '-': def->kind = PROBE_DELETE; break;
	default: return fail(p, w->start, "Unknown probe type (not p, r, f or -)");
	}
	while (i < w->len && isdigit((unsigned char)s[i]))
		i++;
	if (i > 1) {
		unsigned long n;

		if (def->kind == PROBE_KPROBE || def->kind == PROBE_DELETE)
			return fail(p, w->start + 1, "Maxactive is only for return probes");
		if (read_num(s + 1, i - 1, false, &n) || !n || n > PROBE_MAXACTIVE_MAX)
			return fail(p, w->start + 1, "Bad maxactive (1 to 4096)");
		def->maxactive = (int)n;
	}
	def->event_pos = w->start + i;
	if (i == w->len)
		return def->kind == PROBE_DELETE ? fail(p, w->start, "Give the event: -:[GRP/]EVENT") : 0;
	if (s[i] != ':')
		return fail(p, w->start + i, "Expected ':' after the probe type");
	return parse_names(p, w->start + i + 1, w->start + w->len);
}

/* ---- the second word: the probe point ---- */

/* Turn anything but letters, digits and _ in an event name into _. */
static void sanitize_name(char *name)
{
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && *name != '_')
			*name = '_';
}

/* Linux's names: p_fib_0, r_fib_0, p_0xADDR, fib__entry, fib__exit. */
static void default_names(struct probe_def *def)
{
	bool fp = def->kind == PROBE_FENTRY || def->kind == PROBE_FEXIT;
	char letter = def->kind == PROBE_KRETPROBE ? 'r' : 'p';

	if (!def->group[0])
		strscpy(def->group, fp ? PROBE_DEFAULT_FGROUP : PROBE_DEFAULT_KGROUP, PROBE_NAME_LEN);
	if (def->event[0])
		return;
	if (fp)
		snprintf(def->event, PROBE_NAME_LEN, "%s__%s", def->symbol,
			 def->kind == PROBE_FENTRY ? "entry" : "exit");
	else if (def->symbol[0])
		snprintf(def->event, PROBE_NAME_LEN, "%c_%s_%lu", letter, def->symbol, def->offset);
	else
		snprintf(def->event, PROBE_NAME_LEN, "%c_0x%lx", letter, def->addr);
	sanitize_name(def->event);
}

/* "%return": turns p into a kretprobe and f into an fprobe exit. */
static int parse_return_suffix(struct parser *p, int pos, int len)
{
	struct probe_def *def = p->def;

	if (len != 7 || strncmp(p->cmd + pos, "%return", 7))
		return fail(p, pos, "Bad suffix (only %return)");
	if (def->kind == PROBE_KRETPROBE)
		return fail(p, pos, "%return on an r probe");
	def->kind = def->kind == PROBE_KPROBE ? PROBE_KRETPROBE : PROBE_FEXIT;
	return 0;
}

/*
 * The address of the symbol @name, plus @off: refused if there is no such
 * symbol, if several share the name (only an address says which), or if
 * the sum runs off either end of the address space (fib+0x7fffffff would
 * wrap around to a small address). @pos is where the caret goes for the
 * name, @off_pos for the offset.
 */
static int resolve_symbol(struct parser *p, const char *name, int pos, long off, int off_pos,
			  unsigned long *addr)
{
	unsigned long base;

	if (!p->env->lookup(name, &base))
		return fail(p, pos, "Unknown symbol");
	if (p->env->nr_named && p->env->nr_named(name) > 1)
		return fail(p, pos, "The symbol is not unique (give its address)");
	if (off >= 0 ? __builtin_add_overflow(base, (unsigned long)off, addr) :
		       __builtin_sub_overflow(base, -(unsigned long)off, addr))
		return fail(p, off_pos, "Offset runs past the end of the address space");
	return 0;
}

static int parse_symbol(struct parser *p, int start, int end)
{
	struct probe_def *def = p->def;
	const char *s = p->cmd;
	int plus = start;
	unsigned long addr;

	while (plus < end && s[plus] != '+')
		plus++;
	if (plus - start >= PROBE_SYM_LEN)
		return fail(p, start, "Symbol name is too long");
	copy_str(def->symbol, PROBE_SYM_LEN, s + start, plus - start);
	if (plus < end) {
		bool fp = def->kind == PROBE_FENTRY || def->kind == PROBE_FEXIT;

		if (fp)
			return fail(p, plus, "An fprobe takes a function name, no offset");
		if (read_num(s + plus + 1, end - plus - 1, false, &def->offset) ||
		    def->offset > 0x7fffffffUL)
			return fail(p, plus, "Bad offset");
	}
	if (resolve_symbol(p, def->symbol, start, (long)def->offset, plus, &addr))
		return -EINVAL;
	def->addr = addr;
	p->at_entry = !def->offset;
	if (probe_def_is_return(def) && def->offset)
		return fail(p, plus, "A return probe must be at the function's entry (+0)");
	return 0;
}

static int parse_point(struct parser *p, const struct word *w)
{
	struct probe_def *def = p->def;
	const char *s = p->cmd;
	int end = w->start + w->len, pct = w->start, err;

	while (pct < end && s[pct] != '%')
		pct++;
	if (pct < end) {
		err = parse_return_suffix(p, pct, end - pct);
		if (err)
			return err;
	}
	if (def->kind == PROBE_FENTRY && def->maxactive)
		return fail(p, p->head + 1, "Maxactive is only for return probes");
	def->sym_pos = w->start;
	if (pct == w->start)
		return fail(p, w->start, "No probe point before %return");
	if (!isdigit((unsigned char)s[w->start])) {
		err = parse_symbol(p, w->start, pct);
	} else if (def->kind == PROBE_FENTRY || def->kind == PROBE_FEXIT) {
		err = fail(p, w->start, "An fprobe takes a function name, not an address");
	} else if (read_num(s + w->start, pct - w->start, false, &def->addr)) {
		err = fail(p, w->start, "Bad address");
	} else {
		p->at_entry = p->env->at_func_entry && p->env->at_func_entry(def->addr);
		if (probe_def_is_return(def) && !p->at_entry)
			err = fail(p, w->start, "A return probe must be at the function's entry (+0)");
	}
	if (!err)
		default_names(def);
	return err;
}

/* ---- fetch-args ---- */

static int push_deref(struct parser *p, struct probe_arg *a, int pos, long off)
{
	if (a->nderef == PROBE_MAX_DEREF)
		return fail(p, pos, "Dereference nested too deep");
	a->deref[a->nderef++] = off;
	return 0;
}

static int parse_var(struct parser *p, struct probe_arg *a, int start, int end)
{
	const char *v = p->cmd + start + 1;
	int len = end - start - 1;
	unsigned long n;

	if (len == 6 && !strncmp(v, "retval", 6)) {
		if (!probe_def_is_return(p->def))
			return fail(p, start, "$retval is only for return probes");
		a->base = PROBE_BASE_RETVAL;
	} else if (len == 4 && !strncmp(v, "comm", 4)) {
		a->base = PROBE_BASE_COMM;
	} else if (len == 5 && !strncmp(v, "stack", 5)) {
		a->base = PROBE_BASE_STACK;
	} else if (len > 5 && !strncmp(v, "stack", 5)) {
		if (!isdigit((unsigned char)v[5]) || read_num(v + 5, len - 5, false, &n) || n > 1024)
			return fail(p, start, "Bad stack index ($stack0 to $stack1024)");
		a->base = PROBE_BASE_STACKN;
		a->param = (u16)n;
	} else if (len > 3 && !strncmp(v, "arg", 3)) {
		if (!isdigit((unsigned char)v[3]) || read_num(v + 3, len - 3, false, &n) || !n || n > 6)
			return fail(p, start, "Bad argument number ($arg1 to $arg6)");
		if (!p->at_entry)
			return fail(p, start, "$argN is only at a function's entry or in return probes");
		a->base = PROBE_BASE_ARG;
		a->param = (u16)n;
		p->def->uses_entry_args |= probe_def_is_return(p->def);
	} else {
		return fail(p, start, "Unknown variable");
	}
	return 0;
}

/* @ADDR or @SYM[+|-OFFS]: read memory there. */
static int parse_at(struct parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd;
	char sym[PROBE_SYM_LEN];
	unsigned long off = 0;
	int i = start + 1;

	if (i == end)
		return fail(p, start, "Bad address after @");
	if (isdigit((unsigned char)s[i])) {
		if (read_num(s + i, end - i, false, &a->imm))
			return fail(p, start, "Bad address after @");
	} else {
		while (i < end && s[i] != '+' && s[i] != '-')
			i++;
		if (!copy_str(sym, sizeof(sym), s + start + 1, i - start - 1))
			return fail(p, start + 1, "Symbol name is too long");
		if (i < end && read_num(s + i, end - i, true, &off))
			return fail(p, i, "Bad offset");
		if (resolve_symbol(p, sym, start + 1, (long)off, i, &a->imm))
			return -EINVAL;
	}
	a->base = PROBE_BASE_IMM;
	return push_deref(p, a, start, 0);
}

static int parse_fetch(struct parser *p, struct probe_arg *a, int start, int end, int depth);

/* +OFFS(FETCH) or -OFFS(FETCH). */
static int parse_deref(struct parser *p, struct probe_arg *a, int start, int end, int depth)
{
	const char *s = p->cmd;
	int open = start + 1, err;
	unsigned long off;

	while (open < end && s[open] != '(')
		open++;
	if (open == end)
		return fail(p, start, "Expected '(' after the offset");
	if (read_num(s + start, open - start, true, &off))
		return fail(p, start, "Bad dereference offset");
	if (s[end - 1] != ')')
		return fail(p, end - 1, "Expected ')' at the end");
	if (depth >= PROBE_MAX_DEREF)
		return fail(p, start, "Dereference nested too deep");
	err = parse_fetch(p, a, open + 1, end - 1, depth + 1);
	return err ? err : push_deref(p, a, start, (long)off);
}

static int parse_fetch(struct parser *p, struct probe_arg *a, int start, int end, int depth)
{
	const char *s = p->cmd;
	unsigned offset, width;

	if (start >= end)
		return fail(p, start, "Empty fetch argument");
	switch (s[start]) {
	case '%':
		if (!regs_query_register(s + start + 1, end - start - 1, &offset, &width))
			return fail(p, start, "Bad register");
		a->base = PROBE_BASE_REG;
		a->param = (u16)offset;
		a->width = (u8)width;
		return 0;
	case '$':
		return parse_var(p, a, start, end);
	case '@':
		return parse_at(p, a, start, end);
	case '\\':
		a->base = PROBE_BASE_IMM;
		if (read_num(s + start + 1, end - start - 1, s[start + 1] == '-', &a->imm))
			return fail(p, start, "Bad immediate value");
		return 0;
	case '+':
	case '-':
		return parse_deref(p, a, start, end, depth);
	default:
		return fail(p, start, "Bad fetch argument (%REG, $VAR, @ADDR, \\IMM or +OFFS(...))");
	}
}

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

/* TYPE or TYPE[N]. */
static int parse_type(struct parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd;
	int br = start;
	unsigned long n;
	unsigned i;

	while (br < end && s[br] != '[')
		br++;
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if ((int)strlen(type_names[i].name) == br - start &&
		    !strncmp(type_names[i].name, s + start, br - start))
			break;
	if (i == sizeof(type_names) / sizeof(type_names[0]))
		return fail(p, start, "Unknown type");
	a->type.kind = type_names[i].kind;
	a->type.size = type_names[i].size;
	if (br == end)
		return 0;
	if (a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR)
		return fail(p, br, "No arrays of strings");
	if (s[end - 1] != ']' || read_num(s + br + 1, end - br - 2, false, &n) || !n ||
	    n > PROBE_MAX_ARRAY)
		return fail(p, br, "Bad array size (1 to 64)");
	a->type.count = (u8)n;
	return 0;
}

/* The rules between a fetch and its type; @tpos is where the type is. */
static int check_type(struct parser *p, struct probe_arg *a, int tpos)
{
	bool mem = a->nderef > 0;
	u8 kind = a->type.kind;

	if (a->type.count && !mem)
		return fail(p, tpos, "An array needs a memory fetch (+OFFS(...) or @ADDR)");
	if (a->base == PROBE_BASE_COMM && a->nderef == 0 && kind != PROBE_TYPE_STRING)
		return fail(p, tpos, "$comm is a string");
	if (kind == PROBE_TYPE_STRING && !mem && a->base != PROBE_BASE_COMM)
		return fail(p, tpos, "A string needs a memory fetch (+0(%REG) ...) or $comm");
	return 0;
}

static bool name_taken(const struct probe_def *def, const char *name)
{
	int i;

	for (i = 0; i < def->nargs; i++)
		if (!strcmp(def->args[i].name, name))
			return true;
	return false;
}

/* [NAME=]FETCH[:TYPE] in the word [start, end). */
static int parse_arg(struct parser *p, struct probe_arg *a, int start, int end)
{
	const char *s = p->cmd;
	int eq = start, colon, err, body;

	while (eq < end && s[eq] != '=')
		eq++;
	if (eq < end) {
		if (eq - start >= PROBE_ARG_NAME_LEN)
			return fail(p, start, "Argument name is too long");
		if (!good_name(s + start, eq - start))
			return fail(p, start, "Bad argument name");
		copy_str(a->name, sizeof(a->name), s + start, eq - start);
		body = eq + 1;
	} else {
		snprintf(a->name, sizeof(a->name), "arg%d", p->def->nargs + 1);
		body = start;
	}
	if (name_taken(p->def, a->name))
		return fail(p, start, "Duplicate argument name");
	if (!copy_str(a->text, sizeof(a->text), s + body, end - body))
		return fail(p, body, "Argument is too long");
	colon = end;
	while (colon > body && s[colon - 1] != ':' && s[colon - 1] != ')')
		colon--;
	colon = colon > body && s[colon - 1] == ':' ? colon - 1 : end;
	err = parse_fetch(p, a, body, colon, 0);
	if (err)
		return err;
	a->type = (struct probe_type){ PROBE_TYPE_X, 8, 0 };
	if (a->base == PROBE_BASE_COMM && !a->nderef)
		a->type = (struct probe_type){ PROBE_TYPE_STRING, 4, 0 };
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
	    a->type.kind == PROBE_TYPE_SYMSTR)
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
}

/* Place each argument's fixed slot, aligned to its element size. */
static int layout(struct parser *p, const struct word *w)
{
	struct probe_def *def = p->def;
	unsigned off = 0;
	int i;

	for (i = 0; i < def->nargs; i++) {
		struct probe_arg *a = &def->args[i];
		unsigned size = a->type.size * (a->type.count ? a->type.count : 1);

		off = (off + a->type.size - 1) & ~(unsigned)(a->type.size - 1);
		if (off + size > PROBE_DATA_MAX - 16)
			return fail(p, w[i].start, "Arguments too large for one record");
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

static int parse_args(struct parser *p, const struct word *w, int n)
{
	struct probe_def *def = p->def;
	int i, err;

	if (n > PROBE_MAX_ARGS)
		return fail(p, w[PROBE_MAX_ARGS].start, "Too many arguments (at most 16)");
	for (i = 0; i < n; i++) {
		memset(&def->args[i], 0, sizeof(def->args[i]));
		err = parse_arg(p, &def->args[i], w[i].start, w[i].start + w[i].len);
		if (err)
			return err;
		def->nargs++;
	}
	return layout(p, w);
}

int probe_parse(const char *cmd, const struct probe_parse_env *env, struct probe_def *def,
		struct probe_error *err)
{
	struct parser p = { .cmd = cmd, .env = env, .def = def, .err = err };
	struct word w[MAX_WORDS];
	int n, e;

	memset(def, 0, sizeof(*def));
	err->pos = 0;
	err->reason = NULL;
	if (strnlen(cmd, PROBE_CMD_LEN) == PROBE_CMD_LEN)
		return fail(&p, 0, "Command is too long");
	n = split_words(cmd, w, MAX_WORDS);
	if (!n)
		return fail(&p, 0, "Empty command");
	p.head = w[0].start;
	e = parse_head(&p, &w[0]);
	if (e)
		return e;
	if (def->kind == PROBE_DELETE) {
		if (!def->event[0])
			return fail(&p, def->event_pos, "Give the event: -:[GRP/]EVENT");
		return n > 1 ? fail(&p, w[1].start, "Nothing may follow -:EVENT") : 0;
	}
	if (n < 2)
		return fail(&p, w[0].start + w[0].len, "No probe point (SYM[+OFFS] or ADDR)");
	e = parse_point(&p, &w[1]);
	return e ? e : parse_args(&p, &w[2], n - 2);
}

/* ---- back to text ---- */

void probe_type_name(char *buf, size_t size, const struct probe_type *t)
{
	unsigned i;

	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].kind == t->kind && type_names[i].size == t->size)
			break;
	if (i == sizeof(type_names) / sizeof(type_names[0]))
		snprintf(buf, size, "?");
	else if (t->count)
		snprintf(buf, size, "%s[%u]", type_names[i].name, t->count);
	else
		snprintf(buf, size, "%s", type_names[i].name);
}

int probe_def_show(char *buf, size_t size, const struct probe_def *def)
{
	static const char letters[] = { 'p', 'r', 'f', 'f', '-' };
	int n, i;

	n = snprintf(buf, size, "%c", letters[def->kind]);
	if (def->maxactive && probe_def_is_return(def))
		n += snprintf(buf + n, size > (size_t)n ? size - n : 0, "%d", def->maxactive);
	n += snprintf(buf + n, size > (size_t)n ? size - n : 0, ":%s/%s ", def->group, def->event);
	if (!def->symbol[0])
		n += snprintf(buf + n, size > (size_t)n ? size - n : 0, "0x%lx", def->addr);
	else if (def->offset)
		n += snprintf(buf + n, size > (size_t)n ? size - n : 0, "%s+%lu", def->symbol,
			      def->offset);
	else
		n += snprintf(buf + n, size > (size_t)n ? size - n : 0, "%s%s", def->symbol,
			      def->kind == PROBE_FEXIT ? "%return" : "");
	for (i = 0; i < def->nargs; i++)
		n += snprintf(buf + n, size > (size_t)n ? size - n : 0, " %s=%s", def->args[i].name,
			      def->args[i].text);
	return n;
}
