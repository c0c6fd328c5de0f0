// SPDX-License-Identifier: MIT
/*
 * The header above a trace's records, as Linux 6.12 prints it: the
 * counts of the buffer and the CPUs (print_event_info), the legend of
 * the columns with and without irq-info, and latency-format's block and
 * legend. trace.c's print_header() chooses among them (a tracer with a
 * header of its own, function_graph, prints that instead).
 */
#include <trace/trace.h>
#include <trace/ring_buffer.h>
#include <trace/tracefs.h>
#include <kernel/smp.h>
#include <lib/compiler.h>
#include <lib/printf.h>

/* What latency-format's header says this kernel is (Linux: its release). */
#define TRACE_RELEASE	"loupe"

unsigned int trace_nr_cpus_online(void)
{
	return (unsigned int)READ_ONCE(nr_cpus_online);
}

/*
 * The header's counts, as Linux's: entries is what the buffer holds now;
 * written is that and what was overwritten unread - not what readers
 * consumed (after a trace_pipe that read everything, 0/0 unless some
 * were lost). The whole buffer's even in a per_cpu/ file, as on Linux
 * (print_event_info() sums every CPU whatever file it is).
 */
void trace_print_event_info(struct seq_out *s, struct ring_buffer *rb)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(rb, &st);
	seq_printf(s, "# entries-in-buffer/entries-written: %llu/%llu   #P:%u\n#\n",
		   (unsigned long long)st.entries, (unsigned long long)(st.entries + st.overrun),
		   trace_nr_cpus_online());
}

/* The column legend, with irq-info (the default) and without. */
void trace_print_columns_header(struct seq_out *s)
{
	if (!trace_option_on(TRACE_OPT_IRQ_INFO)) {
		seq_puts(s, "#           TASK-PID     CPU#     TIMESTAMP  FUNCTION\n"
			    "#              | |         |         |         |\n");
		return;
	}
	seq_puts(s, "#                                _-----=> irqs-off/BH-disabled\n"
		    "#                               / _----=> need-resched\n"
		    "#                              | / _---=> hardirq/softirq\n"
		    "#                              || / _--=> preempt-depth\n"
		    "#                              ||| / _-=> migrate-disable\n"
		    "#                              |||| /     delay\n"
		    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		    "#              | |         |   |||||     |         |\n");
}

/*
 * latency-format's block above the column legend, as Linux prints it for a
 * tracer that measures no latency: the counts, the preemption model
 * (M:preempt: Loupe preempts kernel code wherever preempt_count allows,
 * Linux's CONFIG_PREEMPT), the CPUs, and the task of a latency trace,
 * which a tracer like these has none of.
 */
void trace_print_latency_info(struct seq_out *s, struct ring_buffer *rb)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(rb, &st);
	seq_printf(s, "# %s latency trace v1.1.5 on %s\n", trace_current_tracer(), TRACE_RELEASE);
	seq_puts(s, "# --------------------------------------------------------------------\n");
	seq_printf(s, "# latency: 0 us, #%llu/%llu, CPU#0 | (M:preempt VP:0, KP:0, SP:0 HP:0 #P:%u)\n",
		   (unsigned long long)st.entries, (unsigned long long)(st.entries + st.overrun),
		   trace_nr_cpus_online());
	seq_puts(s, "#    -----------------\n"
		    "#    | task: -0 (uid:0 nice:0 policy:0 rt_prio:0)\n"
		    "#    -----------------\n"
		    "#\n");
}

bool trace_buffer_is_empty(struct ring_buffer *rb)
{
	struct ring_buffer_stats st;

	ring_buffer_stats(rb, &st);
	return !st.entries;
}

/* latency-format's header: the block above, then its line layout's legend. */
void trace_print_latency_header(struct seq_out *s, struct ring_buffer *rb)
{
	trace_print_latency_info(s, rb);
	seq_puts(s, "#                    _------=> CPU#            \n"
		    "#                   / _-----=> irqs-off/BH-disabled\n"
		    "#                  | / _----=> need-resched    \n"
		    "#                  || / _---=> hardirq/softirq \n"
		    "#                  ||| / _--=> preempt-depth   \n"
		    "#                  |||| / _-=> migrate-disable \n"
		    "#                  ||||| /     delay           \n"
		    "#  cmd     pid     |||||| time  |   caller     \n"
		    "#     \\   /        ||||||  \\    |    /       \n");
}
