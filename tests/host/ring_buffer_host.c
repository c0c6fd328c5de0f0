// SPDX-License-Identifier: MIT
/*
 * The ring buffer's host environment and the checked payload used by its
 * tests (see ring_buffer_host.h). Everything here may run in a signal
 * handler playing an interrupt, except allocation.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ring_buffer_host.h"

static __thread unsigned int rbh_cpu;
static __thread int rbh_depth;
static u64 rbh_fake_ns;
static int rbh_fake;
static long rbh_allocs;
static __thread void (*rbh_hook)(void);

void rbh_set_cpu(unsigned int cpu)
{
	rbh_cpu = cpu;
}

void rbh_set_clock(u64 ns)
{
	__atomic_store_n(&rbh_fake_ns, ns, __ATOMIC_SEQ_CST);
	__atomic_store_n(&rbh_fake, 1, __ATOMIC_SEQ_CST);
}

void rbh_real_clock(void)
{
	__atomic_store_n(&rbh_fake, 0, __ATOMIC_SEQ_CST);
}

int rbh_preempt_depth(void)
{
	return rbh_depth;
}

long rbh_outstanding(void)
{
	return __atomic_load_n(&rbh_allocs, __ATOMIC_SEQ_CST);
}

static unsigned int rbh_this_cpu(void)
{
	return rbh_cpu;
}

void rbh_set_clock_hook(void (*hook)(void))
{
	rbh_hook = hook;
}

static u64 rbh_clock(void)
{
	struct timespec ts;

	if (rbh_hook)
		rbh_hook();
	if (__atomic_load_n(&rbh_fake, __ATOMIC_SEQ_CST))
		return __atomic_load_n(&rbh_fake_ns, __ATOMIC_SEQ_CST);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

/* The signal handler playing an interrupt runs on the same thread. */
static void rbh_preempt_disable(void)
{
	__atomic_fetch_add(&rbh_depth, 1, __ATOMIC_RELAXED);
}

static void rbh_preempt_enable(void)
{
	__atomic_fetch_sub(&rbh_depth, 1, __ATOMIC_RELAXED);
}

static void *rbh_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (p)
		__atomic_fetch_add(&rbh_allocs, 1, __ATOMIC_SEQ_CST);
	return p;
}

static void rbh_free(void *p)
{
	if (p)
		__atomic_fetch_sub(&rbh_allocs, 1, __ATOMIC_SEQ_CST);
	free(p);
}

/* Pages handed out and not freed, and how many may be (< 0: no limit). */
static long rbh_pages, rbh_page_limit = -1;

void rbh_set_page_limit(long pages)
{
	rbh_page_limit = pages;
}

static void *rbh_alloc_page(void)
{
	void *p;

	if (rbh_page_limit >= 0 && __atomic_load_n(&rbh_pages, __ATOMIC_SEQ_CST) >= rbh_page_limit)
		return NULL;
	p = aligned_alloc(RING_BUFFER_PAGE_SIZE, RING_BUFFER_PAGE_SIZE);
	if (p) {
		/* Garbage, as a recycled kernel page would hold. */
		memset(p, 0xa5, RING_BUFFER_PAGE_SIZE);
		__atomic_fetch_add(&rbh_allocs, 1, __ATOMIC_SEQ_CST);
		__atomic_fetch_add(&rbh_pages, 1, __ATOMIC_SEQ_CST);
	}
	return p;
}

static void rbh_free_page(void *p)
{
	if (p)
		__atomic_fetch_sub(&rbh_pages, 1, __ATOMIC_SEQ_CST);
	rbh_free(p);
}

static void rbh_relax(void)
{
	sched_yield();
}

const struct ring_buffer_ops rbh_ops = {
	.this_cpu = rbh_this_cpu,
	.clock = rbh_clock,
	.preempt_disable = rbh_preempt_disable,
	.preempt_enable = rbh_preempt_enable,
	.alloc = rbh_alloc,
	.free = rbh_free,
	.alloc_page = rbh_alloc_page,
	.free_page = rbh_free_page,
	.relax = rbh_relax,
};

/* ------------------------------------------------------------ payload */

/* Word @i of event @seq of @stream on @cpu: a mix that differs everywhere. */
static u64 tev_word(unsigned int cpu, unsigned int stream, u64 seq, u32 i)
{
	u64 x = seq * 0x9e3779b97f4a7c15ULL ^ ((u64)cpu << 48) ^ ((u64)stream << 40) ^ i;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

static u32 tev_sum(const struct tev *t)
{
	u64 s = t->seq ^ t->nwords;
	u32 i;

	for (i = 0; i < t->nwords; i++)
		s = (s << 7 | s >> 57) ^ t->w[i];
	return (u32)(s ^ s >> 32);
}

void tev_fill(struct tev *t, unsigned int cpu, unsigned int stream, u64 seq, u32 nwords)
{
	u32 i;

	t->magic = TEV_MAGIC;
	t->cpu = (u16)cpu;
	t->stream = (u16)stream;
	t->seq = seq;
	t->nwords = nwords;
	for (i = 0; i < nwords; i++)
		t->w[i] = tev_word(cpu, stream, seq, i);
	t->sum = tev_sum(t);
}

bool tev_intact(const struct ring_buffer_record *rec)
{
	const struct tev *t = (const struct tev *)rec->data;
	u32 i;

	if (rec->len < sizeof(*t) || t->magic != TEV_MAGIC || t->nwords > TEV_MAX_WORDS ||
	    rec->len != tev_size(t->nwords) || t->cpu != rec->cpu)
		return false;
	for (i = 0; i < t->nwords; i++)
		if (t->w[i] != tev_word(t->cpu, t->stream, t->seq, i))
			return false;
	return t->sum == tev_sum(t);
}
