// SPDX-License-Identifier: MIT
/* The per-CPU preemption and context counters (see preempt.h). */
#include <kernel/preempt.h>

DEFINE_PER_CPU(unsigned int, __preempt_count);
DEFINE_PER_CPU(bool, need_resched_flag);
