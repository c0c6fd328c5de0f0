/* SPDX-License-Identifier: MIT */
/*
 * Atomic counters, compare-and-exchange on any word, and CPU memory
 * barriers, all written over GCC's __atomic builtins so that the same code
 * runs in the kernel and in the host tests without inline assembly.
 *
 * The ordering rules follow the usual kernel convention, so that code read
 * elsewhere means the same here:
 *
 *   atomic_read / atomic_set           no ordering (one whole access)
 *   atomic_add / sub / inc / dec       atomic, but no ordering
 *   anything that returns a value      fully ordered: acts as smp_mb()
 *   (…_return, fetch_…, …_and_test,    before and after itself
 *    cmpxchg, try_cmpxchg, xchg)
 *   …_acquire / …_release              one-way ordering as named
 *
 * Argument order also follows the convention: the amount comes first and
 * the counter second (atomic_add(1, &v)), except for read/set/xchg/cmpxchg
 * which take the counter first.
 *
 * atomic_t and atomic_long_t are typedefs, against the usual rule, because
 * they are opaque values: wrapping the integer in a struct keeps plain
 * `v++` from compiling.
 */
#ifndef LIB_ATOMIC_H
#define LIB_ATOMIC_H

#include <stdbool.h>

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

/* ------------------------------------------------------------ barriers */

/* smp_mb - no load or store moves across this point, on this CPU. */
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
/* smp_rmb - loads before it complete before loads after it. */
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* smp_wmb - stores before it are visible before stores after it. */
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)

/*
 * smp_load_acquire(p) - read *p; later accesses cannot move before it.
 * smp_store_release(p, v) - write v to *p; earlier accesses cannot move
 * after it. A reader that acquires the value a writer released also sees
 * everything the writer did before the release.
 */
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* ------------------------------------------- any word: pointers, longs */

/* xchg(p, v): store v in *p, return the old value. Fully ordered. */
#define xchg(p, v)		__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

/*
 * cmpxchg(p, old, new): if *p == old, store new. Returns the value *p had,
 * so success is "returned == old". Fully ordered.
 */
#define cmpxchg(p, old, new) ({						\
	__typeof__(*(p)) __cx_old = (old);				\
	__atomic_compare_exchange_n((p), &__cx_old, (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
	__cx_old;							\
})

/*
 * try_cmpxchg(p, oldp, new): if *p == *oldp, store new and return true;
 * otherwise copy the current *p into *oldp and return false, ready for the
 * next turn of a retry loop. Fully ordered.
 */
#define try_cmpxchg(p, oldp, new)					\
	__atomic_compare_exchange_n((p), (oldp), (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
/* The same, ordered as an acquire when it stores; a failure is relaxed. */
#define try_cmpxchg_acquire(p, oldp, new)				\
	__atomic_compare_exchange_n((p), (oldp), (new), false,		\
				    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
/* The same with no ordering at all (a count only this word carries). */
#define try_cmpxchg_relaxed(p, oldp, new)				\
	__atomic_compare_exchange_n((p), (oldp), (new), false,		\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED)

/*
 * Loads of a word another CPU changes, ordered as named: _relaxed is one
 * whole atomic load with no ordering; _consume orders the loads that go
 * through the value read (rcu_dereference); _mb is fully ordered.
 */
#define smp_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define smp_load_consume(p)	__atomic_load_n((p), __ATOMIC_CONSUME)
#define smp_load_mb(p)		__atomic_load_n((p), __ATOMIC_SEQ_CST)

/*
 * fetch_OP(p, v): *p = *p OP v in one atomic step; returns the old value.
 * Fully ordered; _relaxed: no ordering; _acq_rel: an acquire and a
 * release. For plain words (a u16 ticket, a flag word) that are not an
 * atomic_t.
 */
#define fetch_add(p, v)		__atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)
#define fetch_add_relaxed(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_RELAXED)
#define fetch_add_acq_rel(p, v)	__atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#define fetch_sub(p, v)		__atomic_fetch_sub((p), (v), __ATOMIC_SEQ_CST)
#define fetch_or(p, v)		__atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST)
#define fetch_or_relaxed(p, v)	__atomic_fetch_or((p), (v), __ATOMIC_RELAXED)
#define fetch_and(p, v)		__atomic_fetch_and((p), (v), __ATOMIC_SEQ_CST)
#define fetch_and_relaxed(p, v)	__atomic_fetch_and((p), (v), __ATOMIC_RELAXED)

/* ------------------------------------------------------------ atomic_t */

static inline int atomic_read(const atomic_t *v)
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i)
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline int atomic_read_acquire(const atomic_t *v)
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }
static inline void atomic_set_release(atomic_t *v, int i)
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }

static inline void atomic_add(int i, atomic_t *v)
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_sub(int i, atomic_t *v)
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_inc(atomic_t *v) { atomic_add(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_sub(1, v); }

/* The value after the operation. */
static inline int atomic_add_return(int i, atomic_t *v)
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_sub_return(int i, atomic_t *v)
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_sub_return(1, v); }
/* Ordered as a release only: a reference dropped after using what it held. */
static inline int atomic_dec_return_release(atomic_t *v)
{ return __atomic_sub_fetch(&v->counter, 1, __ATOMIC_RELEASE); }

/* The value before the operation. */
static inline int atomic_fetch_add(int i, atomic_t *v)
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_fetch_sub(int i, atomic_t *v)
{ return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }

/* True if the result is zero. */
static inline bool atomic_sub_and_test(int i, atomic_t *v)
{ return atomic_sub_return(i, v) == 0; }
static inline bool atomic_dec_and_test(atomic_t *v)
{ return atomic_sub_return(1, v) == 0; }
static inline bool atomic_inc_and_test(atomic_t *v)
{ return atomic_add_return(1, v) == 0; }

static inline int atomic_xchg(atomic_t *v, int new)
{ return __atomic_exchange_n(&v->counter, new, __ATOMIC_SEQ_CST); }
static inline int atomic_cmpxchg(atomic_t *v, int old, int new)
{ return cmpxchg(&v->counter, old, new); }
static inline bool atomic_try_cmpxchg(atomic_t *v, int *old, int new)
{ return try_cmpxchg(&v->counter, old, new); }

/* ------------------------------------------------------- atomic_long_t */

static inline long atomic_long_read(const atomic_long_t *v)
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_long_set(atomic_long_t *v, long i)
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline long atomic_long_read_acquire(const atomic_long_t *v)
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }
static inline void atomic_long_set_release(atomic_long_t *v, long i)
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }

static inline void atomic_long_add(long i, atomic_long_t *v)
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_long_sub(long i, atomic_long_t *v)
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_long_inc(atomic_long_t *v) { atomic_long_add(1, v); }
static inline void atomic_long_dec(atomic_long_t *v) { atomic_long_sub(1, v); }

static inline long atomic_long_add_return(long i, atomic_long_t *v)
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline long atomic_long_sub_return(long i, atomic_long_t *v)
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline long atomic_long_inc_return(atomic_long_t *v)
{ return atomic_long_add_return(1, v); }
static inline long atomic_long_dec_return(atomic_long_t *v)
{ return atomic_long_sub_return(1, v); }

static inline long atomic_long_fetch_add(long i, atomic_long_t *v)
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline long atomic_long_fetch_sub(long i, atomic_long_t *v)
{ return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }

static inline bool atomic_long_sub_and_test(long i, atomic_long_t *v)
{ return atomic_long_sub_return(i, v) == 0; }
static inline bool atomic_long_dec_and_test(atomic_long_t *v)
{ return atomic_long_sub_return(1, v) == 0; }

static inline long atomic_long_xchg(atomic_long_t *v, long new)
{ return __atomic_exchange_n(&v->counter, new, __ATOMIC_SEQ_CST); }
static inline long atomic_long_cmpxchg(atomic_long_t *v, long old, long new)
{ return cmpxchg(&v->counter, old, new); }
static inline bool atomic_long_try_cmpxchg(atomic_long_t *v, long *old, long new)
{ return try_cmpxchg(&v->counter, old, new); }

#endif /* LIB_ATOMIC_H */
