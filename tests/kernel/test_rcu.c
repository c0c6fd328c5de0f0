// SPDX-License-Identifier: MIT
/*
 * Self-tests of RCU (kernel/rcu.c): a timer tick that lands inside a
 * read-side section is not a quiescent state; call_rcu() callbacks run
 * after a full grace period, in the order they were queued, and
 * rcu_barrier() waits for all of them; and a stress in which readers walk
 * a list for seconds while a writer replaces its entries and frees the
 * old ones - through call_rcu(), after synchronize_rcu(), or after a
 * grace period it polls for - poisoning them first, and no reader ever
 * sees a poisoned or half-made entry.
 *
 * On one CPU a reader can only meet a freed entry if it is preempted
 * inside its section, which is exactly what rcu_read_lock() forbids. The
 * stress is built to catch that: long read-side sections, a writer that
 * frees at the first quiescent tick, and freed entries kept poisoned for
 * a while (with rcu_read_lock() made a no-op it reports bad entries
 * within the first second).
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <lib/compiler.h>
#include <lib/string.h>

/*
 * Ticks interrupt a reader spinning for 20 ms (five ticks at 250 Hz) and
 * must not count; once it leaves the section, the CPU soon is quiescent.
 */
static void tick_inside_reader_is_not_quiescent(struct selftest *t)
{
	int cpu = smp_processor_id();
	u64 before, inside, deadline;

	rcu_read_lock();
	before = rcu_qs_count(cpu);
	udelay(20000);
	inside = rcu_qs_count(cpu);
	rcu_read_unlock();
	EXPECT_EQ(t, inside, before);

	deadline = clock_ns() + 200 * NSEC_PER_MSEC;
	while (rcu_qs_count(cpu) == before && clock_ns() < deadline)
		cpu_relax();
	EXPECT_NE(t, rcu_qs_count(cpu), before);
}

/* ------------------------------------------------ callbacks and barrier */

#define CB_COUNT	64

struct cb_probe {
	struct rcu_head head;
	u64 snap[NR_CPUS];		/* quiescent counts when queued */
	int seq;			/* order of queueing */
};

static struct {
	int ran, early, out_of_order, last_seq;
} cb_seen;

/* A callback must find every online CPU past its snapshot. */
static void cb_check(struct rcu_head *head)
{
	struct cb_probe *p = container_of(head, struct cb_probe, head);
	int cpu;

	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		if (rcu_qs_count(cpu) == p->snap[cpu])
			cb_seen.early++;
	if (p->seq != cb_seen.last_seq + 1)
		cb_seen.out_of_order++;
	cb_seen.last_seq = p->seq;
	cb_seen.ran++;
	kfree(p);
}

/* Queue one probe; every other one with interrupts off, as a handler would. */
static bool cb_queue(int seq)
{
	struct cb_probe *p = kzalloc(sizeof(*p));
	unsigned long flags;
	int cpu;

	if (!p)
		return false;
	p->seq = seq;
	local_irq_save(flags);
	for_each_online_cpu(cpu)
		p->snap[cpu] = rcu_qs_count(cpu);
	call_rcu(&p->head, cb_check);
	local_irq_restore(flags);
	if (seq % 2)
		msleep(1);	/* spread the probes over several batches */
	return true;
}

static void call_rcu_runs_after_grace_period_in_order(struct selftest *t)
{
	struct kmalloc_usage before;
	int i;

	leak_check_start(&before);	/* nothing earlier frees inside the window */
	memset(&cb_seen, 0, sizeof(cb_seen));
	for (i = 1; i <= CB_COUNT; i++)
		ASSERT_TRUE(t, cb_queue(i));
	rcu_barrier();
	EXPECT_EQ(t, cb_seen.ran, CB_COUNT);
	EXPECT_EQ(t, cb_seen.early, 0);
	EXPECT_EQ(t, cb_seen.out_of_order, 0);
	EXPECT_NO_LEAK(t, &before);
}

static void rcu_barrier_with_nothing_queued_returns(struct selftest *t)
{
	u64 t0 = clock_ns();

	rcu_barrier();
	rcu_barrier();
	EXPECT_TRUE(t, clock_ns() - t0 < 2 * NSEC_PER_SEC);
}

/* ------------------------------------------------------------- stress */

#define STRESS_NODES		16
#define STRESS_READERS		3
#define STRESS_MS		3000
#define STRESS_SYNC_EVERY	16	/* one free in 16 waits in synchronize_rcu(), */
#define STRESS_POLL_EVERY	4	/* one in 4 spins for a grace period; */
					/* the others go through call_rcu() */
#define STRESS_QUARANTINE	64	/* poisoned entries held back from kfree */
#define STRESS_LIVE		0x4c49564514c1ef00UL
#define STRESS_POISON		0x6b	/* the byte freed entries are filled with */

struct stress_node {
	unsigned long magic;		/* STRESS_LIVE while published */
	unsigned long value, check;	/* check == ~value in a whole entry */
	struct stress_node *next;
	struct rcu_head rcu;
};

struct stress {
	struct stress_node *head;	/* RCU-protected */
	volatile bool stop;
	struct completion exited;	/* once per thread */
	unsigned long walks, bad, replaced, sync_frees, poll_frees, cb_frees;
	struct stress_node *quarantine[STRESS_QUARANTINE];
	unsigned quarantined;
	u64 seed;
};

static void stress_poison_free(struct stress_node *n)
{
	memset(n, STRESS_POISON, sizeof(*n));
	kfree(n);
}

/*
 * The writer's own frees are poisoned and then held back for a while
 * before kfree(): kmalloc hands the slot it just got back to the very next
 * kmalloc(), which would turn poison into a fresh live entry before any
 * reader could trip on it.
 */
static void stress_quarantine(struct stress *s, struct stress_node *n)
{
	unsigned i = s->quarantined++ % STRESS_QUARANTINE;

	memset(n, STRESS_POISON, sizeof(*n));
	kfree(s->quarantine[i]);
	s->quarantine[i] = n;
}

static void stress_free_cb(struct rcu_head *head)
{
	stress_poison_free(container_of(head, struct stress_node, rcu));
}

static struct stress_node *stress_node_new(unsigned long value)
{
	struct stress_node *n = kmalloc(sizeof(*n));

	if (n) {
		n->magic = STRESS_LIVE;
		n->value = value;
		n->check = ~value;
	}
	return n;
}

/*
 * One walk of the list in one read-side section, slowed down so that it
 * spans timer ticks. An entry is checked after its next pointer has been
 * read: poison is written from the start of the entry on, so if the next
 * pointer we hold was already poisoned, the magic we check after it is
 * too, and a dead entry's next is never followed.
 */
static void stress_walk(struct stress *s)
{
	struct stress_node *n, *next;

	rcu_read_lock();
	for (n = rcu_dereference(s->head); n; n = next) {
		udelay(200);
		next = rcu_dereference(n->next);
		barrier();
		if (READ_ONCE(n->magic) != STRESS_LIVE || n->check != ~n->value) {
			s->bad++;
			break;
		}
	}
	rcu_read_unlock();
	s->walks++;
}

static int stress_reader(void *arg)
{
	struct stress *s = arg;

	while (!s->stop)
		stress_walk(s);
	return 0;
}

static u64 stress_random(struct stress *s)
{
	s->seed ^= s->seed << 13;
	s->seed ^= s->seed >> 7;
	s->seed ^= s->seed << 17;
	return s->seed;
}

/*
 * Wait for a grace period without sleeping: spin, preemptible, until every
 * CPU's quiescent count has moved. A sleeping writer on one CPU always
 * runs again after every reader that was runnable when it slept, so it
 * could not catch a reader preempted inside its section; a spinning one
 * frees at the first tick that counts, while such a reader would still
 * be waiting for the CPU.
 */
static void stress_poll_grace_period(void)
{
	u64 snap[NR_CPUS];
	int cpu;

	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		snap[cpu] = rcu_qs_count(cpu);
	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		while (rcu_qs_count(cpu) == snap[cpu])
			cpu_relax();
}

/*
 * Replace a random entry with a fresh copy. There is one writer, so it
 * needs no lock against itself; readers see either the old entry or the
 * new one, both whole.
 */
static void stress_replace(struct stress *s)
{
	struct stress_node **link = &s->head, *old, *new;
	unsigned long i = stress_random(s) % STRESS_NODES;

	while (i--)
		link = &(*link)->next;
	old = *link;
	new = stress_node_new(old->value + 1);
	if (!new)
		return;
	new->next = old->next;
	rcu_assign_pointer(*link, new);
	if (++s->replaced % STRESS_SYNC_EVERY == 0) {
		synchronize_rcu();
		stress_quarantine(s, old);
		s->sync_frees++;
	} else if (s->replaced % STRESS_POLL_EVERY == 0) {
		stress_poll_grace_period();
		stress_quarantine(s, old);
		s->poll_frees++;
	} else {
		call_rcu(&old->rcu, stress_free_cb);
		s->cb_frees++;
	}
}

static int stress_writer(void *arg)
{
	struct stress *s = arg;

	while (!s->stop) {
		stress_replace(s);
		if (s->replaced % 256 == 0)
			msleep(1);	/* let the rcu thread keep up */
	}
	return 0;
}

static bool stress_start(struct stress *s, int (*fn)(void *), const char *name)
{
	struct task_struct *th = kthread_create(fn, s, name);

	if (!th)
		return false;
	th->exit_done = &s->exited;
	wake_up_process(th);
	return true;
}

static void stress_free_list(struct stress *s)
{
	struct stress_node *n = s->head, *next;

	for (; n; n = next) {
		next = n->next;
		kfree(n);
	}
	for (unsigned i = 0; i < STRESS_QUARANTINE; i++)
		kfree(s->quarantine[i]);
}

static void readers_never_see_freed_entries(struct selftest *t)
{
	struct kmalloc_usage before;
	struct stress *s;
	int i, threads = 0;

	leak_check_start(&before);
	s = kzalloc(sizeof(*s));
	ASSERT_TRUE(t, s != NULL);
	s->seed = 0x9e3779b97f4a7c15ULL;
	init_completion(&s->exited);
	for (i = STRESS_NODES - 1; i >= 0; i--) {
		struct stress_node *n = stress_node_new(i * 1000);

		ASSERT_TRUE(t, n != NULL);
		n->next = s->head;
		s->head = n;
	}
	for (i = 0; i < STRESS_READERS; i++)
		threads += stress_start(s, stress_reader, "rcu-reader");
	threads += stress_start(s, stress_writer, "rcu-writer");
	EXPECT_EQ(t, threads, STRESS_READERS + 1);

	msleep(STRESS_MS);
	s->stop = true;
	for (i = 0; i < threads; i++)
		wait_for_completion(&s->exited);

	console_printf("        # %lu walks, %lu entries replaced: %lu freed by call_rcu, %lu after synchronize_rcu, %lu after a polled grace period\n",
		       s->walks, s->replaced, s->cb_frees, s->sync_frees, s->poll_frees);
	EXPECT_EQ(t, s->bad, 0);
	EXPECT_TRUE(t, s->walks > 50);
	EXPECT_TRUE(t, s->cb_frees > 20);
	EXPECT_TRUE(t, s->sync_frees > 2);
	EXPECT_TRUE(t, s->poll_frees > 2);
	stress_free_list(s);
	kfree(s);
	EXPECT_NO_LEAK(t, &before);
}

static const struct selftest_case rcu_cases[] = {
	SELFTEST_CASE(tick_inside_reader_is_not_quiescent),
	SELFTEST_CASE(call_rcu_runs_after_grace_period_in_order),
	SELFTEST_CASE(rcu_barrier_with_nothing_queued_returns),
	SELFTEST_CASE(readers_never_see_freed_entries),
};
SELFTEST_SUITE("rcu", rcu_cases);
