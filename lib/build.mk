# SPDX-License-Identifier: MIT
# lib/: freestanding code that builds for the kernel and for the host.
# Every .c here is linked into both. lib/ is never traced: the tracing
# machinery calls into it.

LIB_SRCS := $(wildcard lib/*.c)
KERNEL_SRCS += $(LIB_SRCS)
NOTRACE_SRCS += $(LIB_SRCS)
HOST_SRCS += $(LIB_SRCS)

# lib/string.c defines memcpy, memset and friends. gcc recognises loops
# that copy or fill memory and replaces them with calls to memcpy/memset,
# which inside those very functions would recurse for ever; and on the
# host it must not swap our lib_* bodies for libc's builtins either.
LIB_STRING_CFLAGS := -fno-builtin -fno-tree-loop-distribute-patterns
$(B)/k/lib/string.o: KCFLAGS += $(LIB_STRING_CFLAGS)
$(B)/host/lib/string.o: HOSTCFLAGS += $(LIB_STRING_CFLAGS)
