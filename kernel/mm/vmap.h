/* SPDX-License-Identifier: MIT */
/*
 * Virtual areas mapped page by page (arch/x86/mm/vmap.c):
 *
 *  - kernel stacks, each with an unmapped guard page below it, so an
 *    overflow faults at once instead of corrupting a neighbour;
 *  - executable pages near kernel text (kprobe instruction slots and
 *    trampolines), mapped read+execute from the start: their contents are
 *    written only through text_poke(), never through this mapping.
 */
#ifndef KERNEL_MM_VMAP_H
#define KERNEL_MM_VMAP_H

#include <kernel/arch.h>
#include <lib/types.h>

/* stack_alloc(), stack_free(): kernel/arch.h (the kernel calls them). */
/* The guard page under a stack returned by stack_alloc(). */
unsigned long stack_guard_page(void *stack);
/* Is @addr inside the guard page of some kernel stack (an overflow)? */
bool vmap_is_stack_guard(unsigned long addr);

/**
 * exec_pages_alloc - @n pages of run-time code, within rel32 reach of text
 *
 * The pages are mapped RX and filled with int3 (0xcc). Returns the address
 * or NULL. Context: may not be called from interrupts.
 */
void *exec_pages_alloc(unsigned n);
void exec_pages_free(void *addr, unsigned n);
bool exec_area_contains(unsigned long addr);

/*
 * By default a task is never preempted in run-time code (the interrupt
 * return path leaves it running: trampolines). The owner of pages whose
 * code a task may be preempted in marks them here: kprobe instruction
 * slots and detours. Either way the owner frees or reuses code only once
 * no task is inside it (synchronize_rcu_tasks_range(), kernel/tasks_rcu.h).
 * The mark goes with exec_pages_free().
 */
void exec_pages_set_preemptible(void *addr, unsigned n);
bool exec_page_preemptible(unsigned long addr);
/* exec_pages_in_use(): kernel/arch.h. */

#endif
