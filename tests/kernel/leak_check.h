/* SPDX-License-Identifier: MIT */
/*
 * The self-tests' one leak check: kmalloc's outstanding objects and bytes,
 * read before a case and again after it once everything the case freed
 * late has been freed - a thread it started is reaped a grace period
 * after it exits, a call_rcu() free runs later still, and a freed rethook
 * waits for its last pending return.
 *
 *	struct kmalloc_usage before, after;
 *
 *	leak_check_start(&before);
 *	... the case ...
 *	EXPECT_NO_LEAK(t, &before);
 *
 * or, to look at the counts: leak_check_end(&before, &after), then EXPECTs.
 * Both sleep: call them from a test case, never with a lock held.
 */
#ifndef TESTS_KERNEL_LEAK_CHECK_H
#define TESTS_KERNEL_LEAK_CHECK_H

#include <kernel/mm/kmalloc.h>

/* kmalloc's usage once the deferred frees of earlier cases have run. */
void leak_check_start(struct kmalloc_usage *before);
/*
 * Wait up to 3 s for kmalloc's usage to come back to @before; true if it
 * did. *@after (if not NULL) gets the last reading, to show what is left.
 */
bool leak_check_end(const struct kmalloc_usage *before, struct kmalloc_usage *after);

/* leak_check_end(), then expect both counts back at *@before. */
#define EXPECT_NO_LEAK(t, before) ({					\
	struct kmalloc_usage __after;					\
									\
	leak_check_end((before), &__after);				\
	EXPECT_EQ(t, __after.objects, (before)->objects) &		\
	EXPECT_EQ(t, __after.bytes, (before)->bytes);			\
})

#endif /* TESTS_KERNEL_LEAK_CHECK_H */
