/* SPDX-License-Identifier: MIT */
/* saved_cmdlines: the names of the tasks seen tracing (trace/trace_cmdlines.c). */
#ifndef TRACE_TRACE_CMDLINES_H
#define TRACE_TRACE_CMDLINES_H

struct task_struct;

/*
 * trace_cmdline_switch - the scheduler leaves @prev on this CPU: remember
 * its pid and name if this CPU recorded trace events since the last
 * switch (Linux saves them at sched_switch in the same case).
 * Context: __schedule(), interrupts off. Cheap when nothing was recorded.
 */
void trace_cmdline_switch(struct task_struct *prev);

#endif
