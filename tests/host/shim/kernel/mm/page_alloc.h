/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for kernel/mm/page_alloc.h: one page at a time, as the
 * ring buffer takes them. Defined by tests/host/ring_buffer_host.c, which
 * counts them and can refuse them.
 */
#ifndef KERNEL_MM_PAGE_ALLOC_H
#define KERNEL_MM_PAGE_ALLOC_H

/* A page-aligned 4 KiB page (full of garbage), or NULL. */
void *alloc_page(void);
void free_page(void *addr);

#endif
