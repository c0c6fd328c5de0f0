// SPDX-License-Identifier: MIT
/*
 * fib(): the classic naive recursion, the first thing a student probes.
 * fib(n) makes exactly 2*fib(n+1) - 1 calls (fib 5: 15, fib 7: 41), so a
 * probe's hit count can be checked by arithmetic.
 *
 * gcc -O2 likes to turn one of the two recursive calls into a loop (a
 * tail call with an accumulator), which would change the number of calls.
 * This file is built with -fno-optimize-sibling-calls to keep both, and a
 * self-test checks the machine code really calls fib twice.
 */
#include <kernel/workloads/workloads.h>
#include <lib/compiler.h>

noinline unsigned long fib(unsigned long n)
{
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

/* How many calls fib(n) makes: calls(n) = 1 + calls(n-1) + calls(n-2). */
unsigned long fib_calls(unsigned long n)
{
	unsigned long a = 1, b = 1, i;	/* calls(0), calls(1) */

	for (i = 2; i <= n; i++) {
		unsigned long c = 1 + a + b;

		a = b;
		b = c;
	}
	return n == 0 ? 1 : b;
}
