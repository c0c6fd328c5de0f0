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
 * (`t[:[GRP/][EVENT]] TRACEPOINT [FETCHARGS]` is Linux's probe on a
 * tracepoint. Loupe has no tracepoints: such a line is checked whole, so
 * its mistakes are named as Linux names them, then refused.)
 *
 * This file reads the first two words, the head and the probe point;
 * probe_parse_arg.c reads the fetch-args. The parser works on the words
 * of the line in place and never copies the line, so every error carries
 * the byte offset of the word (or the part of it) that is wrong: error_log
 * puts its caret there, where Linux puts it (trace/probe_errors.h).
 *
 * Symbols are looked up in kallsyms; the host tests supply a small
 * pretend symbol table under the same names (tests/host/kallsyms_host.c).
 */
#include "probe_parse_internal.h"
#include <kernel/kallsyms.h>
#include <lib/compiler.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define MAX_WORDS	(2 + PROBE_MAX_ARGS + 1)
#define NUM_LEN		32		/* longest number we read */
#define GROUP_MAX	(PROBE_NAME_LEN - 2)	/* Linux: 63 bytes; an event may have 64 */

/*
 * Record the caret position @pos (a byte offset in the command) and
 * Linux's message @reason; returns -EINVAL, so that every rule of the
 * grammar can end in `return probe_parse_fail(...)`. The first failure
 * wins: callers stop at the first non-zero return.
 */
int probe_parse_fail(struct probe_parser *p, int pos, const char *reason)
{
	p->err->pos = pos;
	p->err->reason = reason;
	return -EINVAL;
}

/* Is [s, s+len) a C identifier (the rule for group, event and argument
 * names)? */
bool probe_good_name(const char *s, int len)
{
	int i;

	if (len <= 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Copy @len bytes and a NUL into @buf; false, copying nothing, if they
 * do not fit (the caller turns that into its own "too long" error). */
bool probe_copy_str(char *buf, size_t size, const char *s, int len)
{
	if (len < 0 || (size_t)len >= size)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return true;
}

/*
 * The number in [s, s+len): decimal, 0x hex or 0 octal, with a leading
 * + or - when @sign (then it must fit in a long, and a negative one is
 * returned two's-complement in *@out). 0 or -EINVAL; the caller knows
 * what the number was for and so which message to give.
 */
int probe_read_num(const char *s, int len, bool sign, unsigned long *out)
{
	char buf[NUM_LEN];
	bool neg = false;

	if (sign && len > 0 && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		s++;
		len--;
	}
	if (!len || !isdigit((unsigned char)s[0]) || !probe_copy_str(buf, sizeof(buf), s, len))
		return -EINVAL;
	if (kstrtoul(buf, 0, out))
		return -EINVAL;
	if (sign && *out > (unsigned long)__LONG_MAX__)
		return -EINVAL;
	if (neg)
		*out = -*out;
	return 0;
}

/*
 * The address of the symbol @name, plus @off: refused if there is no such
 * symbol (@unknown says so), if several share the name (only an address
 * says which), or if the sum runs off either end of the address space
 * (fib+0x7fffffff would wrap around to a small address). @pos is where
 * the caret goes for the name, @off_pos for the offset.
 */
int probe_resolve_symbol(struct probe_parser *p, const char *name, int pos, long off, int off_pos,
			 unsigned long *addr, const char *unknown)
{
	struct ksym sym;

	if (!kallsyms_lookup_name(name, &sym))
		return probe_parse_fail(p, pos, unknown);
	/* Two static functions may share a name; as on Linux, such a name is
	 * refused: the probe could land on either. */
	if (kallsyms_nr_named(name) > 1)
		return probe_parse_fail(p, pos, PERR_NON_UNIQ_SYMBOL);
	if (off >= 0 ? __builtin_add_overflow(sym.addr, (unsigned long)off, addr) :
		       __builtin_sub_overflow(sym.addr, -(unsigned long)off, addr))
		return probe_parse_fail(p, off_pos, PERR_OFFSET_WRAPS);
	return 0;
}

/* Cut @cmd at blanks into at most @max words (offsets, not copies);
 * returns how many. Words past @max are left unread, and the caller
 * sizes @max so that one extra shows there are too many arguments. */
static int split_words(const char *cmd, struct probe_word *w, int max)
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

static bool is_fprobe_kind(u8 kind)
{
	return kind == PROBE_FENTRY || kind == PROBE_FEXIT || kind == PROBE_TPOINT;
}

/* ---- the first word: p r f t - , maxactive, group and event ---- */

/*
 * Names that events/ and events/GROUP/ already give to a file: a group or
 * an event called so would need a directory where the file is.
 */
static const char *const reserved_names[] = { "enable" };

static bool is_reserved(const char *name)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(reserved_names); i++)
		if (!strcmp(name, reserved_names[i]))
			return true;
	return false;
}

/* "GRP/" of ":GRP/EVENT", [start, slash). */
static int parse_group(struct probe_parser *p, int start, int slash)
{
	const char *s = p->cmd + start;
	int len = slash - start;

	if (!len)
		return probe_parse_fail(p, start, PERR_NO_GROUP_NAME);
	if (len > GROUP_MAX)
		return probe_parse_fail(p, start, PERR_GROUP_TOO_LONG);
	if (!probe_good_name(s, len))
		return probe_parse_fail(p, start, PERR_BAD_GROUP_NAME);
	probe_copy_str(p->def->group, PROBE_NAME_LEN, s, len);
	if (is_reserved(p->def->group))
		return probe_parse_fail(p, start, PERR_RESERVED_GROUP);
	return 0;
}

/* "EVENT" of ":GRP/EVENT", [start, end); empty only after a group. */
static int parse_event(struct probe_parser *p, int start, int end, bool after_group)
{
	const char *s = p->cmd + start;
	int len = end - start;

	if (!len)
		return after_group ? 0 : probe_parse_fail(p, start, PERR_NO_EVENT_NAME);
	if (len >= PROBE_NAME_LEN)
		return probe_parse_fail(p, start, PERR_EVENT_TOO_LONG);
	if (!probe_good_name(s, len))
		return probe_parse_fail(p, start, PERR_BAD_EVENT_NAME);
	probe_copy_str(p->def->event, PROBE_NAME_LEN, s, len);
	p->def->named = true;
	if (is_reserved(p->def->event))
		return probe_parse_fail(p, start, PERR_RESERVED_EVENT);
	return 0;
}

/* ":[GRP/][EVENT]" after the type letter and maxactive, [start, end). */
static int parse_names(struct probe_parser *p, int start, int end)
{
	const char *s = p->cmd;
	int slash = start, err;

	while (slash < end && s[slash] != '/')
		slash++;
	p->def->event_pos = start;
	if (slash == end)
		return parse_event(p, start, end, false);
	err = parse_group(p, start, slash);
	if (err)
		return err;
	p->def->event_pos = slash + 1;
	return parse_event(p, slash + 1, end, true);
}

/*
 * MAXACTIVE, the text between the type letter and the ':' (or the end of
 * the word), [start, end). Only return probes have one; which an f: or t:
 * probe is, only the probe point's %return says (parse_point()).
 */
static int parse_maxactive(struct probe_parser *p, int start, int end)
{
	struct probe_def *def = p->def;
	unsigned long n;

	if (start == end)
		return 0;
	if (def->kind == PROBE_DELETE)
		return probe_parse_fail(p, start, PERR_DELETE_NEEDS_NAME);
	if (def->kind == PROBE_KPROBE && isdigit((unsigned char)p->cmd[start]))
		return probe_parse_fail(p, start, PERR_MAXACT_NO_KPROBE);
	if (probe_read_num(p->cmd + start, end - start, false, &n) || !n)
		return probe_parse_fail(p, start, PERR_BAD_MAXACT);
	if (n > PROBE_MAXACTIVE_MAX)
		return probe_parse_fail(p, start, PERR_MAXACT_TOO_BIG);
	def->maxactive = (int)n;
	return 0;
}

/*
 * The first word: the type letter, MAXACTIVE, and ":[GRP/][EVENT]".
 * Records where the event name is (or would be), the caret for errors
 * about it later. 0 or -EINVAL.
 */
static int parse_head(struct probe_parser *p, const struct probe_word *w)
{
	const char *s = p->cmd + w->start;
	struct probe_def *def = p->def;
	int colon = 1, err;

	switch (s[0]) {
	case 'p': def->kind = PROBE_KPROBE; break;
	case 'r': def->kind = PROBE_KRETPROBE; break;
	case 'f': def->kind = PROBE_FENTRY; break;
	case 't': def->kind = PROBE_TPOINT; break;
	case '-': def->kind = PROBE_DELETE; break;
	default: return probe_parse_fail(p, w->start, PERR_UNKNOWN_TYPE_CHAR);
	}
	while (colon < w->len && s[colon] != ':')
		colon++;
	err = parse_maxactive(p, w->start + 1, w->start + colon);
	if (err)
		return err;
	def->event_pos = w->start + colon;
	if (colon == w->len)
		return 0;
	return parse_names(p, w->start + colon + 1, w->start + w->len);
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
	bool fp = is_fprobe_kind(def->kind);
	char letter = def->kind == PROBE_KRETPROBE ? 'r' : 'p';

	if (!def->group[0])
		strscpy(def->group, fp ? PROBE_DEFAULT_FGROUP : PROBE_DEFAULT_KGROUP, PROBE_NAME_LEN);
	if (def->event[0])
		return;
	if (fp)
		snprintf(def->event, PROBE_NAME_LEN, "%s__%s", def->symbol,
			 def->kind == PROBE_FEXIT ? "exit" : "entry");
	else if (def->symbol[0])
		snprintf(def->event, PROBE_NAME_LEN, "%c_%s_%lu", letter, def->symbol, def->offset);
	else
		snprintf(def->event, PROBE_NAME_LEN, "%c_0x%lx", letter, def->addr);
	sanitize_name(def->event);
}

/* "%return" at @pos: turns p into a kretprobe and f into an fprobe exit. */
static int parse_return_suffix(struct probe_parser *p, int pos, int len)
{
	struct probe_def *def = p->def;

	if (len != 7 || strncmp(p->cmd + pos, "%return", 7) || def->kind == PROBE_TPOINT)
		return probe_parse_fail(p, pos, PERR_BAD_ADDR_SUFFIX);
	if (def->kind == PROBE_KRETPROBE)
		return probe_parse_fail(p, pos, PERR_RETURN_TWICE);
	def->kind = def->kind == PROBE_KPROBE ? PROBE_KRETPROBE : PROBE_FEXIT;
	return 0;
}

/*
 * SYM[+OFFS] of a kprobe, [start, end). As on Linux, a malformed or
 * negative offset, like an unknown symbol, is blamed on the whole word.
 */
static int parse_kprobe_symbol(struct probe_parser *p, int start, int end)
{
	struct probe_def *def = p->def;
	const char *s = p->cmd;
	int sign = start;

	while (sign < end && s[sign] != '+' && s[sign] != '-')
		sign++;
	if (!probe_copy_str(def->symbol, PROBE_SYM_LEN, s + start, sign - start))
		return probe_parse_fail(p, start, PERR_BAD_PROBE_ADDR);
	if (sign < end && (s[sign] == '-' ||
			   probe_read_num(s + sign + 1, end - sign - 1, false, &def->offset) ||
			   def->offset > 0x7fffffffUL))
		return probe_parse_fail(p, start, PERR_BAD_PROBE_ADDR);
	if (probe_resolve_symbol(p, def->symbol, start, (long)def->offset, sign, &def->addr,
				 PERR_BAD_PROBE_ADDR))
		return -EINVAL;
	p->at_entry = !def->offset;
	if (probe_def_is_return(def) && def->offset)
		return probe_parse_fail(p, start, PERR_BAD_RETPROBE);
	return 0;
}

/* Is @sym a glob pattern rather than a name (fib*, fib_?, fib[12])? */
static bool is_glob(const char *sym)
{
	return sym[0] != '!' && strpbrk(sym, "*?[");
}

/* The function (or tracepoint) name of an f: or t: probe, [start, end). */
static int parse_fprobe_symbol(struct probe_parser *p, int start, int end)
{
	struct probe_def *def = p->def;
	const char *s = p->cmd;
	int i;

	if (isdigit((unsigned char)s[start]))
		return probe_parse_fail(p, start, PERR_FPROBE_ADDRESS);
	for (i = start; i < end; i++)
		if (s[i] == '+' || s[i] == '-')
			return probe_parse_fail(p, start, PERR_FPROBE_OFFSET);
	if (!probe_copy_str(def->symbol, PROBE_SYM_LEN, s + start, end - start))
		return probe_parse_fail(p, start, PERR_BAD_PROBE_ADDR);
	p->at_entry = true;
	if (def->kind == PROBE_TPOINT)
		return 0;	/* refused once its arguments are read */
	/* As on Linux, a glob probes every traceable function it matches;
	 * registering refuses one that matches none (trace/trace_fprobe.c). */
	def->glob = is_glob(def->symbol);
	if (def->glob)
		return 0;
	return probe_resolve_symbol(p, def->symbol, start, 0, start, &def->addr,
				    PERR_BAD_PROBE_ADDR);
}

/* Does a symbol start at @addr (a function's first byte, for a probe)? */
static bool symbol_starts_at(unsigned long addr)
{
	struct ksym sym;

	return kallsyms_lookup_addr(addr, &sym, NULL) && sym.addr == addr;
}

/* ADDR of a kprobe, [start, end). */
static int parse_address(struct probe_parser *p, int start, int end)
{
	struct probe_def *def = p->def;

	if (probe_read_num(p->cmd + start, end - start, false, &def->addr))
		return probe_parse_fail(p, start, PERR_BAD_PROBE_ADDR);
	p->at_entry = symbol_starts_at(def->addr);
	if (probe_def_is_return(def) && !p->at_entry)
		return probe_parse_fail(p, start, PERR_BAD_RETPROBE);
	return 0;
}

/*
 * The second word: SYM[+OFFS], ADDR or a function name, with an optional
 * %return, resolved through kallsyms. Once it is known, the default group
 * and event names can be made (they include the symbol). 0 or -EINVAL.
 */
static int parse_point(struct probe_parser *p, const struct probe_word *w)
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
	if ((def->kind == PROBE_FENTRY || def->kind == PROBE_TPOINT) && def->maxactive)
		return probe_parse_fail(p, p->head + 1, PERR_BAD_MAXACT_TYPE);
	def->sym_pos = w->start;
	if (pct == w->start)
		return probe_parse_fail(p, w->start, PERR_NO_PROBE_POINT);
	if (is_fprobe_kind(def->kind))
		err = parse_fprobe_symbol(p, w->start, pct);
	else if (isdigit((unsigned char)s[w->start]))
		err = parse_address(p, w->start, pct);
	else
		err = parse_kprobe_symbol(p, w->start, pct);
	if (!err)
		default_names(def);
	return err;
}

/* ---- the command ---- */

/*
 * Does one of the argument words fetch $retval (not $retvalue)? Linux
 * makes such an f: probe an exit probe, as if it said FUNC%return.
 */
static bool fetches_retval(const struct probe_parser *p, const struct probe_word *w, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		const char *s = p->cmd + w[i].start;

		for (j = 0; j + 7 <= w[i].len; j++) {
			if (strncmp(s + j, "$retval", 7))
				continue;
			if (j + 7 == w[i].len || (!isalnum((unsigned char)s[j + 7]) && s[j + 7] != '_'))
				return true;
		}
	}
	return false;
}

/*
 * Parse the whole command @cmd into @def, looking symbols up in kallsyms.
 * Returns 0, or -EINVAL with @err holding the caret's offset and the
 * message. @def is always wiped first; on error its contents are partial
 * and must not be used. No allocation and no lock: host tests run it over
 * a pretend symbol table (tests/host/kallsyms_host.c).
 */
int probe_parse(const char *cmd, struct probe_def *def, struct probe_error *err)
{
	struct probe_parser p = { .cmd = cmd, .def = def, .err = err };
	struct probe_word w[MAX_WORDS];
	int n, e;

	memset(def, 0, sizeof(*def));
	err->pos = 0;
	err->reason = NULL;
	if (strnlen(cmd, PROBE_CMD_LEN) == PROBE_CMD_LEN)
		return probe_parse_fail(&p, 0, PERR_COMMAND_TOO_LONG);
	n = split_words(cmd, w, MAX_WORDS);
	if (!n)
		return probe_parse_fail(&p, 0, PERR_EMPTY_COMMAND);
	p.head = w[0].start;
	e = parse_head(&p, &w[0]);
	if (e)
		return e;
	if (def->kind == PROBE_DELETE) {
		if (!def->event[0])
			return probe_parse_fail(&p, def->event_pos, PERR_DELETE_NEEDS_NAME);
		def->match_pos = n > 1 ? w[1].start : 0;
		return 0;
	}
	if (n < 2)
		return probe_parse_fail(&p, w[0].start + w[0].len, PERR_NO_PROBE_POINT);
	if (def->kind == PROBE_FENTRY && fetches_retval(&p, &w[2], n - 2))
		def->kind = PROBE_FEXIT;
	e = parse_point(&p, &w[1]);
	if (!e)
		e = probe_parse_args(&p, &w[2], n - 2);
	if (!e && def->kind == PROBE_TPOINT)
		e = probe_parse_fail(&p, def->sym_pos, PERR_NO_TRACEPOINT);
	return e;
}

/* ---- back to text ---- */

/*
 * Write @def back as the command that makes it, group and event always
 * spelt out, as kprobe_events lists it; returns the length it needed
 * (snprintf's convention: compare with @size to see a cut).
 */
int probe_def_show(char *buf, size_t size, const struct probe_def *def)
{
	static const char letters[] = { 'p', 'r', 'f', 'f', '-', 't' };
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
