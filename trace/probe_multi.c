// SPDX-License-Identifier: MIT
/*
 * Multi-probe events: a command that names an event that exists adds
 * another probe point to it (Linux's "append"), so one event - one
 * events/ directory, one id, one enable switch - records hits at several
 * places. Each point is listed on its own line of kprobe_events and
 * dynamic_events; `-:EVENT` removes them all, `-:EVENT PLACE [FETCHES]`
 * the points that match.
 *
 * The points of one event share the record's layout, so a new point must
 * be of the same kind (p, r, f or f%return; a kprobe event's name is not
 * free for an fprobe event, nor the other way round) and carry the same argument
 * names and types; the fetches themselves may differ, and so may the
 * places, but not both: the same place with the same fetches would record
 * every hit twice. This file holds those rules, as Linux words them; the
 * kernel side (trace/probe_events.c) applies them against every point the
 * event has.
 */
#include <trace/probe.h>
#include <trace/probe_errors.h>
#include <lib/errno.h>
#include <lib/string.h>

static bool same_type(const struct probe_type *a, const struct probe_type *b)
{
	return a->kind == b->kind && a->size == b->size && a->count == b->count &&
	       a->bit_width == b->bit_width && a->bit_shift == b->bit_shift;
}

static bool is_fprobe(u8 kind)
{
	return kind == PROBE_FENTRY || kind == PROBE_FEXIT;
}

static int refuse(struct probe_error *err, int pos, const char *reason)
{
	err->pos = pos;
	err->reason = reason;
	return -EINVAL;
}

/*
 * May @def add a point to the event whose first point is @old? The same
 * kind, and the same argument names and types in the same order, as
 * Linux asks. Returns 0, or -EINVAL with the caret in @err: at the first
 * argument that differs, or at the end of the command (@cmd_len) when
 * @def has fewer.
 */
int probe_def_check_append(const struct probe_def *old, const struct probe_def *def, int cmd_len,
			   struct probe_error *err)
{
	int i;

	if (is_fprobe(old->kind) != is_fprobe(def->kind))
		return refuse(err, 0, PERR_EVENT_EXIST);	/* a kprobe's name on an fprobe */
	if (old->kind != def->kind)
		return refuse(err, 0, PERR_DIFF_PROBE_TYPE);
	for (i = 0; i < old->nargs || i < def->nargs; i++) {
		const struct probe_arg *a = &old->args[i], *b = &def->args[i];

		if (i >= def->nargs)	/* one is missing: the caret after the last */
			return refuse(err, cmd_len, PERR_DIFF_ARG_TYPE);
		if (i >= old->nargs || strcmp(a->name, b->name) || !same_type(&a->type, &b->type))
			return refuse(err, b->pos, PERR_DIFF_ARG_TYPE);
	}
	return 0;
}

/* Would @b repeat @a: the same kind, address and fetch texts? Linux
 * refuses such a point as "the same probe". */
bool probe_def_same_probe(const struct probe_def *a, const struct probe_def *b)
{
	int i;

	if (a->kind != b->kind || a->addr != b->addr || a->nargs != b->nargs || a->glob != b->glob)
		return false;
	if (a->glob && strcmp(a->symbol, b->symbol))
		return false;
	for (i = 0; i < a->nargs; i++)
		if (strcmp(a->args[i].text, b->args[i].text))
			return false;
	return true;
}

/* The next blank-separated word of *@s, [*start, *start + len); 0 at the end. */
static size_t next_word(const char **s, const char **start)
{
	const char *p = *s;

	while (*p == ' ' || *p == '\t')
		p++;
	*start = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*s = p;
	return (size_t)(p - *start);
}

/* Is @word (@len bytes) the place @listed, or @listed without %return? */
static bool same_place(const char *word, size_t len, const char *listed, size_t llen)
{
	if (len == llen && !strncmp(word, listed, len))
		return true;
	return llen > 7 && len == llen - 7 && !strncmp(listed + len, "%return", 7) &&
	       !strncmp(word, listed, len);
}

bool probe_def_matches(const struct probe_def *def, const char *pattern)
{
	char line[PROBE_CMD_LEN * 2];
	const char *l = line, *want, *have;
	size_t wlen, hlen;
	bool place = true;

	probe_def_show(line, sizeof(line), def);
	next_word(&l, &have);			/* p:GROUP/EVENT */
	while ((wlen = next_word(&pattern, &want))) {
		hlen = next_word(&l, &have);
		if (!hlen)
			return false;		/* more fetches than the point has */
		if (place ? !same_place(want, wlen, have, hlen) :
			    wlen != hlen || strncmp(want, have, wlen))
			return false;
		place = false;
	}
	return true;
}
