// SPDX-License-Identifier: MIT
/* Binary search in sorted arrays (see bsearch.h). */
#include <lib/bsearch.h>

long bsearch_floor_u64(const u64 *sorted, long n, u64 key)
{
	long lo = 0, hi = n - 1, found = -1;

	/* Invariant: every index < lo holds a value <= key, every one > hi a
	 * value > key; found is the largest index known to be <= key. */
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (sorted[mid] <= key) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}
