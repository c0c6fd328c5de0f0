// SPDX-License-Identifier: MIT
/* bench_target(): traced, so it starts with an fentry site (see the header). */
#include <kernel/workloads/bench_target.h>
#include <lib/compiler.h>

noinline int bench_target(int x)
{
	BENCH_TARGET_BODY(x);
}
