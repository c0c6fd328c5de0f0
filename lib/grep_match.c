// SPDX-License-Identifier: MIT
/*
 * grep's pattern matcher (see grep_match.h): a parser that turns the
 * pattern into alternatives of atoms, each atom one character, '.' or a
 * set with how often it may repeat; and a matcher that walks the line
 * once, keeping the set of atoms the match could be at as bits of a u64
 * (Thompson's construction without the graph: with no groups, atom i
 * only ever leads to atom i or i + 1).
 */
#include <lib/grep_match.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/string.h>

enum { GREP_CHAR, GREP_ANY, GREP_SET };
enum { GREP_ONCE, GREP_STAR, GREP_PLUS, GREP_OPT };

struct parser {
	struct grep_pattern *p;
	const char *s;		/* what is left of the pattern */
	bool extended;
	const char *err;
};

static void set_add(u8 *set, unsigned c)
{
	set[c / 8] |= 1U << (c % 8);
}

static bool set_has(const u8 *set, unsigned c)
{
	return set[c / 8] & (1U << (c % 8));
}

static bool in_named_class(const char *name, size_t len, int c)
{
#define CLASS(n, test) if (len == sizeof(n) - 1 && !strncmp(name, n, len)) return test
	CLASS("digit", isdigit(c));
	CLASS("alpha", isalpha(c));
	CLASS("alnum", isalnum(c));
	CLASS("space", isspace(c));
	CLASS("upper", isupper(c));
	CLASS("lower", islower(c));
	CLASS("punct", ispunct(c));
	CLASS("xdigit", isxdigit(c));
#undef CLASS
	return false;
}

/* "[:name:]" at @ps->s inside a set: add its members. */
static bool parse_named_class(struct parser *ps, u8 *set)
{
	const char *name = ps->s + 2, *end = strstr(name, ":]");
	unsigned members = 0;
	int c;

	for (c = 0; end && c < 256; c++)
		if (in_named_class(name, end - name, c)) {
			set_add(set, c);
			members++;
		}
	if (!members) {		/* an unknown name has none */
		ps->err = "unknown character class (try [:digit:], [:alpha:], [:space:] ...)";
		return false;
	}
	ps->s = end + 2;
	return true;
}

/* A bracket expression; @ps->s is just past the '['. */
static bool parse_set(struct parser *ps, u8 *set)
{
	bool negate = *ps->s == '^', first = true;
	unsigned c;

	memset(set, 0, 32);
	if (negate)
		ps->s++;
	while (*ps->s && (first || *ps->s != ']')) {
		unsigned lo = (unsigned char)*ps->s, hi = lo;

		first = false;
		if (ps->s[0] == '[' && ps->s[1] == ':') {
			if (!parse_named_class(ps, set))
				return false;
			continue;
		}
		if (ps->s[1] == '-' && ps->s[2] && ps->s[2] != ']') {
			hi = (unsigned char)ps->s[2];
			ps->s += 2;
		}
		ps->s++;
		for (c = lo; c <= hi; c++)
			set_add(set, c);
	}
	if (*ps->s != ']') {
		ps->err = "Unmatched [, [^, [:, [., or [=";
		return false;
	}
	ps->s++;
	/* -i: fold the set before negating it, so that [^a] refuses A too. */
	if (ps->p->icase)
		for (c = 0; c < 256; c++)
			if (isalpha(c) && set_has(set, c))
				set_add(set, isupper(c) ? tolower(c) : toupper(c));
	if (negate)
		for (c = 0; c < 32; c++)
			set[c] = ~set[c];
	return true;
}

/* Is @ps->s at an operator of this dialect (+ ? | bare in -E, \+ \? \| in basic)? */
static bool at_op(const struct parser *ps, char op)
{
	if (ps->extended)
		return ps->s[0] == op;
	return ps->s[0] == '\\' && ps->s[1] == op;
}

static void skip_op(struct parser *ps)
{
	ps->s += ps->extended ? 1 : 2;
}

/* Refuse what this subset leaves out, rather than match it wrongly. */
static bool unsupported(struct parser *ps)
{
	const char *s = ps->s;

	if ((ps->extended && (*s == '(' || *s == ')' || *s == '{')) ||
	    (!ps->extended && *s == '\\' && (s[1] == '(' || s[1] == ')' || s[1] == '{'))) {
		ps->err = "groups ( ) and counts { } are not supported";
		return true;
	}
	return false;
}

/* One atom: a character, '.', a set, or an escaped character. */
static bool parse_atom(struct parser *ps, struct grep_atom *a)
{
	a->repeat = GREP_ONCE;
	if (*ps->s == '.') {
		a->kind = GREP_ANY;
		ps->s++;
	} else if (*ps->s == '[') {
		if (ps->p->nsets == GREP_MAX_SETS) {
			ps->err = "too many [sets] in the pattern";
			return false;
		}
		ps->s++;
		a->kind = GREP_SET;
		a->c = ps->p->nsets;
		if (!parse_set(ps, ps->p->sets[ps->p->nsets++]))
			return false;
	} else {
		if (*ps->s == '\\') {
			if (!*++ps->s) {
				ps->err = "Trailing backslash";
				return false;
			}
		}
		a->kind = GREP_CHAR;
		a->c = (u8)*ps->s++;
	}
	return true;
}

static void parse_repeat(struct parser *ps, struct grep_atom *a)
{
	for (;;) {
		if (*ps->s == '*') {
			ps->s++;
			a->repeat = GREP_STAR;
		} else if (at_op(ps, '+')) {
			skip_op(ps);
			a->repeat = a->repeat == GREP_ONCE ? GREP_PLUS : GREP_STAR;
		} else if (at_op(ps, '?')) {
			skip_op(ps);
			a->repeat = a->repeat == GREP_ONCE ? GREP_OPT : GREP_STAR;
		} else {
			return;
		}
	}
}

/* One alternative, up to a '|' or the end. */
static bool parse_alt(struct parser *ps, struct grep_alt *alt)
{
	memset(alt, 0, sizeof(*alt));
	if (*ps->s == '^') {
		alt->at_start = true;
		ps->s++;
	}
	/* A leading '*' is an ordinary character, as in POSIX basic patterns. */
	while (*ps->s && !at_op(ps, '|')) {
		struct grep_atom *a;

		if (ps->s[0] == '$' && (!ps->s[1] || (ps->extended ? ps->s[1] == '|' :
						      ps->s[1] == '\\' && ps->s[2] == '|'))) {
			alt->at_end = true;
			ps->s++;
			break;
		}
		if (unsupported(ps))
			return false;
		if (alt->n == GREP_MAX_ATOMS) {
			ps->err = "pattern too long";
			return false;
		}
		a = &alt->atoms[alt->n++];
		if (!parse_atom(ps, a))
			return false;
		parse_repeat(ps, a);
	}
	return true;
}

int grep_compile(struct grep_pattern *p, const char *pattern, unsigned flags, const char **err)
{
	struct parser ps = { .p = p, .s = pattern, .extended = flags & GREP_EXTENDED };

	p->nalts = 0;
	p->nsets = 0;
	p->icase = flags & GREP_ICASE;
	for (;;) {
		if (p->nalts == GREP_MAX_ALTS) {
			ps.err = "too many | alternatives";
			break;
		}
		if (!parse_alt(&ps, &p->alts[p->nalts++]))
			break;
		if (!*ps.s) {
			*err = NULL;
			return 0;
		}
		skip_op(&ps);		/* the '|' */
	}
	*err = ps.err;
	return -EINVAL;
}

static bool atom_matches_one(const struct grep_pattern *p, const struct grep_atom *a, unsigned c)
{
	if (a->kind == GREP_ANY)
		return true;
	if (a->kind == GREP_SET)
		return set_has(p->sets[a->c], c);
	return a->c == c;
}

static bool atom_matches(const struct grep_pattern *p, const struct grep_atom *a, unsigned char c)
{
	if (atom_matches_one(p, a, c))
		return true;
	/* Sets were folded when compiled (parse_set()). */
	return p->icase && a->kind == GREP_CHAR && isalpha(c) &&
	       atom_matches_one(p, a, isupper(c) ? (unsigned)tolower(c) : (unsigned)toupper(c));
}

/* Add the atoms reachable without reading a character: past x* and x?. */
static u64 closure(const struct grep_alt *alt, u64 set)
{
	unsigned i;

	for (i = 0; i < alt->n; i++)
		if ((set & (1ULL << i)) && (alt->atoms[i].repeat == GREP_STAR ||
					   alt->atoms[i].repeat == GREP_OPT))
			set |= 1ULL << (i + 1);
	return set;
}

/* Where the match can be after reading @c from the positions in @set. */
static u64 step(const struct grep_pattern *p, const struct grep_alt *alt, u64 set,
		unsigned char c)
{
	u64 next = 0;
	unsigned i;

	for (i = 0; i < alt->n; i++) {
		const struct grep_atom *a = &alt->atoms[i];

		if (!(set & (1ULL << i)) || !atom_matches(p, a, c))
			continue;
		next |= 1ULL << (i + 1);
		if (a->repeat == GREP_STAR || a->repeat == GREP_PLUS)
			next |= 1ULL << i;
	}
	return closure(alt, next);
}

static bool alt_match(const struct grep_pattern *p, const struct grep_alt *alt, const char *line,
		      size_t len)
{
	u64 done = 1ULL << alt->n, start = closure(alt, 1), set = start;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((set & done) && !alt->at_end)
			return true;
		set = step(p, alt, set, (unsigned char)line[i]);
		/* Unanchored: a match may also begin at the next character. */
		if (!alt->at_start)
			set |= start;
		if (!set)
			return false;
	}
	return set & done;
}

bool grep_match(const struct grep_pattern *p, const char *line, size_t len)
{
	unsigned i;

	for (i = 0; i < p->nalts; i++)
		if (alt_match(p, &p->alts[i], line, len))
			return true;
	return false;
}
