// SPDX-License-Identifier: MIT
/*
 * Heapsort of unsigned longs: ftrace sorts its fentry sites at boot and its
 * filter sets on every change. Heapsort needs no recursion and no extra
 * memory, and its worst case is its average case.
 */
#include <lib/sort.h>

static void swap_ul(unsigned long *a, unsigned long *b)
{
	unsigned long t = *a;

	*a = *b;
	*b = t;
}

/* Let a[root] sink until the subtree rooted there is a max-heap again. */
static void sift_down(unsigned long *a, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		swap_ul(&a[root], &a[child]);
		root = child;
	}
}

void sort_ulong(unsigned long *a, size_t n)
{
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (i = n - 1; i > 0; i--) {
		swap_ul(&a[0], &a[i]);	/* the largest goes to the end */
		sift_down(a, 0, i);
	}
}

size_t uniq_ulong(unsigned long *a, size_t n)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++)
		if (!out || a[out - 1] != a[i])
			a[out++] = a[i];
	return out;
}
