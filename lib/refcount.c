// SPDX-License-Identifier: MIT
/*
 * Saturating reference counts (see lib/refcount.h for the rules).
 *
 * Each operation reads the count, decides the new value (the result, or
 * REFCOUNT_SATURATED if the result would be wrong), and installs it with
 * one compare-and-exchange, retrying if another CPU got there first. So a
 * counter goes from a legal value straight to saturated, never through a
 * wrapped one, and exactly one CPU - the one whose exchange saturated it -
 * reports it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/refcount.h>

static const char refcount_msg_zero[] = "refcount: increment on zero; use after free";
static const char refcount_msg_overflow[] = "refcount: overflow; object leaked";
static const char refcount_msg_underflow[] = "refcount: underflow; use after free";

static atomic_long_t refcount_warnings;
static refcount_warn_fn refcount_warn_handler;

/*
 * The three outcomes of an increase: a saturated counter is left alone
 * (it was reported when it saturated); zero means the object may already
 * be freed; a result above REFCOUNT_MAX would wrap. The last two saturate.
 */
void refcount_add(int i, refcount_t *r)
{
	int old = atomic_read(&r->refs);
	const char *bad;
	int new;

	do {
		if (old < 0)
			return;		/* saturated already: reported then */
		if (old == 0)
			bad = refcount_msg_zero;
		else if (old > REFCOUNT_MAX - i)
			bad = refcount_msg_overflow;
		else
			bad = NULL;
		new = bad ? REFCOUNT_SATURATED : old + i;
	} while (!atomic_try_cmpxchg(&r->refs, &old, new));

	if (unlikely(bad))
		refcount_warn(bad, r);
}

void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

/* Zero is a legal answer here ("too late"), not an error: no warning. */
bool refcount_inc_not_zero(refcount_t *r)
{
	int old = atomic_read(&r->refs);
	const char *bad;
	int new;

	do {
		if (old == 0)
			return false;
		if (old < 0)
			return true;
		bad = old == REFCOUNT_MAX ? refcount_msg_overflow : NULL;
		new = bad ? REFCOUNT_SATURATED : old + 1;
	} while (!atomic_try_cmpxchg(&r->refs, &old, new));

	if (unlikely(bad))
		refcount_warn(bad, r);
	return true;
}

/*
 * Dropping more references than are held means someone already freed, or
 * will free, the object while others use it: saturate rather than report
 * zero (which would free it again, or too early).
 */
bool refcount_sub_and_test(int i, refcount_t *r)
{
	int old = atomic_read(&r->refs);
	const char *bad;
	int new;

	do {
		if (old < 0)
			return false;
		bad = old < i ? refcount_msg_underflow : NULL;
		new = bad ? REFCOUNT_SATURATED : old - i;
	} while (!atomic_try_cmpxchg(&r->refs, &old, new));

	if (unlikely(bad)) {
		refcount_warn(bad, r);
		return false;
	}
	/* The fully ordered exchange made every holder's writes visible. */
	return new == 0;
}

bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

/* Count first, so a handler that never returns still leaves a trace. */
void refcount_warn(const char *what, refcount_t *r)
{
	refcount_warn_fn fn = READ_ONCE(refcount_warn_handler);

	atomic_long_inc(&refcount_warnings);
	if (fn)
		fn(what, r);
}

refcount_warn_fn refcount_set_warn_handler(refcount_warn_fn fn)
{
	return xchg(&refcount_warn_handler, fn);
}

unsigned long refcount_warn_count(void)
{
	return (unsigned long)atomic_long_read(&refcount_warnings);
}
