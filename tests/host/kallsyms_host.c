// SPDX-License-Identifier: MIT
/*
 * A pretend kallsyms for the probe-event parser on the host: the three
 * questions trace/probe_parse.c asks of the kernel's symbol table,
 * answered from a handful of symbols (tests/host/probe_host_env.h names
 * their addresses). fib, word_count, foo.isra.0, high, kmalloc and kfree
 * are functions, jiffies is data, and twice names two static functions.
 * Linked into the unit tests and into the fuzz target tests/fuzz/fuzz_probe.c.
 */
#include <kernel/kallsyms.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include "probe_host_env.h"

static const struct ksym host_syms[] = {
	{ "fib", HOST_FIB, HOST_FUNC_SIZE, 'T' },
	{ "word_count", HOST_WORDS, HOST_FUNC_SIZE, 'T' },
	{ "jiffies", HOST_JIFFIES, HOST_FUNC_SIZE, 'D' },
	{ "foo.isra.0", 0x4000UL, HOST_FUNC_SIZE, 't' },
	{ "twice", 0x5000UL, HOST_FUNC_SIZE, 't' },
	{ "twice", 0x6000UL, HOST_FUNC_SIZE, 't' },
	{ "kmalloc", HOST_KMALLOC, HOST_FUNC_SIZE, 'T' },
	{ "kfree", HOST_KFREE, HOST_FUNC_SIZE, 'T' },
	{ "high", HOST_HIGH, HOST_FUNC_SIZE, 'T' },
};

#define NR_HOST_SYMS	ARRAY_SIZE(host_syms)

bool kallsyms_lookup_name(const char *name, struct ksym *sym)
{
	unsigned i;

	for (i = 0; i < NR_HOST_SYMS; i++) {
		if (!strcmp(host_syms[i].name, name)) {
			*sym = host_syms[i];
			return true;
		}
	}
	return false;
}

unsigned kallsyms_nr_named(const char *name)
{
	unsigned i, n = 0;

	for (i = 0; i < NR_HOST_SYMS; i++)
		n += !strcmp(host_syms[i].name, name);
	return n;
}

bool kallsyms_lookup_addr(unsigned long addr, struct ksym *sym, unsigned long *offset)
{
	unsigned i;

	for (i = 0; i < NR_HOST_SYMS; i++) {
		if (addr - host_syms[i].addr < host_syms[i].size) {
			*sym = host_syms[i];
			if (offset)
				*offset = addr - sym->addr;
			return true;
		}
	}
	return false;
}
