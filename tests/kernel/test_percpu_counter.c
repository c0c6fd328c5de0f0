// SPDX-License-Identifier: MIT
/* Self-tests of per-CPU counters (kernel/percpu_counter.c). */
#include <kernel/selftest.h>
#include <kernel/percpu_counter.h>

static void percpu_counter_sums_what_was_counted(struct selftest *t)
{
	struct pcpu_counter c;
	int i;

	ASSERT_EQ(t, pcpu_counter_init(&c), 0);
	EXPECT_EQ(t, pcpu_counter_sum(&c), 0UL);
	for (i = 0; i < 5; i++)
		pcpu_counter_inc(&c);
	EXPECT_EQ(t, pcpu_counter_sum(&c), 5UL);
	pcpu_counter_reset(&c);
	EXPECT_EQ(t, pcpu_counter_sum(&c), 0UL);
	pcpu_counter_destroy(&c);
	EXPECT_EQ(t, c.addr, 0UL);
}

/* A word given back and handed out again starts from zero. */
static void percpu_counter_reused_starts_at_zero(struct selftest *t)
{
	struct pcpu_counter a, b;

	ASSERT_EQ(t, pcpu_counter_init(&a), 0);
	pcpu_counter_inc(&a);
	pcpu_counter_destroy(&a);
	ASSERT_EQ(t, pcpu_counter_init(&b), 0);
	EXPECT_EQ(t, pcpu_counter_sum(&b), 0UL);
	pcpu_counter_destroy(&b);
}

/* Two counters do not share a word. */
static void percpu_counters_are_separate(struct selftest *t)
{
	struct pcpu_counter a, b;

	ASSERT_EQ(t, pcpu_counter_init(&a), 0);
	if (!EXPECT_EQ(t, pcpu_counter_init(&b), 0)) {
		pcpu_counter_destroy(&a);
		return;
	}
	EXPECT_NE(t, a.addr, b.addr);
	pcpu_counter_inc(&a);
	pcpu_counter_inc(&a);
	pcpu_counter_inc(&b);
	EXPECT_EQ(t, pcpu_counter_sum(&a), 2UL);
	EXPECT_EQ(t, pcpu_counter_sum(&b), 1UL);
	pcpu_counter_destroy(&a);
	pcpu_counter_destroy(&b);
}

static const struct selftest_case percpu_counter_cases[] = {
	SELFTEST_CASE(percpu_counter_sums_what_was_counted),
	SELFTEST_CASE(percpu_counter_reused_starts_at_zero),
	SELFTEST_CASE(percpu_counters_are_separate),
};
SELFTEST_SUITE("percpu_counter", percpu_counter_cases);
