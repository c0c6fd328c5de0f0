// SPDX-License-Identifier: MIT
/*
 * Heapsort: ftrace sorts its fentry sites at boot and its filter sets on
 * every change, fprobe sorts the names it is given. Heapsort needs no
 * recursion and no extra memory, and its worst case is its average case.
 * One heap walks every array here; each element type only says how two
 * elements compare and how they swap.
 */
#include <lib/sort.h>
#include <lib/string.h>

struct sort_ops {
	bool (*less)(const void *base, size_t i, size_t j);
	void (*swap)(void *base, size_t i, size_t j);
};

/* Let element @root sink until the subtree rooted there is a max-heap again. */
static void sift_down(void *base, size_t root, size_t n, const struct sort_ops *ops)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && ops->less(base, child, child + 1))
			child++;
		if (!ops->less(base, root, child))
			return;
		ops->swap(base, root, child);
		root = child;
	}
}

static void heap_sort(void *base, size_t n, const struct sort_ops *ops)
{
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		sift_down(base, i, n, ops);
	for (i = n - 1; i > 0; i--) {
		ops->swap(base, 0, i);	/* the largest goes to the end */
		sift_down(base, 0, i, ops);
	}
}

static bool ulong_less(const void *base, size_t i, size_t j)
{
	const unsigned long *a = base;

	return a[i] < a[j];
}

static void ulong_swap(void *base, size_t i, size_t j)
{
	unsigned long *a = base, t = a[i];

	a[i] = a[j];
	a[j] = t;
}

void sort_ulong(unsigned long *a, size_t n)
{
	static const struct sort_ops ops = { ulong_less, ulong_swap };

	heap_sort(a, n, &ops);
}

static bool string_less(const void *base, size_t i, size_t j)
{
	const char *const *a = base;

	return strcmp(a[i], a[j]) < 0;
}

static void string_swap(void *base, size_t i, size_t j)
{
	const char **a = base, *t = a[i];

	a[i] = a[j];
	a[j] = t;
}

void sort_strings(const char **a, size_t n)
{
	static const struct sort_ops ops = { string_less, string_swap };

	heap_sort(a, n, &ops);
}

/* sort_strings_by(): the array with the order it is sorted in. */
struct string_order {
	const char **a;
	int (*cmp)(const char *, const char *);
	bool reverse;
};

static bool ordered_less(const void *base, size_t i, size_t j)
{
	const struct string_order *o = base;
	int d = o->cmp(o->a[i], o->a[j]);

	return o->reverse ? d > 0 : d < 0;
}

static void ordered_swap(void *base, size_t i, size_t j)
{
	const struct string_order *o = base;

	string_swap(o->a, i, j);
}

void sort_strings_by(const char **a, size_t n, int (*cmp)(const char *, const char *),
		     bool reverse)
{
	static const struct sort_ops ops = { ordered_less, ordered_swap };
	struct string_order o = { a, cmp, reverse };

	heap_sort(&o, n, &ops);
}

size_t uniq_ulong(unsigned long *a, size_t n)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++)
		if (!out || a[out - 1] != a[i])
			a[out++] = a[i];
	return out;
}
