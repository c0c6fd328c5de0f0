/* SPDX-License-Identifier: MIT */
/*
 * Fault-safe reads of kernel memory: a bad address yields -EFAULT instead
 * of an exception. Used by probe fetch-args, memory commands, the unwinder.
 */
#ifndef KERNEL_NOFAULT_H
#define KERNEL_NOFAULT_H

#include <kernel/arch.h>
#include <lib/types.h>

/* copy_from_kernel_nofault(), copy_to_kernel_nofault(): the arch's
 * (exception-table fix-ups), declared in kernel/arch.h. */

#define get_kernel_nofault(val, ptr) \
	copy_from_kernel_nofault(&(val), (ptr), sizeof(val))

#endif /* KERNEL_NOFAULT_H */
