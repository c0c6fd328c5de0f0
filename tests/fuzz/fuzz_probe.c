// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the probe-event parser, fetcher and formatter.
 *
 * Input: a command line, then (after the first newline) bytes used as
 * registers and memory. For every input the parser must either refuse the
 * command with a position inside it, or accept it; an accepted event must
 * list back as a command that parses to the same listing; its fetch-args
 * run against registers that point into a small arena (anything outside
 * "faults"), and the record they fill - and the raw bytes as a damaged
 * record - must format without reading out of bounds. AddressSanitizer
 * watches every access.
 *
 *	make fuzz		(FUZZ_TIME=600 seconds by default)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../host/probe_host_env.h"
#include <asm/ptrace.h>
#include <kernel/nofault.h>

#define ARENA_SIZE	4096

static unsigned char arena[ARENA_SIZE];

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	uintptr_t a = (uintptr_t)src, lo = (uintptr_t)arena;

	if (a < lo || a > lo + ARENA_SIZE || size > lo + ARENA_SIZE - a)
		return -14;
	memcpy(dst, src, size);
	return 0;
}

const char *probe_current_comm(void)
{
	return "fuzzer";
}

static unsigned long entry_arg(const void *cookie, unsigned n)
{
	return ((const unsigned long *)cookie)[n % 8];
}

/* Fill registers from @bytes: each either an arena address or a small value. */
static void make_regs(struct pt_regs *regs, const uint8_t *bytes, size_t len)
{
	unsigned long *r = (unsigned long *)regs;
	size_t i;

	for (i = 0; i < sizeof(*regs) / sizeof(*r); i++) {
		uint8_t b = len ? bytes[i % len] : 0;

		r[i] = (b & 1) ? (unsigned long)arena + (b << 3) % ARENA_SIZE : b;
	}
}

static void check_listing(const struct probe_def *def)
{
	static struct probe_def again;
	struct probe_error err;
	char buf[1024], buf2[1024];

	if (def->kind == PROBE_DELETE)
		return;
	probe_def_show(buf, sizeof(buf), def);
	if (strlen(buf) >= PROBE_CMD_LEN)
		return;			/* long names and args can list longer than a line */
	if (probe_parse(buf, &again, &err))
		__builtin_trap();	/* a listing the parser refuses */
	probe_def_show(buf2, sizeof(buf2), &again);
	if (strcmp(buf, buf2))
		__builtin_trap();	/* a listing that does not round-trip */
}

static void run_event(const struct probe_def *def, const uint8_t *rest, size_t len)
{
	static unsigned char data[PROBE_DATA_MAX];
	unsigned long vals[2 * PROBE_MAX_ARGS], args[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct probe_fetch_ctx ctx;
	struct pt_regs regs;
	char out[4096];
	size_t size = def->fixed_size, n = len < ARENA_SIZE ? len : ARENA_SIZE;
	u32 faults;

	memset(arena, 0, sizeof(arena));
	memcpy(arena, rest, n);
	make_regs(&regs, rest, len);
	ctx = (struct probe_fetch_ctx){ .regs = &regs };
	if (probe_def_is_return(def)) {
		ctx.entry_arg = entry_arg;
		ctx.cookie = args;
	}
	if (def->has_dynamic)
		size += probe_fetch_dynamic_size(def, &ctx, vals);
	if (size > PROBE_DATA_MAX)
		__builtin_trap();
	faults = probe_fetch_store(def, &ctx, def->has_dynamic ? vals : NULL, data, size);
	probe_format_args(out, sizeof(out), def, data, size, faults);
	/* The raw bytes as a record someone damaged. */
	probe_format_args(out, sizeof(out), def, rest, len < PROBE_DATA_MAX ? len : PROBE_DATA_MAX, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t len)
{
	static struct probe_def def;
	char cmd[PROBE_CMD_LEN + 16];
	const uint8_t *nl = memchr(bytes, '\n', len);
	size_t cmd_len = nl ? (size_t)(nl - bytes) : len;
	struct probe_error err;

	printf_set_symbol_formatter(host_symbol_fmt);
	if (cmd_len >= sizeof(cmd))
		cmd_len = sizeof(cmd) - 1;
	memcpy(cmd, bytes, cmd_len);
	cmd[cmd_len] = '\0';
	if (probe_parse(cmd, &def, &err)) {
		if (!err.reason || err.pos < 0 || (size_t)err.pos > strlen(cmd))
			__builtin_trap();	/* an error without a place in the line */
		return 0;
	}
	check_listing(&def);
	if (def.kind != PROBE_DELETE && nl)
		run_event(&def, nl + 1, len - (size_t)(nl - bytes) - 1);
	return 0;
}
