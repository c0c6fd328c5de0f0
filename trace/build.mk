# SPDX-License-Identifier: MIT
# trace/: generic tracing (ftrace core, kprobes, rethook, fprobe, events).
# Built without fentry sites: the tracers must not trace themselves.
TRACE_SRCS := trace/ring_buffer.c trace/ring_buffer_read.c trace/ring_buffer_resize.c \
	trace/ftrace.c trace/ftrace_filter.c trace/trace.c trace/trace_header.c \
	trace/trace_stack_record.c trace/tracefs.c trace/trace_options.c \
	trace/trace_functions.c trace/trace_graph.c trace/fhook.c trace/livepatch_demo.c \
	trace/kprobes.c trace/kprobes_opt.c trace/kprobe_slots.c trace/kretprobes.c trace/kprobes_debugfs.c trace/rethook.c \
	trace/fprobe.c trace/bench.c trace/bench_kinds.c trace/bench_scale.c trace/bench_smp.c \
	trace/probe_parse.c trace/probe_parse_arg.c trace/probe_multi.c trace/probe_fetch.c \
	trace/probe_format.c trace/tracefs_readme.c trace/probe_events.c trace/probe_event_enable.c trace/probe_event_files.c trace/probe_record.c trace/trace_errlog.c \
	trace/trace_kprobe.c trace/trace_fprobe.c trace/shadow_stacks.c trace/event_filter_parse.c \
	trace/event_filter.c trace/event_trigger.c trace/probe_event_filter.c
# function_graph's output and its controls (set_graph_function ...).
TRACE_SRCS += trace/trace_graph_print.c trace/trace_graph_files.c
# `dis`, the console's disassembler: shows what probes and tracers patched
# (the decoding itself is the arch's, arch_dis_decode()).
TRACE_SRCS += trace/dis.c
KERNEL_SRCS += $(TRACE_SRCS)
NOTRACE_SRCS += $(TRACE_SRCS)

# The tracefs root's other control files: trace_marker, the pid filters,
# function commands, trace_clock, saved_cmdlines, snapshot, the stack
# tracer, tracing_cpumask, free_buffer, buffer_total_size_kb, and the views
# of the fentry sites (enabled_functions, touched_functions ...).
TRACE_FILES_SRCS := trace/trace_marker.c trace/trace_pid.c trace/ftrace_func_cmds.c \
	trace/trace_clock.c \
	trace/trace_cmdlines.c trace/trace_snapshot.c \
	trace/trace_stack.c trace/trace_buffer_files.c trace/ftrace_site_files.c
KERNEL_SRCS += $(TRACE_FILES_SRCS)
NOTRACE_SRCS += $(TRACE_FILES_SRCS)
# They run in tracer callbacks and probe handlers: the pid test, and the
# function commands' callback with the stack record it makes.
KPROBES_TEXT_SRCS += trace/trace_pid.c trace/ftrace_func_cmds.c \
	trace/trace_stack.c

# kprobes' hit path is blacklisted whole (see arch/x86/build.mk).
KPROBES_TEXT_SRCS += trace/kprobes.c trace/kprobes_opt.c
# So is the probe events' hit path: fetching arguments and recording them.
KPROBES_TEXT_SRCS += trace/probe_fetch.c trace/probe_record.c trace/trace_kprobe.c \
	trace/trace_fprobe.c trace/event_filter.c trace/event_trigger.c

# The probe-event parser, fetcher and formatter are generic C, tested on
# the host (tests/host/test_probe_*.c) and fuzzed (tests/fuzz/).
HOST_SRCS += trace/probe_parse.c trace/probe_parse_arg.c trace/probe_multi.c trace/probe_fetch.c \
	trace/probe_format.c trace/tracefs_readme.c

# So is the event-filter language: its parser and its evaluator
# (tests/host/test_event_filter.c).
HOST_SRCS += trace/event_filter_parse.c trace/event_filter.c

# So are the ring buffer and rethook's bookkeeping
# (tests/host/test_ring_buffer*.c, test_rethook.c). Like the parser they
# call the kernel's services by name; on the host the stand-in headers of
# tests/host/shim/ answer (tests/host/README).
HOST_SRCS += trace/ring_buffer.c trace/ring_buffer_read.c trace/ring_buffer_resize.c trace/rethook.c
