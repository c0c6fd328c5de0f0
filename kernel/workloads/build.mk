# SPDX-License-Identifier: MIT
# kernel/workloads/: demo workloads to probe. Traced (they are what a
# student watches). fib keeps both recursive calls: see fib.c.
KERNEL_SRCS += kernel/workloads/fib.c kernel/workloads/run.c
$(B)/k/kernel/workloads/fib.o: KCFLAGS += -fno-optimize-sibling-calls
