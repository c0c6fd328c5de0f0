// SPDX-License-Identifier: MIT
/*
 * The self-test runner: walks the .selftests section and prints KTAP
 * version 1, one subtest per suite, so a runner on the host can tell
 * exactly which case failed and why.
 */
#include <kernel/selftest.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <kernel/time.h>
#include <lib/errno.h>
#include <lib/glob.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <stdarg.h>

extern const struct selftest_suite *const __start_selftests[], *const __stop_selftests[];

/*
 * Record a failed check of case @t (the SELFTEST_* macros call this with
 * their file and line) and print it as a KTAP diagnostic line. The case
 * goes on, so one run shows every check that fails. Context: the test.
 */
void selftest_fail(struct selftest *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_printf("        # %s: %s:%d: %s\n", t->name, file, line, msg);
	t->failures++;
}

/* Mark @t skipped with @reason (what it lacked to run); a failure
 * recorded before or after still makes it "not ok". */
void selftest_skip(struct selftest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

/* Run one case and print its KTAP line ("ok N name", "not ok", or
 * "# SKIP reason") with its time. True if it passed or was skipped. */
static bool run_case(const struct selftest_case *c, unsigned index)
{
	struct selftest t = { .name = c->name };
	u64 start = clock_ns();

	c->fn(&t);
	if (t.skipped && !t.failures) {
		console_printf("    ok %u %s # SKIP %s\n", index, c->name, t.skip_reason);
		return true;
	}
	console_printf("    # %s: %llu us\n", c->name,
		       (unsigned long long)((clock_ns() - start) / NSEC_PER_USEC));
	console_printf("    %s %u %s\n", t.failures ? "not ok" : "ok", index, c->name);
	return !t.failures;
}

/* Does case @c of a suite pass the filter (NULL: every case)? */
static bool case_wanted(const struct selftest_case *c, const char *case_glob)
{
	return !case_glob || glob_match(case_glob, c->name);
}

/* How many cases of @s the filter keeps. */
static unsigned cases_wanted(const struct selftest_suite *s, const char *case_glob)
{
	unsigned i, n = 0;

	for (i = 0; i < s->n_cases; i++)
		n += case_wanted(&s->cases[i], case_glob);
	return n;
}

/* Run the cases of @s that @case_glob keeps. Returns the number of
 * failed cases; *stopped is set on Ctrl-C. */
static int run_suite(const struct selftest_suite *s, const char *case_glob, unsigned index,
		     bool *stopped)
{
	unsigned i, n = 0, failed = 0;

	console_printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name,
		       cases_wanted(s, case_glob));
	for (i = 0; i < s->n_cases; i++) {
		if (!case_wanted(&s->cases[i], case_glob))
			continue;
		if (console_break_pending()) {
			*stopped = true;
			console_printf("    # interrupted by Ctrl-C\n");
			failed++;
			break;
		}
		if (!run_case(&s->cases[i], ++n))
			failed++;
	}
	console_printf("%s %u %s\n", failed ? "not ok" : "ok", index, s->name);
	return failed;
}

/*
 * Does suite @s pass the filter? @filter is NULL (every suite), a suite
 * name, or SUITE.CASE where CASE is a glob over the suite's case names
 * (as kunit's filter_glob); *case_glob is set to that CASE part or NULL.
 */
static bool suite_wanted(const struct selftest_suite *s, const char *filter, const char **case_glob)
{
	const char *dot;
	size_t len;

	*case_glob = NULL;
	if (!filter)
		return true;
	dot = strchr(filter, '.');
	len = dot ? (size_t)(dot - filter) : strlen(filter);
	if (strlen(s->name) != len || strncmp(s->name, filter, len))
		return false;
	if (dot)
		*case_glob = dot + 1;
	return cases_wanted(s, *case_glob) > 0;
}

/*
 * Run every suite (@filter NULL), the one named, or the cases SUITE.GLOB
 * names, as a KTAP document: a plan, then one nested subtest per suite.
 * Ctrl-C stops after the case that runs. Returns the number of failed
 * cases, or -ENOENT if nothing matches. Context: a thread (cases may sleep).
 */
int selftest_run(const char *filter)
{
	const struct selftest_suite *const *pp;
	const char *case_glob;
	unsigned n = 0, index = 0, cases = 0;
	int failed = 0;
	bool stopped = false;

	for (pp = __start_selftests; pp < __stop_selftests; pp++)
		n += suite_wanted(*pp, filter, &case_glob);
	if (!n)
		return -ENOENT;
	console_printf("KTAP version 1\n1..%u\n", n);
	for (pp = __start_selftests; pp < __stop_selftests && !stopped; pp++) {
		if (!suite_wanted(*pp, filter, &case_glob))
			continue;
		failed += run_suite(*pp, case_glob, ++index, &stopped);
		cases += cases_wanted(*pp, case_glob);
	}
	console_printf("# selftest: %u cases, %d failed\n", cases, failed);
	return failed;
}

/* selftest [-l | SUITE[.CASE-GLOB]]: failures are in the KTAP text, so the
 * command itself succeeds once the suites ran. */
static int cmd_selftest(int argc, char **argv)
{
	const struct selftest_suite *const *pp;
	int r;

	if (argc > 2)
		return -EINVAL;
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (pp = __start_selftests; pp < __stop_selftests; pp++)
			console_printf("%s (%u cases)\n", (*pp)->name, (*pp)->n_cases);
		return 0;
	}
	r = selftest_run(argc == 2 ? argv[1] : NULL);
	if (r == -ENOENT) {
		shell_err("selftest: no suite or case matches '%s' (selftest -l lists the suites)\n",
			  argv[1]);
		return 1;	/* said why: no errno line after it */
	}
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "selftest", "[-l | SUITE[.CASE]]",
	      "run the in-kernel self-tests (KTAP output); CASE may be a glob", cmd_selftest);
