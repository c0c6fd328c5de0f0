/* SPDX-License-Identifier: MIT */
/*
 * What the two halves of the probe-event parser share: probe_parse.c reads
 * the command's head and probe point, probe_parse_arg.c its fetch-args.
 * Only these two files include it.
 */
#ifndef TRACE_PROBE_PARSE_INTERNAL_H
#define TRACE_PROBE_PARSE_INTERNAL_H

#include <trace/probe.h>
#include <trace/probe_errors.h>

struct probe_parser {
	const char *cmd;
	struct probe_def *def;
	struct probe_error *err;
	int head;			/* where the first word starts */
	bool at_entry;			/* the probe is on a function's first byte */
};

/* One blank-separated word of the command: [start, start + len). */
struct probe_word {
	int start, len;
};

/* Record why and where; returns -EINVAL for the caller to pass up. */
int probe_parse_fail(struct probe_parser *p, int pos, const char *reason);

/* A C identifier of @len bytes at @s? */
bool probe_good_name(const char *s, int len);

/* Copy @len bytes at @s into @buf as a C string; false if they do not fit. */
bool probe_copy_str(char *buf, size_t size, const char *s, int len);

/* A whole number, C notation (0x..); with @sign an optional + or - first. */
int probe_read_num(const char *s, int len, bool sign, unsigned long *out);

/* @name's address plus @off (refused: unknown, not unique, wrapping). */
int probe_resolve_symbol(struct probe_parser *p, const char *name, int pos, long off, int off_pos,
			 unsigned long *addr, const char *unknown);

/* The fetch-args: @n words from @w (probe_parse_arg.c). */
int probe_parse_args(struct probe_parser *p, const struct probe_word *w, int n);

#endif /* TRACE_PROBE_PARSE_INTERNAL_H */
