// SPDX-License-Identifier: MIT
/*
 * Host tests for trace/probe_multi.c: which commands may add a probe
 * point to an event that exists, and where the caret goes when one may
 * not (Linux's DIFF_PROBE_TYPE, DIFF_ARG_TYPE and SAME_PROBE). The
 * kernel's side - every point of the event, the plan of a write - is
 * tested at the console (tests/e2e/probe_syntax.py, probe_events.py).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "probe_host_env.h"
#include <lib/compiler.h>

static struct probe_def *parse(const char *cmd)
{
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_error err;

	cr_assert_eq(probe_parse(cmd, def, &err), 0, "%s: %s", cmd, err.reason);
	return def;
}

/* Adding @cmd to @old's event: NULL if allowed, else the reason, caret in *@pos. */
static const char *append(const char *old_cmd, const char *cmd, int *pos)
{
	struct probe_def *old = parse(old_cmd), *def = parse(cmd);
	struct probe_error err = { -1, NULL };
	const char *reason = NULL;

	if (probe_def_check_append(old, def, (int)strlen(cmd), &err))
		reason = err.reason;
	else if (probe_def_same_probe(old, def))
		reason = "same", err.pos = 0;
	*pos = err.pos;
	free(old);
	free(def);
	return reason;
}

Test(probe_multi, points_that_may_join)
{
	int pos;

	cr_expect_null(append("p:e fib", "p:e word_count", &pos));
	cr_expect_null(append("p:e fib a=%di", "p:e fib+4 a=%si", &pos));
	cr_expect_null(append("p:e fib a=%di", "p:e fib a=%si", &pos), "same place, other fetch");
	cr_expect_null(append("r:e fib r=$retval", "p:e word_count%return r=$retval", &pos));
	cr_expect_null(append("f:e fib%return", "f:e kfree%return", &pos));
}

Test(probe_multi, points_that_may_not_with_their_carets)
{
	static const struct { const char *old, *cmd, *reason; int pos; } cases[] = {
		{ "p:e fib", "r:e kfree", "Probe type is different from existing probe", 0 },
		{ "f:e fib", "f:e kfree%return", "Probe type is different from existing probe", 0 },
		{ "f:e fib", "p:e kfree", "already used by another event", 0 },
		{ "r:e fib", "f:e kfree%return", "already used by another event", 0 },
		{ "p:e fib abcd=\\1", "p:e fib bcd=\\1", "Argument type or name", 8 },
		{ "p:e fib abcd=\\1", "p:e fib abcd=\\1:u8", "Argument type or name", 8 },
		{ "p:e fib abcd=\\1", "p:e fib abcd=\\\"foo\"", "Argument type or name", 8 },
		{ "p:e fib a=%di", "p:e fib a=%di b=%si", "Argument type or name", 14 },
		{ "p:e fib a=%di b=%si", "p:e fib a=%di", "Argument type or name", 13 },
		{ "p:e fib abcd=\\1", "p:e fib abcd=\\1", "same", 0 },
		{ "p:e fib+4 x=+0(%di):b3@1/8", "p:e fib+4 x=+0(%di):b3@2/8", "Argument type or name", 10 },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int pos;
		const char *reason = append(cases[i].old, cases[i].cmd, &pos);

		cr_expect(reason && strstr(reason, cases[i].reason) && pos == cases[i].pos,
			  "%s after %s: %s at %d, wanted %s at %d", cases[i].cmd, cases[i].old,
			  reason ? reason : "allowed", pos, cases[i].reason, cases[i].pos);
	}
}

/* Does `-:EVENT @pattern` remove the point @cmd made? */
static bool matches(const char *cmd, const char *pattern)
{
	struct probe_def *def = parse(cmd);
	bool m = probe_def_matches(def, pattern);

	free(def);
	return m;
}

Test(probe_multi, points_a_removal_names)
{
	cr_expect(matches("p:m fib a=%di:x32 b=%si", ""));
	cr_expect(matches("p:m fib a=%di:x32 b=%si", "fib"));
	cr_expect(matches("p:m fib a=%di:x32 b=%si", "  fib\ta=%di:x32 "));
	cr_expect(matches("p:m fib a=%di:x32 b=%si", "fib a=%di:x32 b=%si"));
	cr_expect(!matches("p:m fib a=%di:x32 b=%si", "fib a=%di"));	/* as listed: with :x32 */
	cr_expect(!matches("p:m fib a=%di:x32 b=%si", "fib b=%si"));	/* in order */
	cr_expect(!matches("p:m fib a=%di:x32", "fib a=%di:x32 c=%dx"));
	cr_expect(!matches("p:m fib a=%di", "word_count"));
	cr_expect(!matches("p:m fib a=%di", "fib+0"));			/* listed as fib */
	cr_expect(matches("p:m fib+4", "fib+4"));
	cr_expect(!matches("p:m fib+4", "fib"));
	cr_expect(matches("f:m fib%return", "fib"));			/* Linux: the symbol */
	cr_expect(matches("f:m fib%return", "fib%return"));
	cr_expect(matches("f:m fib* n=$arg1", "fib* n=$arg1"));
	cr_expect(matches("p:m fib $arg1", "fib arg1=$arg1"));		/* listed with its name */
}
