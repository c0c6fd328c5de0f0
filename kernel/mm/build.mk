# SPDX-License-Identifier: MIT
# kernel/mm/: the generic cores of the page allocator (buddy) and kmalloc
# (slab). Both are pure bookkeeping, so they are also built for the host
# unit tests. They are traced: no probe handler allocates, and a site
# patched while the patcher itself allocates is covered by int3 emulation.

MM_SRCS := kernel/mm/buddy.c kernel/mm/slab.c
KERNEL_SRCS += $(MM_SRCS)
HOST_SRCS += $(MM_SRCS)

# The kernel-side glue: boot allocator, page allocator, kmalloc, `mem`.
MM_KERNEL_SRCS := kernel/mm/memblock.c kernel/mm/page_alloc.c kernel/mm/kmalloc.c \
	kernel/mm/meminfo.c
KERNEL_SRCS += $(MM_KERNEL_SRCS)
# memblock runs only at boot, before ftrace exists.
NOTRACE_SRCS += kernel/mm/memblock.c
HOST_SRCS += kernel/mm/memblock.c
