// SPDX-License-Identifier: MIT
/* bench_target_nopg(): the same body built without -pg: no fentry site. */
#include <kernel/workloads/bench_target.h>
#include <lib/compiler.h>

noinline int bench_target_nopg(int x)
{
	BENCH_TARGET_BODY(x);
}
