/* SPDX-License-Identifier: MIT */
/*
 * Event filters: Linux's little language over an event's fields, written
 * to events/GROUP/EVENT/filter (or after "if" in a trigger):
 *
 *	n > 10 && (s ~ "ker*" || !(common_pid == 1))
 *
 * A term compares one field with a constant: numbers with == != < <= > >=
 * and & (true if any bit is common), in decimal, hex (0x) or octal (0);
 * strings, in "double" or 'single' quotes, with == != and ~ (a glob: *,
 * ?, [abc]; a leading ! negates it). Terms combine with && (binding
 * tighter), ||, ! and parentheses. Besides the format file's fields there
 * are comm (the current task's name) and cpu, as on Linux.
 *
 * event_filter_parse.c compiles the text into a struct event_filter: a
 * postfix program of terms and operators, which event_filter.c runs
 * against a record. Both files are freestanding C (no allocation, no
 * kernel calls), built for the host too (tests/host/test_event_filter.c).
 * A text that is refused gets Linux's message for its error class and the
 * position Linux puts the caret at.
 */
#ifndef TRACE_EVENT_FILTER_H
#define TRACE_EVENT_FILTER_H

#include <lib/types.h>

#define FILTER_TEXT_MAX		256	/* a filter as written, with the NUL */
#define FILTER_MAX_TERMS	32	/* comparisons in one filter */
#define FILTER_NUM_MAX		24	/* a number's characters (Linux's limit) */
#define FILTER_MAX_DEPTH	32	/* nested parentheses and ! */

/* What kind of value a field holds. */
enum filter_field_kind {
	FILTER_FIELD_NUM,	/* an integer of @size bytes at @offset */
	FILTER_FIELD_STRLOC,	/* a u32 (offset << 16 | length) at @offset; the
				 * string is at @loc_base + offset, its length
				 * counting the NUL (trace/probe.h) */
	FILTER_FIELD_COMM,	/* the current task's name (not in the record) */
	FILTER_FIELD_CPU,	/* the current CPU (not in the record) */
	FILTER_FIELD_OTHER,	/* an array: no comparison applies */
};

/* One field a filter may name: a line of the format file, or comm/cpu. */
struct filter_field {
	const char *name;
	u8 kind;		/* enum filter_field_kind */
	u8 size;		/* FILTER_FIELD_NUM: 1, 2, 4 or 8 */
	bool is_signed;
	u16 offset;		/* in the record */
	u16 loc_base;		/* FILTER_FIELD_STRLOC: where offsets count from */
};

enum filter_op {
	FILTER_OP_EQ, FILTER_OP_NE, FILTER_OP_LT, FILTER_OP_LE, FILTER_OP_GT, FILTER_OP_GE,
	FILTER_OP_BAND, FILTER_OP_GLOB,
};

/* One comparison, compiled. */
struct filter_term {
	u8 op;			/* enum filter_op */
	u8 kind;		/* the field's enum filter_field_kind */
	u8 size;
	bool is_signed;
	bool negate;		/* !=, or a "!pattern" glob */
	u16 offset;
	u16 loc_base;
	u16 str;		/* strings: where the value is in strings[] */
	u64 val;		/* numbers: the value, cut to the field's size */
};

/* The postfix program: TERM pushes a result, the others combine. */
enum filter_code { FILTER_CODE_TERM, FILTER_CODE_AND, FILTER_CODE_OR, FILTER_CODE_NOT };

struct filter_insn {
	u8 code;		/* enum filter_code */
	u8 term;		/* FILTER_CODE_TERM: index in terms[] */
};

/* A compiled filter. About 2 KiB: allocate it. */
struct event_filter {
	char text[FILTER_TEXT_MAX];	/* as written (trimmed): cat filter */
	u16 ninsns;
	u8 nterms;
	struct filter_insn insns[FILTER_TEXT_MAX];	/* each takes a byte of text or more */
	struct filter_term terms[FILTER_MAX_TERMS];
	char strings[FILTER_TEXT_MAX];	/* the string constants, NUL-terminated */
};

/* Why a filter was refused, and where: error_log's caret. */
struct filter_error {
	int pos;
	const char *reason;	/* a constant string */
};

/**
 * event_filter_parse - compile @text against the event's @fields
 * @text:   the filter, NUL-terminated; leading and trailing blanks ignored
 * @fields: @nfields fields it may name
 * @out:    filled on success
 * @err:    on failure, the message and the caret's position in @text
 *
 * Returns 0 or -EINVAL. Context: any; does not allocate.
 */
int event_filter_parse(const char *text, const struct filter_field *fields, int nfields,
		       struct event_filter *out, struct filter_error *err);

/* What a filter sees besides the record. */
struct filter_ctx {
	const char *comm;	/* the current task's name */
	unsigned cpu;
};

/**
 * event_filter_match - does the record @rec of @len bytes pass @f?
 *
 * A string field whose location points outside @len compares as empty.
 * Context: any (probe handlers); reads only @rec, @f and @ctx.
 */
bool event_filter_match(const struct event_filter *f, const void *rec, size_t len,
			const struct filter_ctx *ctx);

#endif /* TRACE_EVENT_FILTER_H */
