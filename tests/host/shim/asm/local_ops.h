/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for asm/local_ops.h: the same operations as compiler
 * atomics (a test thread has no interrupts; atomics are more than enough).
 */
#ifndef ASM_LOCAL_OPS_H
#define ASM_LOCAL_OPS_H

#include <stdbool.h>

static inline bool try_cmpxchg_ptr_local(void **p, void **old, void *new)
{
	return __atomic_compare_exchange_n(p, old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static inline void add_uint_local(unsigned int *v, int i)
{
	__atomic_fetch_add(v, (unsigned int)i, __ATOMIC_SEQ_CST);
}

#endif
