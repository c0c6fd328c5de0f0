/* SPDX-License-Identifier: MIT */
/*
 * Operations that are atomic against this CPU only: an interrupt cannot
 * split them, another CPU can. For data that only its own CPU touches
 * (a per-CPU cache, read with preemption off), where interrupts on that
 * CPU are the only other writers. One instruction each, without LOCK:
 * cheaper than disabling interrupts around a plain read-modify-write,
 * and cheaper than an atomic that must also win the cache line from
 * other CPUs. Linux calls these the local_t and *_local operations.
 */
#ifndef ASM_LOCAL_OPS_H
#define ASM_LOCAL_OPS_H

#include <lib/compiler.h>
#include <lib/types.h>

/*
 * If *@p == *@old, store @new and return true; else copy *@p into *@old
 * and return false (ready for the next turn of a retry loop).
 */
static __always_inline bool try_cmpxchg_ptr_local(void **p, void **old, void *new)
{
	bool ok;

	asm volatile("cmpxchgq %[new], %[mem]"
		     : "=@ccz"(ok), [mem] "+m"(*p), "+a"(*old)
		     : [new] "r"(new)
		     : "memory");
	return ok;
}

/* *@v += @i in one instruction. */
static __always_inline void add_uint_local(unsigned int *v, int i)
{
	asm volatile("addl %[i], %[v]" : [v] "+m"(*v) : [i] "ir"(i) : "memory");
}

#endif /* ASM_LOCAL_OPS_H */
