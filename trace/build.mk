# SPDX-License-Identifier: MIT
# trace/: generic tracing (ftrace core, kprobes, rethook, fprobe, events).
# Built without fentry sites: the tracers must not trace themselves.
TRACE_SRCS := \
	trace/rethook.c
KERNEL_SRCS += $(TRACE_SRCS)
NOTRACE_SRCS += $(TRACE_SRCS)

# rethook's bookkeeping is also built for the host unit tests
# (tests/host/test_rethook.c), against the stand-in kernel headers of
# tests/host/shim/, which come first on the include path for these two
# objects only; the test program defines what they declare.
HOST_SRCS += trace/rethook.c
HOST_SHIM_CFLAGS := -Itests/host/shim
$(B)/host/trace/rethook.o $(B)/host/tests/host/test_rethook.o: \
	HOSTCFLAGS := $(HOST_SHIM_CFLAGS) $(HOSTCFLAGS)
