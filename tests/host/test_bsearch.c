// SPDX-License-Identifier: MIT
/* bsearch_floor_u64 against a linear scan, on random sorted arrays with
 * duplicates, as kallsyms uses it (symbols sharing an address). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <lib/bsearch.h>

static long linear_floor(const u64 *a, long n, u64 key)
{
	long i, found = -1;

	for (i = 0; i < n; i++)
		if (a[i] <= key)
			found = i;
	return found;
}

Test(bsearch, empty_and_single)
{
	u64 one = 10;

	cr_assert_eq(bsearch_floor_u64(NULL, 0, 5), -1);
	cr_assert_eq(bsearch_floor_u64(&one, 1, 9), -1);
	cr_assert_eq(bsearch_floor_u64(&one, 1, 10), 0);
	cr_assert_eq(bsearch_floor_u64(&one, 1, ~0ULL), 0);
}

Test(bsearch, random_arrays_agree_with_linear_scan)
{
	u64 a[300];
	unsigned seed = 7;
	int round;

	for (round = 0; round < 2000; round++) {
		long n = rand_r(&seed) % 300, i;
		u64 v = 0xffffffff80000000ULL;

		for (i = 0; i < n; i++) {
			v += rand_r(&seed) % 4;	/* steps of 0..3: many duplicates */
			a[i] = v;
		}
		for (i = 0; i < 50; i++) {
			u64 key = 0xffffffff80000000ULL + rand_r(&seed) % (n * 2 + 3);

			cr_assert_eq(bsearch_floor_u64(a, n, key), linear_floor(a, n, key),
				     "n=%ld key=%#llx", n, (unsigned long long)key);
		}
	}
}
