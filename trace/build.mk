# SPDX-License-Identifier: MIT
# trace/: generic tracing (ftrace core, kprobes, rethook, fprobe, events).
# Built without fentry sites: the tracers must not trace themselves.
TRACE_SRCS := \
	trace/rethook.c
KERNEL_SRCS += $(TRACE_SRCS)
NOTRACE_SRCS += $(TRACE_SRCS)

