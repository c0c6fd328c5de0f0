/* SPDX-License-Identifier: MIT */
/*
 * In-kernel self-tests, reported in KTAP.
 *
 * A suite is a named array of cases; SELFTEST_SUITE() registers it in the
 * .selftests section. A case receives a struct selftest and checks with
 * EXPECT_*() (records a failure, goes on) or ASSERT_*() (records and
 * returns). `selftest [SUITE]` on the console, or `selftest` on the kernel
 * command line, runs them and prints KTAP that tests/e2e parses.
 */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include <lib/compiler.h>
#include <lib/types.h>

struct selftest {
	const char *name;
	int failures;
	bool skipped;
	const char *skip_reason;
};

struct selftest_case {
	const char *name;
	void (*fn)(struct selftest *t);
};

struct selftest_suite {
	const char *name;
	const struct selftest_case *cases;
	unsigned n_cases;
};

#define SELFTEST_CASE(fn)	{ #fn, fn }

#define SELFTEST_SUITE(sname, case_array)					\
	static const struct selftest_suite __suite_##case_array = {		\
		.name = sname, .cases = case_array,				\
		.n_cases = ARRAY_SIZE(case_array),		\
	};									\
	static const struct selftest_suite *const __suite_ptr_##case_array	\
	__attribute__((section(".selftests"), used)) = &__suite_##case_array

void selftest_fail(struct selftest *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void selftest_skip(struct selftest *t, const char *reason);

#define EXPECT_TRUE(t, cond) ({							\
	bool __ok = !!(cond);							\
	if (!__ok)								\
		selftest_fail(t, __FILE__, __LINE__, "expected %s", #cond);	\
	__ok;									\
})

#define EXPECT_EQ(t, a, b) ({							\
	long long __a = (long long)(a), __b = (long long)(b);			\
	bool __ok = __a == __b;							\
	if (!__ok)								\
		selftest_fail(t, __FILE__, __LINE__, "expected %s == %s (%lld vs %lld)", \
			      #a, #b, __a, __b);				\
	__ok;									\
})

#define EXPECT_NE(t, a, b) ({							\
	long long __a = (long long)(a), __b = (long long)(b);			\
	bool __ok = __a != __b;							\
	if (!__ok)								\
		selftest_fail(t, __FILE__, __LINE__, "expected %s != %s (both %lld)", \
			      #a, #b, __a);					\
	__ok;									\
})

#define EXPECT_STREQ(t, a, b) ({						\
	const char *__a = (a), *__b = (b);					\
	bool __ok = !strcmp(__a, __b);						\
	if (!__ok)								\
		selftest_fail(t, __FILE__, __LINE__, "expected %s == %s (\"%s\" vs \"%s\")", \
			      #a, #b, __a, __b);				\
	__ok;									\
})

#define ASSERT_TRUE(t, cond)	do { if (!EXPECT_TRUE(t, cond)) return; } while (0)
#define ASSERT_EQ(t, a, b)	do { if (!EXPECT_EQ(t, a, b)) return; } while (0)

/**
 * selftest_run - run every suite (@filter NULL), the one named, or SUITE.CASE
 *
 * CASE may be a glob ("smp_stress.kill_*"), as kunit's filter_glob.
 * Prints KTAP on the console. Returns the number of failed cases, or
 * -ENOENT if nothing matches. Ctrl-C stops after the current case.
 */
int selftest_run(const char *filter);

#endif
