/* SPDX-License-Identifier: MIT */
/*
 * refcount_t: a reference count that refuses to wrap around.
 *
 * An ordinary atomic counter that overflows comes back through zero, and
 * one decremented once too often goes negative; either way some later
 * put frees an object that is still in use. A refcount_t instead
 * *saturates*: on overflow, on a decrement below zero, or on an increment
 * of a count that is already zero (a use after free), it sticks at
 * REFCOUNT_SATURATED, reports it once through refcount_warn(), and from
 * then on ignores every change and never reports "reached zero" again.
 * The object leaks, which is a bug, but a harmless one.
 *
 * Every operation is a compare-and-exchange loop, so the counter never
 * holds a wrapped value, not even for an instant. Operations that can
 * drop the last reference are fully ordered (lib/atomic.h), so the CPU
 * that frees the object sees every write other holders made before their
 * put.
 *
 * rethook counts the rethook itself plus each node of its pool this way,
 * and frees the rethook when refcount_sub_and_test() says the last one is
 * gone.
 */
#ifndef LIB_REFCOUNT_H
#define LIB_REFCOUNT_H

#include <stdbool.h>
#include <lib/atomic.h>

/* A typedef, like atomic_t: an opaque value, not a record. */
typedef struct refcount {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }

/* The largest legal count; one more saturates. */
#define REFCOUNT_MAX		0x7fffffff
/*
 * Where a broken counter sticks: far from zero and from REFCOUNT_MAX, and
 * easy to spot in a memory dump (0xc0000000). Any negative value counts as
 * saturated.
 */
#define REFCOUNT_SATURATED	(-0x40000000)

/* refcount_set - give @r the value @n, as when the object is created. */
static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

/* refcount_read - the current count; only a snapshot under concurrency. */
static inline int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

/*
 * refcount_add / refcount_inc - take @i (or one) more reference(s).
 * The caller must already hold one: adding to zero is reported as a use
 * after free and saturates, as does passing REFCOUNT_MAX. @i must be > 0.
 */
void refcount_add(int i, refcount_t *r);
void refcount_inc(refcount_t *r);

/**
 * refcount_inc_not_zero - take a reference unless the object is dying
 * @r: the counter
 *
 * For lookups that may race with the last put. Returns false, changing
 * nothing, if the count was zero; true otherwise (a saturated counter stays
 * saturated and returns true: the object is leaked, so it is safe to use).
 */
bool refcount_inc_not_zero(refcount_t *r);

/**
 * refcount_sub_and_test - drop @i references
 * @i: how many; must be > 0
 * @r: the counter
 *
 * Returns true if this dropped the last reference: the caller must free
 * the object. Going below zero is reported as an underflow, saturates and
 * returns false. Fully ordered.
 */
bool refcount_sub_and_test(int i, refcount_t *r);

/* refcount_dec_and_test - refcount_sub_and_test(1, @r). */
bool refcount_dec_and_test(refcount_t *r);

/*
 * Reporting. refcount_warn() is called once per counter, at the moment it
 * saturates, with a one-line description ("refcount: underflow; use after
 * free") and the counter. It counts the event and passes it to the handler
 * installed by refcount_set_warn_handler(), if any: the kernel installs one
 * that prints it with a backtrace; tests install their own or just read
 * refcount_warn_count(). The handler may be called from any context.
 */
typedef void (*refcount_warn_fn)(const char *what, refcount_t *r);

void refcount_warn(const char *what, refcount_t *r);

/* Install @fn (NULL: none) and return the handler it replaces. */
refcount_warn_fn refcount_set_warn_handler(refcount_warn_fn fn);

/* How many times refcount_warn() has been called since boot. */
unsigned long refcount_warn_count(void);

#endif /* LIB_REFCOUNT_H */
