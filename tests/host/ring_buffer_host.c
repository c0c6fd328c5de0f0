// SPDX-License-Identifier: MIT
/*
 * The ring buffer's host environment - its clock and its pages, the two
 * kernel services only it uses (the rest are in kernel_host.c) - and the
 * checked payload used by its tests (see ring_buffer_host.h). Everything
 * here may run in a signal handler playing an interrupt, except
 * allocation.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <trace/trace_clock.h>
#include "ring_buffer_host.h"

static u64 rbh_fake_ns;
static int rbh_fake;
static __thread void (*rbh_hook)(void);
/* Pages handed out and not freed, and how many may be (< 0: no limit). */
static long rbh_pages, rbh_page_limit = -1;

void rbh_set_cpu(unsigned int cpu)
{
	host_cpu = cpu;
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

void rbh_set_clock_hook(void (*hook)(void))
{
	rbh_hook = hook;
}

int rbh_preempt_depth(void)
{
	return (int)preempt_count();
}

long rbh_outstanding(void)
{
	return host_kmalloc_outstanding() + __atomic_load_n(&rbh_pages, __ATOMIC_SEQ_CST);
}

void rbh_set_page_limit(long pages)
{
	rbh_page_limit = pages;
}

/* ------------------------------------------- what the shim declares */

u64 trace_clock_read(void)
{
	struct timespec ts;

	if (rbh_hook)
		rbh_hook();
	if (__atomic_load_n(&rbh_fake, __ATOMIC_SEQ_CST))
		return __atomic_load_n(&rbh_fake_ns, __ATOMIC_SEQ_CST);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec;
}

u64 trace_clock_shown(u64 raw)
{
	return raw;
}

void *alloc_page(void)
{
	void *p;

	if (rbh_page_limit >= 0 && __atomic_load_n(&rbh_pages, __ATOMIC_SEQ_CST) >= rbh_page_limit)
		return NULL;
	p = aligned_alloc(RING_BUFFER_PAGE_SIZE, RING_BUFFER_PAGE_SIZE);
	if (p) {
		/* Garbage, as a recycled kernel page would hold. */
		memset(p, 0xa5, RING_BUFFER_PAGE_SIZE);
		__atomic_fetch_add(&rbh_pages, 1, __ATOMIC_SEQ_CST);
	}
	return p;
}

void free_page(void *p)
{
	if (p)
		__atomic_fetch_sub(&rbh_pages, 1, __ATOMIC_SEQ_CST);
	free(p);
}

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
