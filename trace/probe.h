/* SPDX-License-Identifier: MIT */
/*
 * Dynamic probe events, the generic half: a command line such as
 *
 *	p:mygrp/myev fib+4 n=$arg1:s32 name=+0(%si):string
 *
 * becomes a struct probe_def (probe_parse.c): the event's kind, names and
 * probe point, and one small fetch program per argument. At a hit the
 * programs run against the saved registers (probe_fetch.c) and fill a
 * record; later the record is turned back into text (probe_format.c).
 *
 * Nothing here knows kprobes, fprobe, the ring buffer or the console, so
 * the three files build for the host too (tests/host/test_probe_*.c and
 * the fuzz target tests/fuzz/fuzz_probe.c). The kernel glue is
 * trace/probe_events.c, trace/trace_kprobe.c and trace/trace_fprobe.c.
 *
 * A record's argument area has a fixed part, each argument at
 * probe_arg::offset, then a dynamic part for strings: a string argument's
 * fixed slot holds a u32 "data location", (offset << 16) | length, both
 * counted from the start of the argument area, the length including the
 * terminating NUL (Linux's __data_loc).
 */
#ifndef TRACE_PROBE_H
#define TRACE_PROBE_H

#include <lib/compiler.h>
#include <lib/types.h>

struct pt_regs;

#define PROBE_MAX_ARGS		16	/* fetch-args per event */
#define PROBE_MAX_DEREF		8	/* nested +OFFS(...) */
#define PROBE_MAX_ARRAY		64	/* elements of TYPE[N] */
#define PROBE_NAME_LEN		65	/* an event name, with the NUL (a group: 63 bytes) */
#define PROBE_ARG_NAME_LEN	33	/* 32 bytes and the NUL */
#define PROBE_ARG_TEXT_LEN	64	/* FETCH[:TYPE] as written (63 bytes), with the NUL */
#define PROBE_SYM_LEN		128
#define PROBE_CMD_LEN		256	/* one command line */
#define PROBE_STRING_MAX	256	/* bytes kept of one string, with the NUL */
#define PROBE_DATA_MAX		896	/* a record's argument area */
#define PROBE_MAXACTIVE_MAX	4096

#define PROBE_DEFAULT_KGROUP	"kprobes"
#define PROBE_DEFAULT_FGROUP	"fprobes"

enum probe_kind {
	PROBE_KPROBE,		/* p: */
	PROBE_KRETPROBE,	/* r: or p: ... %return */
	PROBE_FENTRY,		/* f: */
	PROBE_FEXIT,		/* f: ... %return */
	PROBE_DELETE,		/* -:[GRP/]EVENT */
	PROBE_TPOINT,		/* t: (parsed, then refused: no tracepoints) */
};

/* Where a fetch starts (the innermost part of +8(+0(%di)) is %di). */
enum probe_base {
	PROBE_BASE_REG,		/* %REG: param = pt_regs offset, width in bytes */
	PROBE_BASE_ARG,		/* $argN: param = N (1..6) */
	PROBE_BASE_RETVAL,	/* $retval */
	PROBE_BASE_STACK,	/* $stack: the stack pointer */
	PROBE_BASE_STACKN,	/* $stackN: param = N, the N-th word on the stack */
	PROBE_BASE_COMM,	/* $comm: the current task's name */
	PROBE_BASE_IMM,		/* \IMM, and @ADDR / @SYM (then one deref) */
	PROBE_BASE_IMMSTR,	/* \"STRING": imm = where it is in text, param = length */
};

enum probe_type_kind {
	PROBE_TYPE_U,		/* u8..u64: decimal */
	PROBE_TYPE_S,		/* s8..s64: signed decimal */
	PROBE_TYPE_X,		/* x8..x64: hex */
	PROBE_TYPE_CHAR,	/* char: 'c' */
	PROBE_TYPE_STRING,	/* string: "text" */
	PROBE_TYPE_SYMBOL,	/* symbol: sym+0xoff/0xsize, stored as an address */
	PROBE_TYPE_SYMSTR,	/* symstr: the same, stored as a string at the hit */
	PROBE_TYPE_BITFIELD,	/* bW@S/C: W bits from bit S of a C-bit word, decimal */
};

struct probe_type {
	u8 kind;		/* enum probe_type_kind */
	u8 size;		/* bytes of one element: 1, 2, 4, 8 (strings: 4) */
	u8 count;		/* TYPE[N]: N; 0 for a scalar */
	u8 bit_width;		/* PROBE_TYPE_BITFIELD: W */
	u8 bit_shift;		/* PROBE_TYPE_BITFIELD: S */
};

/*
 * One fetch-arg: start at @base, then follow @nderef dereferences, the
 * innermost first: deref[i] is added and the sum read as an address. The
 * last read is of the type's size; for a string or an array the last
 * dereference gives the address of the data instead.
 *
 * The parser also compiles the argument for the hit path: most arguments
 * are a register stored as it is (%di, $argN at an entry, $retval), and
 * for those @fast says so, @fast_off names the pt_regs slot and
 * @fast_mask the bits kept, so that a hit reads one word instead of
 * interpreting @base, @nderef and @type.
 */
enum probe_fast {
	PROBE_FAST_NONE,	/* interpret the fields above */
	PROBE_FAST_REG,		/* the word at @fast_off in pt_regs */
	PROBE_FAST_REG32,	/* its low 32 bits (%eax, %r8d) */
};

struct probe_arg {
	char name[PROBE_ARG_NAME_LEN];
	char text[PROBE_ARG_TEXT_LEN];	/* FETCHARG[:TYPE] as written */
	u8 base;			/* enum probe_base */
	u8 nderef;
	u8 width;			/* PROBE_BASE_REG: 8 or 4 (%eax, %r8d) */
	u16 param;
	unsigned long imm;
	long deref[PROBE_MAX_DEREF];
	struct probe_type type;
	u16 pos;			/* where the argument starts in the command */
	u16 offset;			/* in the record's argument area */
	u16 size;			/* bytes of the fixed slot */
	u8 fast;			/* enum probe_fast */
	u16 fast_off;			/* PROBE_FAST_REG*: offset in pt_regs */
	unsigned long fast_mask;	/* PROBE_FAST_REG*: the bits kept (REG32: the low 32) */
};

/* A parsed command. Large (about 5 KiB): allocate it, never on a stack. */
struct probe_def {
	u8 kind;			/* enum probe_kind */
	bool named;			/* the command gave the event's name */
	char group[PROBE_NAME_LEN];	/* PROBE_DELETE: may be empty (any) */
	char event[PROBE_NAME_LEN];
	char symbol[PROBE_SYM_LEN];	/* empty: probe by address */
	unsigned long offset;		/* SYM+OFFS */
	unsigned long addr;		/* resolved: symbol + offset, or ADDR */
	bool glob;			/* f: only: SYM is a pattern (fib*), addr 0 */
	int maxactive;			/* r10: 10; 0: the default */
	int sym_pos;			/* where SYM|ADDR starts in the command */
	int event_pos;			/* where the event name would be */
	int match_pos;			/* PROBE_DELETE: where PLACE [FETCHES] start
					 * (-:EVENT fib: the points at fib); 0: all */
	int nargs;
	struct probe_arg args[PROBE_MAX_ARGS];
	u16 fixed_size;			/* the fixed part of the argument area */
	bool has_dynamic;		/* some argument is a string */
	bool all_fast;			/* every argument is compiled (probe_fast) */
	bool uses_entry_args;		/* a return event reads $argN */
};

/* Why a command was refused, and where: the caret of error_log. */
struct probe_error {
	int pos;			/* byte offset in the command */
	const char *reason;		/* a constant string */
};

/**
 * probe_parse - parse one command of kprobe_events / dynamic_events
 * @cmd:  the line, without its newline (at most PROBE_CMD_LEN - 1 bytes)
 * @def:  filled on success (and partly on failure)
 * @err:  on failure, the reason and the position of the bad token
 *
 * Resolves symbols (kallsyms) and lays out the record, but registers
 * nothing.
 * Returns 0 or -EINVAL.
 * Context: any; does not allocate.
 */
int probe_parse(const char *cmd, struct probe_def *def, struct probe_error *err);

/**
 * probe_def_check_append - may @def add a probe point to @old's event?
 * @cmd_len: the length of @def's command (a missing argument's caret)
 *
 * The kinds must agree (else DIFF_PROBE_TYPE, caret at 0; EVENT_EXIST when
 * one is a kprobe and the other an fprobe, as on Linux) and so must the
 * arguments' names and types, one by one (else DIFF_ARG_TYPE, caret at
 * the first that differs). Returns 0 or -EINVAL with @err set.
 * Context: any. (trace/probe_multi.c)
 */
int probe_def_check_append(const struct probe_def *old, const struct probe_def *def, int cmd_len,
			   struct probe_error *err);

/* Do @a and @b probe the same place with the same fetches (SAME_PROBE)? */
bool probe_def_same_probe(const struct probe_def *a, const struct probe_def *b);
/**
 * probe_def_matches - is @def one of the points `-:EVENT @pattern` removes?
 * @pattern: PLACE [FETCHES...], blank-separated, as the point is listed
 *           (fib, fib+4, a=%di:u32); FETCHES are the point's first ones
 *
 * Linux's rule: the place as written (a %return suffix may be left out),
 * then each fetch word in order. An empty @pattern matches every point.
 */
bool probe_def_matches(const struct probe_def *def, const char *pattern);

/* Write the event back in the command syntax ("p:kprobes/p_fib_0 fib n=$arg1:s32").
 * Returns the length snprintf would. */
int probe_def_show(char *buf, size_t size, const struct probe_def *def);

/* The type's name as written (u32, string, x8[4] ...) into @buf. */
void probe_type_name(char *buf, size_t size, const struct probe_type *t);

/* Is this a return event (kretprobe or fprobe exit)? */
static inline bool probe_def_is_return(const struct probe_def *def)
{
	return def->kind == PROBE_KRETPROBE || def->kind == PROBE_FEXIT;
}

/* ---- at the hit (probe_fetch.c) ---- */

/* What a fetch-arg sees at a hit. */
struct probe_fetch_ctx {
	struct pt_regs *regs;
	/* Return events: the function's argument @n at entry, from @cookie
	 * (the kretprobe instance, the fprobe entry data). NULL at entry. */
	unsigned long (*entry_arg)(const void *cookie, unsigned n);
	const void *cookie;
};

/*
 * Provided by the environment: the current task's name, at most 16 bytes,
 * NUL-terminated (the kernel: current->comm).
 */
const char *probe_current_comm(void);

/**
 * probe_fetch_dynamic_size - first pass for an event with strings
 * @vals: per argument, where the second pass finds its data
 *
 * Returns the bytes the strings need in the dynamic part.
 * Context: any (probe handlers); reads memory only through
 * copy_from_kernel_nofault().
 */
size_t probe_fetch_dynamic_size(const struct probe_def *def, const struct probe_fetch_ctx *ctx,
				unsigned long *vals);

/**
 * probe_fetch_store - fill an argument area of @size bytes
 * @vals: from probe_fetch_dynamic_size(), or NULL when !def->has_dynamic
 *
 * Returns the mask of arguments whose memory could not be read (bit i for
 * args[i]): they print as (fault).
 * Context: any (probe handlers).
 */
u32 probe_fetch_store(const struct probe_def *def, const struct probe_fetch_ctx *ctx,
		      const unsigned long *vals, void *data, size_t size);

/*
 * Store the low @size bytes of @v at @dst (little-endian; @dst may be
 * unaligned). Constant-size copies, which the compiler makes single
 * moves: a scalar is stored at every hit of every event, and lib's
 * memcpy() of a variable size would take a byte loop of some 50
 * instructions for it.
 */
static __always_inline void probe_store_scalar(u8 *dst, unsigned long v, unsigned size)
{
	switch (size) {
	case 1: __builtin_memcpy(dst, &v, 1); break;
	case 2: __builtin_memcpy(dst, &v, 2); break;
	case 4: __builtin_memcpy(dst, &v, 4); break;
	case 8: __builtin_memcpy(dst, &v, 8); break;
	default: __builtin_memcpy(dst, &v, size); break;	/* lib's memcpy() */
	}
}

/**
 * probe_fetch_store_fast - probe_fetch_store() for a def->all_fast event
 *
 * Every argument is a register stored as it is, so nothing can fault and
 * the result is always 0. Each is stored as a whole word, whatever its
 * type's size (the low bytes first: x86 is little-endian, as
 * probe_store_scalar() assumes too), in the order of the record: what a
 * store puts past an argument's slot, the next argument's store puts
 * right. So it may write up to PROBE_FAST_SPILL bytes past the argument
 * area: the caller must have them, and write what belongs there after
 * (the fault mask, the name trailer). A word store is one instruction
 * where a store of the type's own size is a switch.
 *
 * Inline: the usual event's whole fetch is a few moves in the record
 * writer. Context: any (probe handlers).
 */
#define PROBE_FAST_SPILL	(sizeof(unsigned long) - 1)

static __always_inline u32 probe_fetch_store_fast(const struct probe_def *def,
						  const struct pt_regs *regs, void *data)
{
	int i;

	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];
		unsigned long v = *(const unsigned long *)((const char *)regs + a->fast_off);

		v &= a->fast_mask;
		__builtin_memcpy((u8 *)data + a->offset, &v, sizeof(v));
	}
	return 0;
}

/* ---- printing (probe_format.c) ---- */

/**
 * probe_format_args - " name=value" for each argument of a record
 * @data, @len:  the record's argument area
 * @faults:      the mask probe_fetch_store() returned
 *
 * A damaged record (a string outside @len) prints as (fault), never reads
 * outside @data. Returns the length snprintf would.
 */
int probe_format_args(char *buf, size_t size, const struct probe_def *def, const void *data,
		      size_t len, u32 faults);

/* The C-ish type and print format of an argument, for the format file. */
const char *probe_type_c_name(const struct probe_type *t);
const char *probe_type_print_fmt(const struct probe_type *t);

#endif /* TRACE_PROBE_H */
