// SPDX-License-Identifier: MIT
/* sort_ulong, uniq_ulong and sort_strings against qsort on random and
 * adversarial input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lib/sort.h>

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

Test(sort, random_arrays_match_qsort)
{
	static unsigned long a[1000], b[1000];
	unsigned seed = 3;
	int round;

	for (round = 0; round < 500; round++) {
		size_t n = rand_r(&seed) % 1000, i;
		unsigned long mod = 1 + rand_r(&seed) % 2000;	/* small ranges: duplicates */

		for (i = 0; i < n; i++)
			a[i] = b[i] = 0xffffffff80000000UL + rand_r(&seed) % mod;
		sort_ulong(a, n);
		qsort(b, n, sizeof(b[0]), cmp_ul);
		cr_assert_arr_eq(a, b, n * sizeof(a[0]), "round %d, n %zu", round, n);
	}
}

Test(sort, sorted_reversed_and_equal_inputs)
{
	unsigned long a[257];
	size_t i;

	for (i = 0; i < 257; i++)
		a[i] = 257 - i;
	sort_ulong(a, 257);
	for (i = 0; i < 257; i++)
		cr_assert_eq(a[i], i + 1);
	sort_ulong(a, 257);		/* already sorted */
	for (i = 0; i < 257; i++)
		cr_assert_eq(a[i], i + 1);
	for (i = 0; i < 257; i++)
		a[i] = 7;
	sort_ulong(a, 257);
	cr_assert_eq(uniq_ulong(a, 257), 1);
	cr_assert_eq(a[0], 7);
}

Test(sort, uniq_keeps_first_of_each_run)
{
	unsigned long a[] = { 1, 1, 2, 3, 3, 3, 9 };
	unsigned long want[] = { 1, 2, 3, 9 };

	cr_assert_eq(uniq_ulong(a, 7), 4);
	cr_assert_arr_eq(a, want, sizeof(want));
	cr_assert_eq(uniq_ulong(a, 0), 0);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

Test(sort, strings_match_qsort)
{
	static char text[300][8];
	const char *a[300], *b[300];
	unsigned seed = 11;
	int round;

	for (round = 0; round < 200; round++) {
		size_t n = rand_r(&seed) % 300, i;

		for (i = 0; i < n; i++) {
			snprintf(text[i], sizeof(text[i]), "f%u", rand_r(&seed) % 97);
			a[i] = b[i] = text[i];
		}
		sort_strings(a, n);
		qsort(b, n, sizeof(b[0]), cmp_str);
		for (i = 0; i < n; i++)
			cr_assert_str_eq(a[i], b[i], "round %d, n %zu, i %zu", round, n, i);
	}
}
