/* SPDX-License-Identifier: MIT */
/*
 * Fault-safe reads of kernel memory: a bad address yields -EFAULT instead
 * of an exception. Used by probe fetch-args, memory commands, the unwinder.
 */
#ifndef KERNEL_NOFAULT_H
#define KERNEL_NOFAULT_H

#include <lib/types.h>

/**
 * copy_from_kernel_nofault - copy @size bytes from @src, surviving faults
 *
 * Context: any, including interrupt and the int3/debug path.
 * Returns 0, or -EFAULT if any byte could not be read (@dst then holds
 * whatever was read before the fault).
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);

/* The same for writes: -EFAULT if any byte is unmapped or read-only. */
long copy_to_kernel_nofault(void *dst, const void *src, size_t size);

#define get_kernel_nofault(val, ptr) \
	copy_from_kernel_nofault(&(val), (ptr), sizeof(val))

#endif /* KERNEL_NOFAULT_H */
