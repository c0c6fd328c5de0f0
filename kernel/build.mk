# SPDX-License-Identifier: MIT
# kernel/: the generic kernel.
KERNEL_CORE_SRCS := \
	kernel/main.c \
	kernel/printk.c \
	kernel/panic.c \
	kernel/preempt.c \
	kernel/percpu_counter.c \
	kernel/console.c \
	kernel/shell.c \
	kernel/shell_complete.c \
	kernel/shell_io.c \
	kernel/shell_pipe.c \
	kernel/shell_jobs.c \
	kernel/shell_text.c \
	kernel/shell_grep.c \
	kernel/selftest.c \
	kernel/multiboot2.c \
	kernel/cmdline.c \
	kernel/kallsyms.c \
	kernel/kallsyms_code.c \
	kernel/stacktrace.c \
	kernel/time.c \
	kernel/sched.c \
	kernel/kthread.c \
	kernel/wait.c \
	kernel/mutex.c \
	kernel/rcu.c \
	kernel/tasks_rcu.c \
	kernel/ps.c \
	kernel/crash.c \
	kernel/smp.c \
	kernel/smp_call.c \
	kernel/acpi.c \
	kernel/cpuinfo.c \
	kernel/pseudofs.c

KERNEL_SRCS += $(KERNEL_CORE_SRCS)
# Everything here is traced (it has fentry sites) except what the tracers
# themselves run: printk (debug output from handlers), panic, and the
# preempt-count helpers.
NOTRACE_SRCS += kernel/printk.c kernel/panic.c kernel/preempt.c

# The ACPI table and multiboot2 parsers are plain byte parsing: unit-tested
# on the host.
HOST_SRCS += kernel/acpi.c kernel/multiboot2.c
