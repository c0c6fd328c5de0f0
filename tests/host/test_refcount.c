// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/refcount: ordinary counting, each way a counter can
 * saturate (overflow, increment on zero, underflow), the single warning
 * each one produces through the handler, that a saturated counter stays
 * put and never reports "last reference", and a threaded check that
 * exactly one of many concurrent puts sees the count reach zero.
 */
#include <pthread.h>
#include <string.h>
#include <criterion/criterion.h>
#include <lib/refcount.h>

/* What the test handler saw. Criterion runs each test in its own process. */
static int warned;
static const char *warned_what;
static refcount_t *warned_ref;

static void record_warning(const char *what, refcount_t *r)
{
	warned++;
	warned_what = what;
	warned_ref = r;
}

static void install_handler(void)
{
	refcount_set_warn_handler(record_warning);
}

TestSuite(refcount, .init = install_handler);

/* The counter saturated with one warning whose text contains @word. */
static void assert_saturated_once(refcount_t *r, const char *word)
{
	cr_assert_eq(refcount_read(r), REFCOUNT_SATURATED);
	cr_assert_eq(warned, 1, "%d warnings", warned);
	cr_assert_eq(warned_ref, r);
	cr_assert_not_null(strstr(warned_what, word), "warning was \"%s\"", warned_what);
	cr_assert_eq(refcount_warn_count(), 1);
}

Test(refcount, set_and_read)
{
	refcount_t r = REFCOUNT_INIT(3);

	cr_assert_eq(refcount_read(&r), 3);
	refcount_set(&r, 1);
	cr_assert_eq(refcount_read(&r), 1);
	cr_assert_eq(refcount_warn_count(), 0);
}

Test(refcount, last_dec_and_test_reports_zero)
{
	refcount_t r = REFCOUNT_INIT(1);

	refcount_inc(&r);
	cr_assert_eq(refcount_read(&r), 2);
	cr_assert_not(refcount_dec_and_test(&r));
	cr_assert(refcount_dec_and_test(&r));
	cr_assert_eq(refcount_read(&r), 0);
	cr_assert_eq(warned, 0);
}

Test(refcount, add_and_sub_and_test_move_by_amounts)
{
	refcount_t r = REFCOUNT_INIT(1);

	refcount_add(5, &r);
	cr_assert_eq(refcount_read(&r), 6);
	cr_assert_not(refcount_sub_and_test(4, &r));
	cr_assert_eq(refcount_read(&r), 2);
	cr_assert(refcount_sub_and_test(2, &r));
	cr_assert_eq(warned, 0);
}

Test(refcount, inc_not_zero_refuses_a_dying_object)
{
	refcount_t r = REFCOUNT_INIT(0);

	cr_assert_not(refcount_inc_not_zero(&r));
	cr_assert_eq(refcount_read(&r), 0);
	refcount_set(&r, 3);
	cr_assert(refcount_inc_not_zero(&r));
	cr_assert_eq(refcount_read(&r), 4);
	cr_assert_eq(warned, 0);
}

Test(refcount, inc_past_max_saturates_and_warns)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);

	refcount_inc(&r);
	assert_saturated_once(&r, "overflow");
}

Test(refcount, add_past_max_saturates_and_warns)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX - 2);

	refcount_add(2, &r);
	cr_assert_eq(refcount_read(&r), REFCOUNT_MAX);
	cr_assert_eq(warned, 0);
	refcount_set(&r, REFCOUNT_MAX - 2);
	refcount_add(3, &r);
	assert_saturated_once(&r, "overflow");
}

Test(refcount, inc_not_zero_past_max_saturates_and_warns)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);

	cr_assert(refcount_inc_not_zero(&r));
	assert_saturated_once(&r, "overflow");
}

Test(refcount, inc_on_zero_is_a_use_after_free)
{
	refcount_t r = REFCOUNT_INIT(0);

	refcount_inc(&r);
	assert_saturated_once(&r, "use after free");
	cr_assert_not_null(strstr(warned_what, "zero"));
}

Test(refcount, dec_below_zero_saturates_and_warns)
{
	refcount_t r = REFCOUNT_INIT(0);

	cr_assert_not(refcount_dec_and_test(&r));
	assert_saturated_once(&r, "underflow");
}

Test(refcount, sub_more_than_held_saturates_instead_of_freeing)
{
	refcount_t r = REFCOUNT_INIT(2);

	cr_assert_not(refcount_sub_and_test(3, &r));
	assert_saturated_once(&r, "underflow");
}

/* Once saturated, nothing moves it, nothing reports zero, nothing warns again. */
Test(refcount, saturated_counter_stays_put_and_quiet)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);

	refcount_inc(&r);
	for (int i = 0; i < 1000; i++) {
		cr_assert_not(refcount_dec_and_test(&r));
		cr_assert_not(refcount_sub_and_test(7, &r));
		refcount_inc(&r);
		refcount_add(100, &r);
		cr_assert(refcount_inc_not_zero(&r));
	}
	assert_saturated_once(&r, "overflow");
}

Test(refcount, warnings_are_counted_without_a_handler)
{
	refcount_t r = REFCOUNT_INIT(0);

	cr_assert_eq(refcount_set_warn_handler(NULL), record_warning);
	refcount_inc(&r);
	refcount_set(&r, 0);
	cr_assert_not(refcount_dec_and_test(&r));
	cr_assert_eq(refcount_warn_count(), 2);
	cr_assert_eq(warned, 0);
	cr_assert_null(refcount_set_warn_handler(record_warning));
}

/* ------------------------------------------------------------ threads */

#define PUT_THREADS	4
#define PUT_EACH	200000

static refcount_t shared = REFCOUNT_INIT(1);
static int zero_seen, refused;

/*
 * Each thread takes and drops references in pairs, then drops its share
 * of the initial count. Only the very last put may see zero.
 */
static void *put_thread(void *arg)
{
	(void)arg;
	for (int i = 0; i < PUT_EACH; i++) {
		refcount_inc(&shared);
		if (!refcount_inc_not_zero(&shared))
			__atomic_fetch_add(&refused, 1, __ATOMIC_SEQ_CST);
		if (refcount_sub_and_test(2, &shared))
			__atomic_fetch_add(&zero_seen, 1, __ATOMIC_SEQ_CST);
	}
	for (int i = 0; i < PUT_EACH; i++)
		if (refcount_dec_and_test(&shared))
			__atomic_fetch_add(&zero_seen, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

Test(refcount, concurrent_puts_see_zero_exactly_once, .timeout = 30)
{
	pthread_t threads[PUT_THREADS];

	refcount_set(&shared, PUT_THREADS * PUT_EACH);
	for (int t = 0; t < PUT_THREADS; t++)
		cr_assert_eq(pthread_create(&threads[t], NULL, put_thread, NULL), 0);
	for (int t = 0; t < PUT_THREADS; t++)
		pthread_join(threads[t], NULL);
	cr_assert_eq(refused, 0);
	cr_assert_eq(zero_seen, 1);
	cr_assert_eq(refcount_read(&shared), 0);
	cr_assert_eq(warned, 0);
}
