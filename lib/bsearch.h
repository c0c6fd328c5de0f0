/* SPDX-License-Identifier: MIT */
/* Binary search in sorted arrays (kallsyms lookups by address use it). */
#ifndef LIB_BSEARCH_H
#define LIB_BSEARCH_H

#include <lib/types.h>

/**
 * bsearch_floor_u64 - the last index whose value is <= @key
 * @sorted: @n values in non-decreasing order
 *
 * Returns that index (the last of equal values), or -1 if every value is
 * greater than @key or @n is 0.
 */
long bsearch_floor_u64(const u64 *sorted, long n, u64 key);

#endif
