// SPDX-License-Identifier: MIT
/*
 * `crash KIND`: fail on purpose, to see (and test) what a failure looks
 * like: the exception report, the backtrace, the panic. Like Linux's
 * `echo c > /proc/sysrq-trigger`, and just as final.
 */
#include <kernel/console.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

static noinline int crash_null_read(void)
{
	return *(volatile int *)NULL;
}

/* Far more frames than any stack holds; volatile so gcc cannot see that. */
static volatile int crash_depth_limit = 1 << 30;

/* Each frame keeps a buffer live, so the recursion really eats stack. */
static noinline int crash_recurse(int depth)
{
	volatile char pad[256];

	pad[0] = (char)depth;
	if (depth > crash_depth_limit)
		return 0;
	return crash_recurse(depth + 1) + pad[0];
}

/* crash null|ud|panic|stack: each way ends in the kernel's own report
 * (page fault, invalid opcode, panic, stack overflow). */
static int cmd_crash(int argc, char **argv)
{
	if (argc != 2)
		return -EINVAL;
	console_printf("crash: %s, on purpose\n", argv[1]);
	if (!strcmp(argv[1], "null"))
		return crash_null_read();
	if (!strcmp(argv[1], "ud"))
		__builtin_trap();
	if (!strcmp(argv[1], "panic"))
		panic("crash command");
	if (!strcmp(argv[1], "stack"))
		return crash_recurse(0);
	return -EINVAL;
}
SHELL_COMMAND(SHELL_INSPECTION, "crash", "null|ud|panic|stack", "fail on purpose: see an exception report and a panic", cmd_crash);
