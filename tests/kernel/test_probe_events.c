// SPDX-License-Identifier: MIT
/*
 * Self-tests of writes to kprobe_events and dynamic_events with several
 * commands at once, which the console's echo cannot type (one line each):
 * a write is carried out whole or not at all, and its commands are checked
 * in order against what the earlier ones will have done. Each case starts
 * and ends with no probe events, and checks kmalloc statistics around it.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/pseudofs.h>
#include <kernel/sched.h>
#include <trace/tracefs.h>
#include <lib/errno.h>
#include <lib/string.h>

#define EVENTS	TRACEFS_PATH "/kprobe_events"
#define DYNAMIC	TRACEFS_PATH "/dynamic_events"

static char listing[1024];

static int write_file(const char *path, const char *text, bool append)
{
	return pfs_write_path(path, text, strlen(text), append);
}

/* The file @path as text ("" when empty). */
static const char *read_file(const char *path)
{
	struct seq_out out = { .buf = listing, .size = sizeof(listing) };

	listing[0] = '\0';
	if (pfs_read_path(path, &out))
		return "(unreadable)";
	listing[out.len < sizeof(listing) ? out.len : sizeof(listing) - 1] = '\0';
	return listing;
}

static void refused_line_keeps_the_lines_before_it_out(struct selftest *t)
{
	struct kmalloc_usage before, after;

	leak_check_start(&before);
	EXPECT_EQ(t, write_file(EVENTS, "p:keep fib\n", true), 0);
	/* The second line is not on an instruction boundary: the first one
	 * must not have been created either, with >> as with >. */
	EXPECT_EQ(t, write_file(EVENTS, "p:one fib\np:two fib+1\n", true), -EINVAL);
	EXPECT_STREQ(t, read_file(EVENTS), "p:kprobes/keep fib\n");
	EXPECT_EQ(t, write_file(EVENTS, "p:one fib\np:two fib+1\n", false), -EINVAL);
	EXPECT_STREQ(t, read_file(EVENTS), "p:kprobes/keep fib\n");
	/* A name used twice in one write, and removing what is not there. */
	EXPECT_EQ(t, write_file(EVENTS, "p:one fib\nr:one fib\n", true), -EEXIST);
	EXPECT_EQ(t, write_file(EVENTS, "-:keep\n-:keep\n", true), -ENOENT);
	EXPECT_STREQ(t, read_file(EVENTS), "p:kprobes/keep fib\n");
	EXPECT_EQ(t, write_file(EVENTS, "", false), 0);
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
}

static void later_lines_see_what_earlier_ones_did(struct selftest *t)
{
	struct kmalloc_usage before, after;

	/* The first kretprobe and fprobe events of a boot leave one object
	 * allocated for good (a second run is even): make them before
	 * counting, so that only what this case does is measured. */
	EXPECT_EQ(t, write_file(DYNAMIC, "r:warm fib\nf:warm2 fib\n", true), 0);
	EXPECT_EQ(t, write_file(DYNAMIC, "", false), 0);
	leak_check_start(&before);
	EXPECT_EQ(t, write_file(EVENTS, "p:keep fib\n", true), 0);
	/* Removed, then made again under the same name; made, then removed. */
	EXPECT_EQ(t, write_file(EVENTS, "-:keep\nr5:keep fib\np:tmp fib\n-:tmp\n", true), 0);
	EXPECT_STREQ(t, read_file(EVENTS), "r5:kprobes/keep fib\n");
	/* `>` removes keep first, so the name is free again. */
	EXPECT_EQ(t, write_file(EVENTS, "p:keep word_count\np:other fib\n", false), 0);
	EXPECT_STREQ(t, read_file(EVENTS), "p:kprobes/keep word_count\np:kprobes/other fib\n");
	/* kprobe_events' `>` leaves fprobe events, whose names stay taken. */
	EXPECT_EQ(t, write_file(DYNAMIC, "f:kprobes/fp fib\n", true), 0);
	EXPECT_EQ(t, write_file(EVENTS, "p:fp fib\n", false), -EEXIST);
	EXPECT_STREQ(t, read_file(DYNAMIC),
		     "p:kprobes/keep word_count\np:kprobes/other fib\nf:kprobes/fp fib\n");
	EXPECT_EQ(t, write_file(DYNAMIC, "", false), 0);
	EXPECT_STREQ(t, read_file(DYNAMIC), "");
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
}

/* Issue 17.2: a second command with an event's name adds a probe point;
 * a point that does not fit is refused; -:EVENT takes every point. */
static void multi_probe_points_come_and_go_together(struct selftest *t)
{
	struct kmalloc_usage before, after;

	/* The boot's first kretprobe keeps an object for good (see below). */
	EXPECT_EQ(t, write_file(EVENTS, "r:warm fib\n", true), 0);
	EXPECT_EQ(t, write_file(EVENTS, "", false), 0);
	leak_check_start(&before);
	EXPECT_EQ(t, write_file(EVENTS, "p:m fib\np:m word_count\n", true), 0);
	EXPECT_EQ(t, write_file(EVENTS, "p:m fib\n", true), -EEXIST);		/* the same again */
	EXPECT_EQ(t, write_file(EVENTS, "r:m fib\n", true), -EEXIST);		/* another kind */
	EXPECT_EQ(t, write_file(EVENTS, "p:m fib+4 x=%di\n", true), -EEXIST);	/* other arguments */
	/* A write that removes the event first may make it anew, of any kind. */
	EXPECT_EQ(t, write_file(EVENTS, "-:m\nr5:m fib\nr5:m word_count\n", true), 0);
	EXPECT_STREQ(t, read_file(EVENTS), "r5:kprobes/m fib\nr5:kprobes/m word_count\n");
	EXPECT_EQ(t, write_file(EVENTS, "-:m\n", true), 0);
	EXPECT_STREQ(t, read_file(EVENTS), "");
	leak_check_end(&before, &after);
	EXPECT_EQ(t, after.objects, before.objects);
}

static struct selftest_case probe_event_cases[] = {
	SELFTEST_CASE(refused_line_keeps_the_lines_before_it_out),
	SELFTEST_CASE(multi_probe_points_come_and_go_together),
	SELFTEST_CASE(later_lines_see_what_earlier_ones_did),
};
SELFTEST_SUITE("probe_events", probe_event_cases);
