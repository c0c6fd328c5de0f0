/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/panic.h: warnings are counted in host_warnings
 * (the test checks it), panic() aborts the test process.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

extern int host_warnings;

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (__c)							\
		__atomic_fetch_add(&host_warnings, 1, __ATOMIC_RELAXED); \
	__c;								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#define panic(...)	do { fprintf(stderr, __VA_ARGS__); fputc(10, stderr); abort(); } while (0)

#endif
