# SPDX-License-Identifier: MIT
# kernel/: the generic kernel.
KERNEL_CORE_SRCS := \
	kernel/main.c \
	kernel/printk.c \
	kernel/panic.c \
	kernel/preempt.c \
	kernel/console.c \
	kernel/shell.c \
	kernel/selftest.c \
	kernel/multiboot2.c \
	kernel/cmdline.c \
	kernel/kallsyms.c \
	kernel/stacktrace.c \
	kernel/time.c \
	kernel/sched.c \
	kernel/kthread.c \
	kernel/wait.c \
	kernel/mutex.c \
	kernel/rcu.c \
	kernel/ps.c \
	kernel/crash.c \
	kernel/smp.c

KERNEL_SRCS += $(KERNEL_CORE_SRCS)
# printk, the console and the unwinder are used by the tracers themselves.
NOTRACE_SRCS += kernel/printk.c kernel/panic.c kernel/preempt.c kernel/console.c \
	kernel/kallsyms.c kernel/stacktrace.c kernel/time.c kernel/sched.c kernel/kthread.c \
	kernel/wait.c kernel/mutex.c kernel/rcu.c kernel/smp.c
