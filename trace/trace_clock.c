// SPDX-License-Identifier: MIT
/*
 * trace_clock: which clock stamps the trace records. Reading it lists
 * the clocks Linux 6.12 offers on x86-64 with the current one in
 * brackets; writing a name switches, and empties the trace buffers (and
 * the snapshot), whose stamps would not compare any more:
 *
 *	loupe> cat trace_clock
 *	[local] global counter uptime perf mono mono_raw boot tai x86-tsc
 *	loupe> echo counter > trace_clock
 *
 * Loupe has one time source, the TSC, which its CPUs share; so local,
 * global, perf, mono, mono_raw, boot and tai are the same nanosecond
 * clock here (Linux's differ in how they keep CPUs in step and in their
 * origin). counter, uptime and x86-tsc are what their names say (see
 * trace_clock.h). An unknown name is refused with EINVAL.
 */
#include <trace/trace_clock.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>

int trace_clock_kind = TRACE_CLOCK_TSC_NS;
u64 trace_clock_counter;

static const struct {
	const char *name;
	enum trace_clock_kind kind;
} clocks[] = {
	{ "local", TRACE_CLOCK_TSC_NS },
	{ "global", TRACE_CLOCK_TSC_NS },
	{ "counter", TRACE_CLOCK_COUNTER },
	{ "uptime", TRACE_CLOCK_UPTIME },
	{ "perf", TRACE_CLOCK_TSC_NS },
	{ "mono", TRACE_CLOCK_TSC_NS },
	{ "mono_raw", TRACE_CLOCK_TSC_NS },
	{ "boot", TRACE_CLOCK_TSC_NS },
	{ "tai", TRACE_CLOCK_TSC_NS },
	{ "x86-tsc", TRACE_CLOCK_TSC_RAW },
};

#define NR_CLOCKS	(ARRAY_SIZE(clocks))

static unsigned current_clock;		/* index into clocks[] */

/* A record's time column: "seconds.microseconds: " for the clocks that
 * count time, the raw count for counter and x86-tsc, as Linux prints. */
void trace_clock_print_ts(struct seq_out *s, u64 ts)
{
	u64 us = trace_ts_usecs(ts);

	if (!trace_clock_in_ns()) {
		seq_printf(s, "%12llu: ", (unsigned long long)ts);
		return;
	}
	seq_printf(s, "%5llu.%06llu: ", (unsigned long long)(us / TRACE_USEC_PER_SEC),
		   (unsigned long long)(us % TRACE_USEC_PER_SEC));
}

static int trace_clock_show(struct seq_out *s, void *data __always_unused)
{
	unsigned i;

	for (i = 0; i < NR_CLOCKS; i++)
		seq_printf(s, i == current_clock ? "%s[%s]" : "%s%s", i ? " " : "", clocks[i].name);
	seq_puts(s, "\n");
	return 0;
}

/*
 * Switch to the clock @text names, then empty the buffers: a record is
 * stamped by the clock current when it was written, and read by the one
 * current when it is printed.
 */
static int trace_clock_write(const char *text, size_t len, bool append __always_unused,
			     void *data __always_unused)
{
	char name[16];
	unsigned i;

	if (tracefs_get_word(text, len, name, sizeof(name)))
		return -EINVAL;
	for (i = 0; i < NR_CLOCKS && strcmp(name, clocks[i].name); i++)
		;
	if (i == NR_CLOCKS)
		return -EINVAL;
	current_clock = i;
	WRITE_ONCE(trace_clock_kind, clocks[i].kind);
	ring_buffer_reset(trace_buffer);
	trace_snapshot_reset();
	return 0;
}

static const struct pfs_file_ops trace_clock_ops = {
	.show = trace_clock_show, .write = trace_clock_write };

void trace_clock_init(struct pfs_node *tracefs)
{
	pfs_create_file(tracefs, "trace_clock", true, &trace_clock_ops, NULL);
}
