/* SPDX-License-Identifier: MIT */
/*
 * What the rethook self-test files (test_rethook.c, test_rethook_unwind.c)
 * share: one test's rethook and counters, the entry callback set up
 * around the test-only entry shim (asm/rethook_test_entry.h), helpers for
 * leak checks and threads, and hook targets that sleep.
 */
#ifndef TESTS_KERNEL_RETHOOK_TEST_H
#define TESTS_KERNEL_RETHOOK_TEST_H

#include <kernel/mm/kmalloc.h>
#include <kernel/wait.h>
#include <trace/rethook.h>

/*
 * Hook targets: called for real, never inlined, cloned or turned into
 * jumps (noipa), so each call enters the symbol we patched.
 */
#define rt_target	__attribute__((__noipa__))

/* One test's rethook and counters; the shim's callback reads them. */
struct rt_state {
	struct rethook *rh, *rh2;	/* rh2: a second rethook on the same calls */
	void (*on_hooked)(struct rethook_node *node, struct pt_regs *regs);
	unsigned long hits, misses;
	unsigned long exits, exits2;
};
extern struct rt_state rt;

/* A rethook with @nodes nodes in *@rhp; false if memory ran out. */
bool rt_new(struct rethook **rhp, unsigned nodes, rethook_handler_t handler, void *data);
/* Start a test: fresh counters, rt.rh, and the entry callback installed. */
bool rt_setup(unsigned nodes, rethook_handler_t handler, void *data);
/* End it: unhook @site1 and @site2 (either may be NULL), free the rethooks. */
void rt_teardown(void *site1, void *site2);
/* Is @addr inside function @fn (by kallsyms)? */
bool rt_addr_in_func(unsigned long addr, const void *fn);
/* Start a thread "rethook-test" running @fn(@arg); @done completes at its exit. */
void rt_run_thread(int (*fn)(void *), void *arg, struct completion *done);
/* Wait (up to 2 s) for @n hooked entries. */
bool rt_wait_hits(unsigned long n);
/* An exit handler that counts rt.exits. */
void rt_count_exit(struct rethook_node *node, void *data, unsigned long ret_addr,
		   struct pt_regs *regs);

/* Hook targets that sleep until @go completes: mid calls the sleeper. */
struct rt_sleep {
	struct completion go;		/* lets the sleepers return */
	struct completion exited;	/* once per thread */
	unsigned long right;		/* threads that got the right value */
};
long rt_sleeper(struct completion *go, long v);
long rt_sleep_mid(struct completion *go, long v);	/* rt_sleeper(go, v) + 1 */

#endif
