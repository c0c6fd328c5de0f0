// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/freelist: the pool's stack order, the reference
 * count a node shows on and off the list, the ABA sequence played out by
 * hand against a simulated stalled CPU, and a stress in which four
 * threads take nodes from a small pool, claim each through an owner
 * field, and give them back in a different order from the one they took
 * them in (the pattern that produces ABA), while signals interrupt them
 * and use the pool too. A node handed to two threads at once shows up as
 * an owner clash; a node lost or put on the list twice shows up in the
 * count at the end, or as threads that never finish.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <criterion/criterion.h>
#include <lib/compiler.h>
#include <lib/freelist.h>

struct obj {
	int id;
	struct freelist_node fl;
	int owner;			/* 0: free; else the thread holding it */
	long uses;			/* written only by the owner */
};

static struct obj *obj_of(struct freelist_node *n)
{
	return n ? container_of(n, struct obj, fl) : NULL;
}

/* Give @n objects with ids 1..n to @pool, in order. */
static void fill_pool(struct freelist_head *pool, struct obj *objs, int n)
{
	for (int i = 0; i < n; i++) {
		objs[i].id = i + 1;
		objs[i].owner = 0;
		objs[i].uses = 0;
		freelist_node_init(&objs[i].fl);
		freelist_add(&objs[i].fl, pool);
	}
}

Test(freelist, empty_pool_gives_nothing)
{
	struct freelist_head pool = FREELIST_HEAD_INIT;
	struct freelist_head other;

	freelist_init(&other);
	cr_assert_null(freelist_try_get(&pool));
	cr_assert_null(freelist_try_get(&other));
}

Test(freelist, gets_come_back_last_in_first_out)
{
	struct freelist_head pool = FREELIST_HEAD_INIT;
	struct obj objs[3];

	fill_pool(&pool, objs, 3);
	cr_assert_eq(obj_of(freelist_try_get(&pool))->id, 3);
	cr_assert_eq(obj_of(freelist_try_get(&pool))->id, 2);
	cr_assert_eq(obj_of(freelist_try_get(&pool))->id, 1);
	cr_assert_null(freelist_try_get(&pool));
}

Test(freelist, node_returned_is_the_one_taken_again)
{
	struct freelist_head pool = FREELIST_HEAD_INIT;
	struct obj objs[2];
	struct freelist_node *n;

	fill_pool(&pool, objs, 2);
	n = freelist_try_get(&pool);
	freelist_add(n, &pool);
	cr_assert_eq(freelist_try_get(&pool), n);
	cr_assert_eq(obj_of(freelist_try_get(&pool))->id, 1);
	cr_assert_null(freelist_try_get(&pool));
}

/*
 * The count is 1 (the list's reference) while a node is linked and 0 while
 * its owner holds it, with no flag bit left over in either state.
 */
Test(freelist, reference_count_is_one_on_list_and_zero_when_taken)
{
	struct freelist_head pool = FREELIST_HEAD_INIT;
	struct obj objs[2];
	struct freelist_node *n;

	fill_pool(&pool, objs, 2);
	cr_assert_eq(atomic_read(&objs[0].fl.refs), 1);
	cr_assert_eq(atomic_read(&objs[1].fl.refs), 1);
	n = freelist_try_get(&pool);
	cr_assert_eq(atomic_read(&n->refs), 0);
	cr_assert_eq(pool.head, &objs[0].fl);
	freelist_add(n, &pool);
	cr_assert_eq(atomic_read(&n->refs), 1);
	cr_assert_eq(pool.head, n);
	cr_assert_eq(n->next, &objs[0].fl);
}

/*
 * The ABA scenario played out by hand. A "stalled CPU" has done the first
 * half of a pop on A, as lib/freelist.h describes it: taken a reference on
 * A and read A->next (B). Others now pop A and B and give A back. A plain
 * lock-free stack would put A back on top, and the stalled CPU's swap of
 * the head from A to B would then succeed and hand out B a second time.
 * Here A must stay off the list while the reference is held.
 */
Test(freelist, node_given_back_stays_off_list_while_a_reader_holds_it)
{
	struct freelist_head pool = FREELIST_HEAD_INIT;
	struct obj objs[3];		/* ids 1..3: C, B, A */
	struct freelist_node *a = &objs[2].fl, *b = &objs[1].fl, *c = &objs[0].fl;
	struct freelist_node *stale_next;

	fill_pool(&pool, objs, 3);
	cr_assert_eq(pool.head, a);

	atomic_inc(&a->refs);			/* the stalled CPU's reference */
	stale_next = a->next;
	cr_assert_eq(stale_next, b);

	cr_assert_eq(freelist_try_get(&pool), a);
	cr_assert_eq(freelist_try_get(&pool), b);
	freelist_add(a, &pool);
	cr_assert_eq(pool.head, c, "A went back on the list under a reader");

	/* The stalled CPU resumes: its swap must fail. */
	cr_assert_neq(cmpxchg(&pool.head, a, stale_next), a);
	cr_assert_eq(freelist_try_get(&pool), c);
	cr_assert_null(freelist_try_get(&pool));
}

/* ------------------------------------------------------------ stress */

/*
 * STRESS_THREADS threads take and give back nodes from one small pool,
 * and every so often each sends SIGUSR1 to the next. The handler plays an
 * interrupt handler that uses the same pool: it takes two nodes, gives
 * the first back and keeps the second for a while. When the signal lands
 * inside the target's own freelist_try_get(), between reading head->next
 * and the swap, that is exactly the ABA sequence (A back on top, B gone),
 * which makes it likelier than preemption alone would. It also checks that
 * the pool works from interrupt-like contexts, as it claims to.
 */
#define STRESS_THREADS		4
#define STRESS_ROUNDS		1000000		/* per thread */
#define STRESS_NODES		12		/* small: every node reused constantly */
#define STRESS_SIGNAL_EVERY	64		/* rounds between two signals sent */
#define STRESS_DEADLINE_S	30		/* normally done in about a second */

static struct freelist_head stress_pool;
static struct obj stress_objs[STRESS_NODES];
static pthread_t stress_threads[STRESS_THREADS];

struct stress_result {
	int me;				/* owner id, 1..STRESS_THREADS */
	struct obj *stash;		/* kept by the signal handler */
	long taken, empty, clashes, interrupts;	/* updated atomically */
};

static __thread struct stress_result *stress_self;
static pthread_barrier_t stress_go, stress_exit;
static int stress_finished;

static void stress_count(long *counter)
{
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/* Take a node for @r's thread and claim it; NULL if the pool was empty. */
static struct obj *stress_take(struct stress_result *r)
{
	struct obj *o = obj_of(freelist_try_get(&stress_pool));

	if (!o) {
		stress_count(&r->empty);
		return NULL;
	}
	if (__atomic_exchange_n(&o->owner, r->me, __ATOMIC_SEQ_CST) != 0)
		stress_count(&r->clashes);	/* handed out twice at once */
	o->uses++;
	stress_count(&r->taken);
	return o;
}

/* Unclaim a node @r's thread holds and give it back to the pool. */
static void stress_give(struct stress_result *r, struct obj *o)
{
	if (!o)
		return;
	if (__atomic_exchange_n(&o->owner, 0, __ATOMIC_SEQ_CST) != r->me)
		stress_count(&r->clashes);
	freelist_add(&o->fl, &stress_pool);
}

/*
 * The "interrupt": return what the last one kept, then take A and B, give
 * A back and keep B. A ends on top, as it was, with a different next.
 */
static void stress_interrupt(int sig)
{
	struct stress_result *r = stress_self;
	struct obj *a, *b;

	(void)sig;
	if (!r)
		return;
	stress_count(&r->interrupts);
	stress_give(r, __atomic_exchange_n(&r->stash, NULL, __ATOMIC_SEQ_CST));
	a = stress_take(r);
	b = stress_take(r);
	stress_give(r, a);
	__atomic_store_n(&r->stash, b, __ATOMIC_SEQ_CST);
}

/*
 * One thread: take two nodes, give back the first, take one more, give
 * back the other two, and return whatever the handler kept; now and then
 * interrupt the next thread. At the end, with the signal blocked, wait at
 * the exit barrier: no thread exits while another may still signal it.
 */
static void *stress_thread(void *arg)
{
	struct stress_result *r = arg;
	pthread_t peer;
	sigset_t usr1;

	stress_self = r;
	pthread_barrier_wait(&stress_go);	/* every stress_threads[] is set */
	peer = stress_threads[r->me % STRESS_THREADS];
	for (long i = 0; i < STRESS_ROUNDS; i++) {
		struct obj *a = stress_take(r);
		struct obj *b = stress_take(r);
		struct obj *c;

		stress_give(r, a);
		c = stress_take(r);
		stress_give(r, c);
		stress_give(r, b);
		stress_give(r, __atomic_exchange_n(&r->stash, NULL, __ATOMIC_SEQ_CST));
		if (i % STRESS_SIGNAL_EVERY == 0)
			pthread_kill(peer, SIGUSR1);
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	stress_give(r, __atomic_exchange_n(&r->stash, NULL, __ATOMIC_SEQ_CST));
	__atomic_fetch_add(&stress_finished, 1, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&stress_exit);
	return NULL;
}

/* Fill the pool and start the threads, all at once through a barrier. */
static void stress_start(struct stress_result *res)
{
	struct sigaction sa = { .sa_handler = stress_interrupt, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	cr_assert_eq(pthread_barrier_init(&stress_go, NULL, STRESS_THREADS + 1), 0);
	cr_assert_eq(pthread_barrier_init(&stress_exit, NULL, STRESS_THREADS + 1), 0);
	freelist_init(&stress_pool);
	fill_pool(&stress_pool, stress_objs, STRESS_NODES);
	for (int t = 0; t < STRESS_THREADS; t++) {
		res[t].me = t + 1;
		cr_assert_eq(pthread_create(&stress_threads[t], NULL, stress_thread, &res[t]), 0);
	}
	pthread_barrier_wait(&stress_go);
}

/*
 * Wait for the threads to finish their rounds, then let them exit. A
 * corrupted list can livelock (a head pointing at a node that is not on
 * the list makes every pop retry forever), hence the deadline.
 */
static void stress_finish(void)
{
	struct timespec tick = { 0, 1000000 };
	long waited_ms = 0;

	while (__atomic_load_n(&stress_finished, __ATOMIC_SEQ_CST) < STRESS_THREADS) {
		if (++waited_ms > STRESS_DEADLINE_S * 1000L)
			cr_assert_fail("threads still running after %d s: livelock",
				       STRESS_DEADLINE_S);
		nanosleep(&tick, NULL);
	}
	pthread_barrier_wait(&stress_exit);
	for (int t = 0; t < STRESS_THREADS; t++)
		pthread_join(stress_threads[t], NULL);
}

Test(freelist, stress_threads_and_interrupts_never_share_or_lose_a_node, .timeout = 60)
{
	struct stress_result res[STRESS_THREADS] = { 0 };
	long taken = 0, empty = 0, clashes = 0, interrupts = 0, uses = 0;
	int found[STRESS_NODES] = { 0 };
	struct obj *o;

	stress_start(res);
	stress_finish();
	for (int t = 0; t < STRESS_THREADS; t++) {
		taken += res[t].taken;
		empty += res[t].empty;
		clashes += res[t].clashes;
		interrupts += res[t].interrupts;
	}
	cr_log_info("freelist stress: %ld gets, %ld found the pool empty, %ld interrupts",
		    taken, empty, interrupts);
	cr_expect_eq(clashes, 0, "%ld times a node was handed out twice", clashes);

	/*
	 * Quiescent now: every node must be on the list exactly once. A
	 * node linked twice could make the list a cycle, so the first repeat
	 * ends the drain.
	 */
	while ((o = obj_of(freelist_try_get(&stress_pool)))) {
		cr_assert(o >= stress_objs && o < stress_objs + STRESS_NODES,
			  "a stray node on the list");
		cr_assert_eq(found[o->id - 1]++, 0, "node %d on the list twice", o->id);
		cr_expect_eq(o->owner, 0);
		cr_expect_eq(atomic_read(&o->fl.refs), 0, "node %d kept references", o->id);
		uses += o->uses;
	}
	for (int i = 0; i < STRESS_NODES; i++)
		cr_expect_eq(found[i], 1, "node %d lost", i + 1);
	cr_expect_eq(uses, taken, "%ld uses recorded for %ld gets", uses, taken);
}
