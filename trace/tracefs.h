/* SPDX-License-Identifier: MIT */
/* The tracing files at /sys/kernel/tracing (trace/tracefs.c). */
#ifndef TRACE_TRACEFS_H
#define TRACE_TRACEFS_H

#include <kernel/pseudofs.h>

struct ring_buffer;

#define TRACEFS_PATH	"/sys/kernel/tracing"

/* Create the files; /sys/kernel/debug/tracing becomes a link to them. */
void tracefs_init(void);

/* Helpers for files whose write takes one word: the text without the
 * newline echo adds, in @buf (at most @size - 1 bytes). -EINVAL if empty. */
int tracefs_get_word(const char *text, size_t len, char *buf, size_t size);
/* For the "0/1 switch" files (tracing_on, options/X, events/.../enable,
 * kprobes-optimization ...): *@on from a decimal number that is 0 or 1
 * ("0", "1", "01" as Linux's kstrtoul takes them); -EINVAL, and *@on
 * untouched, for anything else. */
int tracefs_get_switch(const char *text, size_t len, bool *on);
/* For a yes/no file (Linux's debugfs bools: kprobes/enabled): the same,
 * also taking what kstrtobool() takes (y, yes, on, true, n, no, off ...). */
int tracefs_get_bool(const char *text, size_t len, bool *on);

/* Implemented by trace.c, used by the files. */
int trace_show(struct seq_out *s, void *unused);
int trace_pipe_stream(void *unused);

/* The same for per_cpu/cpuN/: @cpu, or TRACE_ALL_CPUS for every CPU. */
#define TRACE_ALL_CPUS	(-1)
int trace_show_cpu(struct seq_out *s, int cpu);
/* The header and records of @cpu (or all) in @rb, which is not paused. */
int trace_show_buffer(struct seq_out *s, struct ring_buffer *rb, int cpu);
int trace_pipe_stream_cpu(int cpu);
const char *trace_current_tracer(void);
void trace_list_tracers(struct seq_out *s);
int trace_set_tracer(const char *name);
/* echo > trace: empty every CPU's buffer (latency-format times restart). */
int trace_clear(void);

#endif
