/* SPDX-License-Identifier: MIT */
/*
 * Why a probe-event command is refused: the words error_log prints.
 *
 * A person who learned probe events on Linux searches for the message
 * Linux prints, so where Linux 6.12 has a class of error, Loupe prints
 * that class's message word for word (its spelling included) and puts the
 * caret where Linux puts it; Linux's tools/testing/selftests/ftrace files
 * kprobe_syntax_errors.tc and fprobe_syntax_errors.tc check both, and so
 * does tests/probe_syntax_errors.tbl here. The names follow Linux's error
 * classes (trace_probe.h), so the two are easy to compare.
 *
 * The second group says more than Linux does: where Linux prints only
 * "Failed to register probe event", or names a cause that is not the one,
 * Loupe names the cause (README, "Loupe's additions").
 */
#ifndef TRACE_PROBE_ERRORS_H
#define TRACE_PROBE_ERRORS_H

/* ---- Linux's messages ---- */
#define PERR_MAXACT_NO_KPROBE	"Maxactive is only for function exit"
#define PERR_BAD_MAXACT_TYPE	"Maxactive is only for function exit"
#define PERR_BAD_MAXACT		"Invalid maxactive number"
#define PERR_MAXACT_TOO_BIG	"Maxactive is too big"
#define PERR_BAD_PROBE_ADDR	"Invalid probed address or symbol"
#define PERR_NON_UNIQ_SYMBOL	"The symbol is not unique"
#define PERR_BAD_RETPROBE	"Retprobe address must be an function entry"
#define PERR_NO_TRACEPOINT	"Tracepoint is not found"
#define PERR_BAD_ADDR_SUFFIX	"Invalid probed address suffix"
#define PERR_NO_GROUP_NAME	"Group name is not specified"
#define PERR_GROUP_TOO_LONG	"Group name is too long"
#define PERR_BAD_GROUP_NAME	"Group name must follow the same rules as C identifiers"
#define PERR_NO_EVENT_NAME	"Event name is not specified"
#define PERR_EVENT_TOO_LONG	"Event name is too long"
#define PERR_BAD_EVENT_NAME	"Event name must follow the same rules as C identifiers"
#define PERR_EVENT_EXIST	"Given group/event name is already used by another event"
#define PERR_RETVAL_ON_PROBE	"$retval is not available on probe"
#define PERR_BAD_STACK_NUM	"Invalid stack number"
#define PERR_BAD_ARG_NUM	"Invalid argument number"
#define PERR_BAD_VAR		"Invalid $-variable specified"
#define PERR_BAD_REG_NAME	"Invalid register name"
#define PERR_BAD_MEM_ADDR	"Invalid memory address"
#define PERR_BAD_IMM		"Invalid immediate value"
#define PERR_IMMSTR_NO_CLOSE	"String is not closed with '\"'"
#define PERR_FILE_ON_KPROBE	"File offset is not available with kprobe"
#define PERR_TOO_MANY_OPS	"Dereference is too much nested"
#define PERR_DEREF_NEED_BRACE	"Dereference needs a brace"
#define PERR_BAD_DEREF_OFFS	"Invalid dereference offset"
#define PERR_DEREF_OPEN_BRACE	"Dereference brace is not closed"
#define PERR_COMM_CANT_DEREF	"$comm can not be dereferenced"
#define PERR_BAD_FETCH_ARG	"Invalid fetch argument"
#define PERR_ARRAY_NO_CLOSE	"Array is not closed"
#define PERR_BAD_ARRAY_SUFFIX	"Array has wrong suffix"
#define PERR_BAD_ARRAY_NUM	"Invalid array size"
#define PERR_ARRAY_TOO_BIG	"Array number is too big"
#define PERR_BAD_TYPE		"Unknown type is specified"
#define PERR_BAD_STRING		"String accepts only memory argument"
#define PERR_BAD_SYMSTRING	"Symbol String doesn't accept data/userdata"
#define PERR_BAD_BITFIELD	"Invalid bitfield"
#define PERR_ARG_NAME_TOO_LONG	"Argument name is too long"
#define PERR_NO_ARG_NAME	"Argument name is not specified"
#define PERR_BAD_ARG_NAME	"Argument name must follow the same rules as C identifiers"
#define PERR_USED_ARG_NAME	"This argument name is already used"
#define PERR_ARG_TOO_LONG	"Argument expression is too long"
#define PERR_NO_ARG_BODY	"No argument expression"
#define PERR_BAD_INSN_BNDRY	"Probe point is not an instruction boundary"
#define PERR_FAIL_REG_PROBE	"Failed to register probe event"
#define PERR_DIFF_PROBE_TYPE	"Probe type is different from existing probe"
#define PERR_DIFF_ARG_TYPE	"Argument type or name is different from existing probe"
#define PERR_SAME_PROBE		"There is already the exact same probe event"
#define PERR_NOSUP_BTFARG	"BTF is not available or not supported"
#define PERR_NOFENTRY_ARGS	"$arg* can be used only on function entry"
#define PERR_NEED_STRING_TYPE	"$comm and immediate-string only accepts string type"
#define PERR_TOO_MANY_ARGS	"Too many arguments are specified"

/* ---- Loupe's: Linux says less, or something else ---- */
#define PERR_UNKNOWN_TYPE_CHAR	"Unknown probe type (not p, r, f, t or -)"
#define PERR_NO_PROBE_POINT	"No probe point (SYM[+OFFS] or ADDR)"
#define PERR_FPROBE_OFFSET	"An fprobe takes a function name, no offset"
#define PERR_FPROBE_ADDRESS	"An fprobe takes a function name, not an address"
#define PERR_FPROBE_REGISTER	"Registers are not available on fprobe (use $argN)"
#define PERR_RETURN_TWICE	"%return on an r probe"
#define PERR_OFFSET_WRAPS	"Offset runs past the end of the address space"
#define PERR_UNKNOWN_SYMBOL	"Unknown symbol"
#define PERR_ARRAY_ON_REGISTER	"An array needs a memory fetch (+OFFS(...) or @ADDR)"
#define PERR_ARRAY_OF_STRINGS	"No arrays of symstr"
#define PERR_RESERVED_GROUP	"Group name is reserved (events/ has a file of that name)"
#define PERR_RESERVED_EVENT	"Event name is reserved (a group's directory has a file of that name)"
#define PERR_DELETE_NEEDS_NAME	"Give the event: -:[GRP/]EVENT"
#define PERR_DELETE_NO_MATCH	"No probe point of the event matches"
#define PERR_EMPTY_COMMAND	"Empty command"
#define PERR_COMMAND_TOO_LONG	"Command is too long"
#define PERR_RECORD_TOO_LARGE	"Arguments too large for one record"

#endif /* TRACE_PROBE_ERRORS_H */
