/* SPDX-License-Identifier: MIT */
/* Function commands in set_ftrace_filter (trace/ftrace_func_cmds.c). */
#ifndef TRACE_FTRACE_FUNC_CMDS_H
#define TRACE_FTRACE_FUNC_CMDS_H

#include <lib/types.h>

struct seq_out;

/**
 * ftrace_filter_write_cmds - a write to set_ftrace_filter
 * @list:  blank-separated words: globs for the function tracers' filter,
 *         and commands (FUNC:CMD[:...], '!' in front removes)
 * @reset: `>`: the filter is emptied first (commands stay, as on Linux)
 *
 * Every command is checked before anything changes; the globs make one
 * change (ftrace_set_filter_list()); then the commands run in order.
 * Returns 0, -EINVAL (a bad word: nothing changed), -ENODEV (removing a
 * command no function has), or -ENOMEM. Tree lock held; may sleep.
 */
int ftrace_filter_write_cmds(const char *list, bool reset);

/* List the commands as set_ftrace_filter shows them after the filter. */
void ftrace_func_cmds_show(struct seq_out *s);

#endif
