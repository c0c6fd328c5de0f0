# SPDX-License-Identifier: MIT
# kernel/workloads/: demo workloads to probe. Traced (they are what a
# student watches). fib keeps both recursive calls: see fib.c.
KERNEL_SRCS += kernel/workloads/fib.c kernel/workloads/run.c kernel/workloads/words.c
$(B)/k/kernel/workloads/fib.o: KCFLAGS += -fno-optimize-sibling-calls

# The benchmark target, with and without its fentry site.
KERNEL_SRCS += kernel/workloads/bench_target.c kernel/workloads/bench_target_nopg.c
NOTRACE_SRCS += kernel/workloads/bench_target_nopg.c
$(B)/k/kernel/workloads/bench_target.o $(B)/k/kernel/workloads/bench_target_nopg.o: \
	KCFLAGS += -fno-optimize-sibling-calls
