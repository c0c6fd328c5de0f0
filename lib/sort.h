/* SPDX-License-Identifier: MIT */
/* Sorting arrays in place (heapsort: no recursion, no allocation). */
#ifndef LIB_SORT_H
#define LIB_SORT_H

#include <lib/types.h>

/* Sort @n unsigned longs ascending. O(n log n), any input. */
void sort_ulong(unsigned long *a, size_t n);

/* Sort @n strings by strcmp(), ascending (the pointers move, not the text). */
void sort_strings(const char **a, size_t n);

/* Sort @n strings by @cmp (<0, 0, >0), descending if @reverse. */
void sort_strings_by(const char **a, size_t n, int (*cmp)(const char *, const char *),
		     bool reverse);

/* Remove adjacent duplicates from a sorted array; returns the new length. */
size_t uniq_ulong(unsigned long *a, size_t n);

#endif
