// SPDX-License-Identifier: MIT
/*
 * The self-tests' leak check (leak_check.h): one way to wait for deferred
 * frees and compare kmalloc's counts, for every suite.
 */
#include "leak_check.h"

#include <kernel/rcu.h>
#include <kernel/sched.h>

/* How long leak_check_end() waits: LEAK_CHECK_ROUNDS of 10 ms. */
#define LEAK_CHECK_ROUNDS	300

static bool usage_equal(const struct kmalloc_usage *a, const struct kmalloc_usage *b)
{
	return a->objects == b->objects && a->bytes == b->bytes;
}

void leak_check_start(struct kmalloc_usage *before)
{
	kernel_quiesce();
	kmalloc_usage(before);
}

bool leak_check_end(const struct kmalloc_usage *before, struct kmalloc_usage *after)
{
	struct kmalloc_usage now;
	int round;

	kernel_quiesce();
	kmalloc_usage(&now);
	for (round = 0; round < LEAK_CHECK_ROUNDS && !usage_equal(&now, before); round++) {
		/* A thread that exited just now is freed a grace period later. */
		msleep(10);
		rcu_barrier();
		kmalloc_usage(&now);
	}
	if (after)
		*after = now;
	return usage_equal(&now, before);
}
