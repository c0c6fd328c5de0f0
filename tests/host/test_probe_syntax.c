// SPDX-License-Identifier: MIT
/*
 * Linux's own syntax-error checks of probe events, against the parser:
 * every line of tests/probe_syntax_errors.tbl (kprobe_syntax_errors.tc and
 * fprobe_syntax_errors.tc of Linux 6.12, transcribed) must be refused with
 * Linux's message and the caret where Linux puts it. The README guards
 * are read from the README Loupe's tracefs serves, as ftracetest greps
 * Linux's. Lines whose error only the kernel can find (registering,
 * events already there) are left to the console scenario,
 * tests/e2e/probe_syntax.py.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_host_env.h"
#include <trace/tracefs_readme.h>

#define TABLE	"tests/probe_syntax_errors.tbl"

struct check {
	char *source, *guard, *cls, *cmd, *message;
};

/* Split @line at tabs into @c; false for a comment or a short line. */
static bool split(char *line, struct check *c)
{
	char **f[] = { &c->source, &c->guard, &c->cls, &c->cmd, &c->message };
	unsigned i;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || !line[0])
		return false;
	for (i = 0; i < 5; i++) {
		*f[i] = line;
		line = strchr(line, '\t');
		if (!line && i < 4)
			return false;
		if (line)
			*line++ = '\0';
	}
	return true;
}

/* Does README have what @guard asks ("-": always)? */
static bool guard_holds(const char *guard)
{
	if (!strcmp(guard, "-"))
		return true;
	if (guard[0] == '!')
		return !strstr(tracefs_readme, guard + 1);
	return strstr(tracefs_readme, guard) != NULL;
}

/* Parse @c's command (its ^ taken out); true if refused as the table says. */
static bool run_check(const struct check *c)
{
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_error err = { -1, NULL };
	char cmd[512];
	int pos = (int)(strrchr(c->cmd, '^') - c->cmd), i, n = 0, ret;
	bool ok;

	for (i = 0; c->cmd[i]; i++)
		if (c->cmd[i] != '^')
			cmd[n++] = c->cmd[i];
	cmd[n] = '\0';
	ret = probe_parse(cmd, def, &err);
	ok = ret == -22 && err.reason && !strcmp(err.reason, c->message) && err.pos == pos;
	cr_expect(ok, "%s (%s): wanted \"%s\" at %d, got %s \"%s\" at %d", cmd, c->cls, c->message,
		  pos, ret ? "refused:" : "accepted", err.reason ? err.reason : "", err.pos);
	free(def);
	return ok;
}

Test(probe_syntax, linux_check_error_lines)
{
	FILE *f = fopen(TABLE, "r");
	unsigned passed = 0, total = 0, kernel = 0, guarded = 0;
	struct check c;
	char line[512];

	cr_assert(f, "%s: run from the top of the tree", TABLE);
	while (fgets(line, sizeof(line), f)) {
		size_t len;

		if (!split(line, &c))
			continue;
		len = strlen(c.source);
		if (c.source[len - 1] == '>')
			continue;			/* a write, not a check */
		total++;
		if (c.source[len - 1] == '*')
			kernel++;
		else if (!guard_holds(c.guard))
			guarded++;
		else
			passed += run_check(&c);
	}
	fclose(f);
	cr_log_info("probe syntax: %u of %u check lines pass on the host parser, %u need the "
		    "kernel, %u do not apply (README)", passed, total, kernel, guarded);
	cr_expect_eq(passed + kernel + guarded, total);
	cr_expect_gt(passed, 0);
}
