/* SPDX-License-Identifier: MIT */
/*
 * panic() stops the kernel after printing why, where, and a backtrace.
 * WARN_ON() reports a broken expectation and carries on (WARN_ON_ONCE()
 * only the first time).
 * Both are for broken invariants, never for bad input.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <lib/types.h>

struct pt_regs;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

/* die - report an unexpected exception with its registers, then panic */
__attribute__((noreturn)) void die(const char *what, struct pt_regs *regs, unsigned long vector);

void warn_slowpath(const char *file, int line, const char *cond);

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (__builtin_expect(__c, 0))					\
		warn_slowpath(__FILE__, __LINE__, #cond);		\
	__c;								\
})

/* WARN_ON_ONCE() - WARN_ON(), but reports only the first time at this site. */
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __c = !!(cond);						\
	if (__builtin_expect(__c, 0) && !__warned) {			\
		__warned = true;					\
		warn_slowpath(__FILE__, __LINE__, #cond);		\
	}								\
	__c;								\
})

#define BUG_ON(cond) do {						\
	if (__builtin_expect(!!(cond), 0))				\
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);	\
} while (0)

extern bool panic_in_progress;
extern int panic_timeout;	/* panic=N: reboot after N seconds; 0 = halt */

#endif /* KERNEL_PANIC_H */
