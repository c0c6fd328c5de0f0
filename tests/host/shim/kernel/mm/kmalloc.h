/* SPDX-License-Identifier: MIT */
/* Host stand-in for kernel/mm/kmalloc.h: malloc, counting what is out. */
#ifndef KERNEL_MM_KMALLOC_H
#define KERNEL_MM_KMALLOC_H

#include <stddef.h>

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *ptr);
/* Objects allocated and not yet freed. */
long host_kmalloc_outstanding(void);

#endif
