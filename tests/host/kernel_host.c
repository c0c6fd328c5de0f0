// SPDX-License-Identifier: MIT
/*
 * The kernel beneath the host tests: what the stand-in headers of
 * tests/host/shim/ declare and more than one test needs - the task,
 * CPU and preemption count a test thread plays, WARN_ON()'s count,
 * kmalloc() over malloc() with a count of what is out, and call_rcu()
 * with grace periods that end when a test says so (host_rcu_run()).
 * See tests/host/README for how the seam works.
 *
 * Criterion runs each test in a process of its own, so the counts start
 * at zero in every test.
 */
#include <stdlib.h>
#include <string.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>

__thread struct task_struct *host_current;
__thread unsigned host_preempt_count;
__thread unsigned host_cpu;		/* each stress thread is a CPU of its own */
/* Two: a rethook pool's CPU caches keep a quarter of it each (rethook.h). */
int nr_cpus_present = 2;
int host_warnings;

static long kmalloc_out;
static LLIST_HEAD(rcu_queue);

void *kmalloc(size_t size)
{
	void *p = malloc(size);

	if (p)
		__atomic_fetch_add(&kmalloc_out, 1, __ATOMIC_RELAXED);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *p)
{
	if (p)
		__atomic_fetch_sub(&kmalloc_out, 1, __ATOMIC_RELAXED);
	free((void *)p);
}

long host_kmalloc_outstanding(void)
{
	return __atomic_load_n(&kmalloc_out, __ATOMIC_RELAXED);
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	llist_add(&head->node, &rcu_queue);
}

int host_rcu_run(void)
{
	struct llist_node *pos = llist_reverse_order(llist_del_all(&rcu_queue)), *next;
	int n = 0;

	llist_for_each_safe(pos, next, pos) {
		struct rcu_head *head = llist_entry(pos, struct rcu_head, node);

		head->func(head);
		n++;
	}
	return n;
}
