// SPDX-License-Identifier: MIT
/*
 * Self-tests of the kprobe blacklist on the trap and probe paths.
 *
 * scripts/check-nokprobe.py walks the kernel's call graph from the int3,
 * debug and fault stubs, the ftrace, rethook and optimized-kprobe
 * trampolines and the event-recording entry points, and fails the build's
 * tests if kprobes would accept any function it reaches. The table below is
 * that walk's list, and the checker fails when the two disagree, so here
 * the running kernel confirms what the checker read from the ELF: each of
 * these is refused with -EPERM. The second case is the other half of the
 * contract: ordinary functions, including ones these paths used to call,
 * stay probeable.
 */
#include <kernel/selftest.h>
#include <trace/kprobes.h>
#include <lib/compiler.h>
#include <lib/errno.h>

/* Every function check-nokprobe.py reaches (it compares this table with
 * its walk: keep one name per line, in quotes). */
static const char *const trap_path_functions[] = {
	/* the stubs and trampolines the walk starts from */
	"idt_stubs",
	"common_interrupt",
	"ftrace_caller",
	"ftrace_regs_caller",
	"ftrace_regs_noip_caller",
	"return_to_handler",
	"arch_rethook_trampoline",
	"optprobe_template",
	/* int3, #DB, #PF and #GP */
	"irq_dispatch",
	"cpu_tss_this",
	"text_poke_int3_handler",
	"text_poke_refetch",		/* an int3 met twice though gone */
	"arch_in_trampoline_code",	/* a preemption an emulated call would lose */
	"exec_area_contains",
	"exec_page_preemptible",
	"insn_decode",
	"read_field",
	"insn_branch_target",
	"kprobe_int3_handler",
	"run_instruction",
	"kprobe_point_missed",
	"kprobe_debug_handler",
	"kprobe_fault_handler",
	"fixup_exception",
	"die",
	/* ftrace's list function and the ftrace_ops callbacks */
	"ftrace_ops_list_func",
	"ftrace_ops_recursion_func",
	"ftrace_ops_test",
	"ftrace_hash_contains",
	"bsearch_floor_u64",
	"kprobe_ftrace_handler",
	"kprobe_ftrace_post",
	"fprobe_handler",
	"warn_slowpath",
	"function_trace_call",
	"function_stack_trace_call",
	"trace_record_stack",
	"collect_frame",
	"arch_stack_walk_current",
	"unwind_report",
	"plain_report",
	"rethook_find_ret_addr",
	"rethook_next_ret_addr",
	"sched_task_held",
	"ftrace_graph_ret_addr",
	"graph_entry",
	"fhook_callback",
	"ftrace_count",
	"func_cmds_call",		/* function commands in set_ftrace_filter */
	"trace_record_stack",
	"ring_buffer_record_on",
	"ring_buffer_record_off",
	"ring_buffer_record_is_on",
	"trace_pid_ignore_current",	/* set_ftrace_pid */
	"stack_trace_call",		/* the stack tracer */
	"stack_trace_check",
	"ftrace_return_to_handler",
	"panic",
	/* rethook */
	"rethook_trampoline_handler",
	"rethook_return_slow",
	"rethook_recycle",
	"call_rcu",
	"preempt_schedule",
	"kretprobe_return",
	"fprobe_exit",
	/* the optimized kprobe's detour */
	"kprobe_optimized_callback",
	/* recording */
	"probe_event_record_checked",
	"kprobe_event_hit",		/* the probe events' handlers, the short way inlined */
	"kretprobe_event_hit",
	"fentry_event_hit",
	"fexit_event_hit",
	"ring_buffer_reserve",
	"ring_buffer_commit",
	"ring_buffer_discard",
	"rb_make_room",
	"trace_clock_ns",
	"trace_clock_raw_to_ns",
};

/* Functions a student probes, some of them called near these paths. */
static const char *const ordinary_functions[] = {
	"fib", "kmalloc", "schedule", "wake_up_process", "clock_ns", "printk",
	"snprintf", "copy_from_kernel_nofault", "kallsyms_lookup_addr",
};

static void trap_path_functions_are_refused(struct selftest *t)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(trap_path_functions); i++) {
		struct kprobe kp = { .symbol_name = trap_path_functions[i] };
		int err = register_kprobe(&kp);

		if (err == -EPERM)
			continue;
		selftest_fail(t, __FILE__, __LINE__, "%s: register_kprobe() = %d, not -EPERM",
			      trap_path_functions[i], err);
		if (!err)
			unregister_kprobe(&kp);
	}
}

static void ordinary_functions_stay_probeable(struct selftest *t)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(ordinary_functions); i++) {
		struct kprobe kp = { .symbol_name = ordinary_functions[i] };
		int err = register_kprobe(&kp);

		if (err) {
			selftest_fail(t, __FILE__, __LINE__, "%s: register_kprobe() = %d",
				      ordinary_functions[i], err);
			continue;
		}
		unregister_kprobe(&kp);
	}
}

static const struct selftest_case nokprobe_cases[] = {
	SELFTEST_CASE(trap_path_functions_are_refused),
	SELFTEST_CASE(ordinary_functions_stay_probeable),
};
SELFTEST_SUITE("nokprobe", nokprobe_cases);
