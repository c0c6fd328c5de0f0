/* SPDX-License-Identifier: MIT */
/*
 * A pretend kernel for the probe-event parser on the host: where its few
 * symbols are (fib, word_count, kmalloc and kfree are functions, jiffies
 * is data, twice names two static functions, high sits near the top of
 * the address space), used by tests/host/test_probe_*.c and the fuzz
 * target tests/fuzz/fuzz_probe.c. The parser finds them through kallsyms,
 * which tests/host/kallsyms_host.c plays.
 */
#ifndef TESTS_HOST_PROBE_HOST_ENV_H
#define TESTS_HOST_PROBE_HOST_ENV_H

#include <trace/probe.h>
#include <kernel/kallsyms.h>
#include <lib/printf.h>
#include <lib/string.h>

#define HOST_FIB	0x1000UL
#define HOST_WORDS	0x2000UL
#define HOST_JIFFIES	0x3000UL
#define HOST_FUNC_SIZE	0x40UL
#define HOST_HIGH	0xffffffff80001000UL	/* where a kernel's text is */
#define HOST_KMALLOC	0x7000UL	/* for Linux's syntax-error lines (vfs_read there) */
#define HOST_KFREE	0x8000UL

/* %pS for the pretend symbols: "fib+0x4/0x40". */
static inline int host_symbol_fmt(char *buf, size_t size, unsigned long addr, char kind)
{
	unsigned long off;
	struct ksym sym;

	if (!kallsyms_lookup_addr(addr, &sym, &off))
		return -1;
	if (kind == 's')
		return snprintf(buf, size, "%s", sym.name);
	return snprintf(buf, size, "%s+0x%lx/0x%lx", sym.name, off, sym.size);
}

#endif
