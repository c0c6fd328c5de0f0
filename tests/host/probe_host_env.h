/* SPDX-License-Identifier: MIT */
/*
 * A pretend kernel for the probe-event parser on the host: a few symbols
 * (fib, word_count, kmalloc and kfree are functions, jiffies is data, twice names two
 * static functions, high sits near the top of the address space), used by
 * tests/host/test_probe_*.c and the fuzz target tests/fuzz/fuzz_probe.c.
 */
#ifndef TESTS_HOST_PROBE_HOST_ENV_H
#define TESTS_HOST_PROBE_HOST_ENV_H

#include <trace/probe.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>

#define HOST_FIB	0x1000UL
#define HOST_WORDS	0x2000UL
#define HOST_JIFFIES	0x3000UL
#define HOST_FUNC_SIZE	0x40UL
#define HOST_HIGH	0xffffffff80001000UL	/* where a kernel's text is */
#define HOST_KMALLOC	0x7000UL	/* for Linux's syntax-error lines (vfs_read there) */
#define HOST_KFREE	0x8000UL

static const struct {
	const char *name;
	unsigned long addr;
} host_syms[] = {
	{ "fib", HOST_FIB }, { "word_count", HOST_WORDS }, { "jiffies", HOST_JIFFIES },
	{ "foo.isra.0", 0x4000UL }, { "twice", 0x5000UL }, { "twice", 0x6000UL },
	{ "high", HOST_HIGH }, { "kmalloc", HOST_KMALLOC }, { "kfree", HOST_KFREE },
};

static inline bool host_lookup(const char *name, unsigned long *addr)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(host_syms); i++) {
		if (!strcmp(host_syms[i].name, name)) {
			*addr = host_syms[i].addr;
			return true;
		}
	}
	return false;
}

static inline unsigned host_nr_named(const char *name)
{
	unsigned i, n = 0;

	for (i = 0; i < ARRAY_SIZE(host_syms); i++)
		n += !strcmp(host_syms[i].name, name);
	return n;
}

static inline bool host_at_func_entry(unsigned long addr)
{
	return addr == HOST_FIB || addr == HOST_WORDS || addr == 0x4000UL || addr == HOST_HIGH ||
	       addr == HOST_KMALLOC || addr == HOST_KFREE;
}

static const struct probe_parse_env host_env = {
	.lookup = host_lookup, .at_func_entry = host_at_func_entry, .nr_named = host_nr_named,
};

/* %pS for the pretend symbols: "fib+0x4/0x40". */
static inline int host_symbol_fmt(char *buf, size_t size, unsigned long addr, char kind)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(host_syms); i++) {
		unsigned long off = addr - host_syms[i].addr;

		if (addr < host_syms[i].addr || off >= HOST_FUNC_SIZE)
			continue;
		if (kind == 's')
			return snprintf(buf, size, "%s", host_syms[i].name);
		return snprintf(buf, size, "%s+0x%lx/0x%lx", host_syms[i].name, off, HOST_FUNC_SIZE);
	}
	return -1;
}

#endif
