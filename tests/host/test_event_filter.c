// SPDX-License-Identifier: MIT
/*
 * Host tests for the event-filter language (trace/event_filter_parse.c,
 * trace/event_filter.c): what each operator and combination selects on a
 * record laid out as a kprobe event's, and every error class with the
 * message and caret Linux gives it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <trace/event_filter.h>
#include <lib/compiler.h>

/* A p: event's record: fib n=$arg1:s32 c=..:char x=..:x16 s=..:string a=..:u32[2] y=..:u64 */
static const struct filter_field fields[] = {
	{ "common_type", FILTER_FIELD_NUM, 2, false, 0, 0 },
	{ "common_flags", FILTER_FIELD_NUM, 1, false, 2, 0 },
	{ "common_preempt_count", FILTER_FIELD_NUM, 1, false, 3, 0 },
	{ "common_pid", FILTER_FIELD_NUM, 4, true, 4, 0 },
	{ "__probe_ip", FILTER_FIELD_NUM, 8, false, 8, 0 },
	{ "n", FILTER_FIELD_NUM, 4, true, 16, 0 },
	{ "c", FILTER_FIELD_NUM, 1, false, 20, 0 },
	{ "x", FILTER_FIELD_NUM, 2, false, 21, 0 },
	{ "s", FILTER_FIELD_STRLOC, 4, true, 23, 16 },
	{ "a", FILTER_FIELD_OTHER, 8, false, 27, 0 },
	{ "y", FILTER_FIELD_NUM, 8, false, 35, 0 },
	{ "comm", FILTER_FIELD_COMM, 0, false, 0, 0 },
	{ "COMM", FILTER_FIELD_COMM, 0, false, 0, 0 },
	{ "cpu", FILTER_FIELD_CPU, 4, false, 0, 0 },
	{ "CPU", FILTER_FIELD_CPU, 4, false, 0, 0 },
};
#define NFIELDS ((int)ARRAY_SIZE(fields))

static unsigned char rec[64];
static const struct filter_ctx ctx = { .comm = "fib", .cpu = 1 };

static void put(unsigned off, unsigned long long v, unsigned size)
{
	memcpy(rec + off, &v, size);
}

/* The record: type 1000, pid 42, ip 0x1234, n -3, c 'a', x 0x1f, s "kernel". */
static void make_record(void)
{
	memset(rec, 0, sizeof(rec));
	put(0, 1000, 2);
	put(4, 42, 4);
	put(8, 0x1234, 8);
	put(16, (unsigned)-3, 4);
	put(20, 'a', 1);
	put(21, 0x1f, 2);
	put(23, (27u << 16) | 7, 4);		/* "kernel" at 16 + 27 = 43 */
	put(27, 0x0000000200000001ULL, 8);
	put(35, 0xffffffff81000000ULL, 8);
	memcpy(rec + 43, "kernel", 7);
}

static bool matches(const char *text)
{
	struct event_filter *f = calloc(1, sizeof(*f));
	struct filter_error err = { -1, NULL };
	int ret = event_filter_parse(text, fields, NFIELDS, f, &err);
	bool hit;

	cr_assert_eq(ret, 0, "'%s' refused at %d: %s", text, err.pos, err.reason);
	hit = event_filter_match(f, rec, 50, &ctx);
	free(f);
	return hit;
}

static const struct { const char *text; bool want; } cases[] = {
	{ "n == -3", true }, { "n < 0", true }, { "n > -4", true }, { "n >= -3", true },
	{ "n <= -4", false }, { "n != -3", false }, { "n==-3", true },
	{ "x & 0x10", true }, { "x & 0x20", false }, { "x == 31", true }, { "x == 037", true },
	{ "c == 97", true }, { "c == 353", true },	/* cut to the field's u8, as Linux */
	{ "s == \"kernel\"", true }, { "s == 'kern'", false }, { "s ~ \"ker*\"", true },
	{ "s ~ \"*nel\"", true }, { "s ~ 'k?rn[e]l'", true }, { "s ~ \"!ker*\"", false },
	{ "s != \"x\"", true }, { "s ~ \"*x*\"", false },
	{ "comm == \"fib\"", true }, { "COMM ~ \"f*\"", true }, { "cpu == 1", true }, { "CPU != 1", false },
	{ "common_pid == 42 && n < 0", true }, { "common_pid == 1 || n < 0", true },
	{ "!(common_pid == 42)", false }, { "!common_pid == 42", false }, { "!!(n == -3)", true },
	{ "common_pid == 1 || n < 0 && x == 0", false },	/* && binds tighter */
	{ "(common_pid == 1 || n < 0) && x == 31", true },
	{ "  ( (n < 0) ) ", true }, { "n == 1 || n == 2 || n == -3", true },
	{ "!(n == 1 || x == 2) && !(c == 1)", true },
	{ "y == 0xffffffff81000000", true }, { "y > 0x8000000000000000", true },
	{ "common_type == 1000", true }, { "__probe_ip == 0x1234", true },
	{ "common_flags == 0 && common_preempt_count == 0", true },
};

Test(event_filter, every_operator_and_combination)
{
	unsigned i;

	make_record();
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		cr_expect_eq(matches(cases[i].text), cases[i].want, "'%s' should %smatch", cases[i].text,
			     cases[i].want ? "" : "not ");
}

Test(event_filter, damaged_string_compares_as_empty)
{
	make_record();
	put(23, (200u << 16) | 7, 4);		/* past the record */
	cr_expect(matches("s == \"\""));
	cr_expect(!matches("s ~ \"k*\""));
}

/* Each bad filter, the caret under it (as error_log draws it) and Linux's message. */
static const struct { const char *text, *caret, *reason; } bad[] = {
	{ "b", "  ^", "Field not found" },
	{ "nosuch == 1", "       ^", "Field not found" },
	{ "common_pid=0", "           ^", "Invalid operator" },
	{ "common_pid==b", "             ^", "Invalid value (did you forget quotes)?" },
	{ "common_pid == child_pid", "               ^", "Invalid value (did you forget quotes)?" },
	{ "n < \"x\"", "     ^", "Illegal operation for field type" },
	{ "n == \"x\"", "      ^", "Expecting numeric field" },
	{ "s == 1", "      ^", "Expecting string field" },
	{ "n ~ 1", "     ^", "Illegal operation for field type" },
	{ "s > \"a\"", "     ^", "Illegal operation for field type" },
	{ "a == 1", "   ^", "Illegal operation for field type" },	/* an array */
	{ "n == 12q", "      ^", "Illegal integer value" },
	{ "x == 0x", "      ^", "Illegal integer value" },
	{ "c == -1", "      ^", "Illegal integer value" },
	{ "n == 123456789012345678901234", "                              ^", "Operand too long" },
	{ "(n == 1", "^", "Too many '('" },
	{ "n == 1 || ((x == 1)", "          ^", "Too many '('" },
	{ "n == 1)", "      ^", "Too few '('" },
	{ "s == \"abc", "     ^", "Missing matching quote" },
	{ "n == 1 n == 2", "       ^", "Too many terms in predicate expression" },
	{ "(n == 1) x", "         ^", "Too many terms in predicate expression" },
	{ "n == 1 &&", "         ^", "Meaningless filter expression" },
	{ "&& n == 1", "^", "Meaningless filter expression" },
	{ "n == 1 || (x == 2 && )", "                     ^", "Meaningless filter expression" },
	{ "!", " ^", "No filter found" },		/* Linux's, as for "!!!" */
	{ "!!!", "   ^", "No filter found" },
	{ "", "^", "No filter expression" },
	{ "()", "^", "No filter expression" },
};

Test(event_filter, every_error_with_its_caret)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct event_filter *f = calloc(1, sizeof(*f));
		struct filter_error err = { -1, NULL };
		int ret = event_filter_parse(bad[i].text, fields, NFIELDS, f, &err);

		cr_expect_eq(ret, -22, "'%s' was accepted", bad[i].text);
		if (ret) {
			cr_expect(err.reason && strstr(err.reason, bad[i].reason),
				  "'%s': reason '%s', wanted '%s'", bad[i].text, err.reason, bad[i].reason);
			cr_expect_eq(err.pos, (int)strlen(bad[i].caret) - 1, "'%s' (%s): caret at %d, wanted %zu",
				     bad[i].text, err.reason, err.pos, strlen(bad[i].caret) - 1);
		}
		free(f);
	}
}

Test(event_filter, too_many_terms_and_too_long)
{
	char text[FILTER_TEXT_MAX + 8];
	struct event_filter *f = calloc(1, sizeof(*f));
	struct filter_error err;
	int i, n = 0;

	for (i = 0; i <= FILTER_MAX_TERMS; i++)
		n += sprintf(text + n, "%sc==%d", i ? "||" : "", i % 10);
	cr_assert_lt(n, FILTER_TEXT_MAX);
	cr_expect_eq(event_filter_parse(text, fields, NFIELDS, f, &err), -22, "%d terms accepted: %s",
		     FILTER_MAX_TERMS + 1, text);
	cr_expect_str_eq(err.reason, "Too many terms in predicate expression");
	memset(text, ' ', sizeof(text));
	strcpy(text + FILTER_TEXT_MAX - 6, "c == 1");	/* 256 bytes in all, blanks first */
	cr_expect_eq(event_filter_parse(text, fields, NFIELDS, f, &err), -22);
	cr_expect(strstr(err.reason, "too long") != NULL, "%s", err.reason);
	text[0] = '\0';
	strcpy(text, "c == 1\n\n   ");	/* trailing blanks do not count */
	cr_expect_eq(event_filter_parse(text, fields, NFIELDS, f, &err), 0);
	cr_expect_str_eq(f->text, "c == 1");
	free(f);
}
