/* SPDX-License-Identifier: MIT */
/*
 * What the generic kernel (kernel/) asks of the architecture: every
 * function kernel/ calls that arch/x86/ defines, in one place, so that a
 * second architecture finds here the whole list it has to write. Tracing
 * has its own contracts beside the code that uses them (trace/ftrace.h,
 * trace/rethook.h, trace/kprobes_arch.h, trace/dis.h).
 *
 * Not here: the small inline wrappers and types of arch/x86/include/asm/
 * (irqflags, per-CPU accessors, cpu helpers, pt_regs, linker sections),
 * which generic code includes directly; and the calls the arch makes up
 * into the kernel (kernel_main(), timer_tick(), irq_exit_hook(): see
 * kernel/main.h).
 *
 * The headers of the services these belong to (kernel/smp.h, time.h,
 * stacktrace.h, console.h, nofault.h, mm/vmap.h) include this file, so
 * their callers need not.
 */
#ifndef KERNEL_ARCH_H
#define KERNEL_ARCH_H

#include <lib/types.h>

struct pt_regs;
struct task_struct;

/* ---- CPUs: the arch's half of smp_init() (arch/x86/smpboot.c) ---- */

/*
 * arch_cpu_prepare(): give @cpu its per-CPU area. 0 or -ENOMEM.
 * arch_cpu_start(): start @cpu on a stack whose top is @stack_top; return
 * once it runs its own code and waits (CPU_STARTING: 0), or -ETIMEDOUT /
 * -EIO if it did not come up (it is then reset again and touches nothing).
 * The caller gives it an idle task and then marks it CPU_ONLINE, which
 * lets it go on: it starts its timer and enters cpu_idle().
 */
int arch_cpu_prepare(int cpu);
int arch_cpu_start(int cpu, unsigned long stack_top);
/* After the last start: undo what only bring-up needed (the trampoline). */
void arch_smp_boot_done(void);
/* The two IPIs (kernel/smp_call.c sends them; the arch delivers them). */
void arch_send_call_function_ipi(int cpu);
void arch_send_reschedule_ipi(int cpu);

/* ---- the console device (arch/x86/serial.c) ---- */

/* Write bytes on the console device. Any context. */
void arch_console_write(const char *s, size_t len);

/* ---- tasks: context switch and stacks (arch/x86/switch.S, process.c,
 *      mm/vmap.c) ---- */

/* Save callee-saved registers on @prev's stack, load @next's. Returns the
 * task that was switched away from (in the context of @next). */
struct task_struct *__switch_to_asm(struct task_struct *prev, struct task_struct *next);

/* Build @t's initial stack so the first switch enters kthread_entry(). */
void arch_prepare_kthread(struct task_struct *t);

/* The frame pointer saved by a switched-out task (for its backtrace). */
unsigned long arch_task_frame_pointer(const struct task_struct *t);

/* Make the interrupted task @t continue in kthread_exit(-EINTR) on a fresh
 * frame when the interrupt returns (stopping a compute-only workload). */
void arch_redirect_to_exit(struct task_struct *t, struct pt_regs *regs);
/* Is @ip in code where a task must not be preempted (trampolines)? */
bool arch_in_trampoline_code(unsigned long ip);
/* Was @regs interrupted in ordinary kernel code (not entry/exception code)? */
bool arch_regs_in_kernel_text(const struct pt_regs *regs);

/* A KERNEL_STACK_SIZE stack, with an unmapped guard page below it;
 * returns its lowest address, or NULL (see kernel/mm/vmap.h). */
void *stack_alloc(void);
void stack_free(void *stack);
/* Pages of run-time code allocated (kprobe slots, trampolines): meminfo. */
unsigned long exec_pages_in_use(void);

/* ---- backtraces: the frame-pointer walk (arch/x86/dumpstack.c) ---- */

/* Called for each return address; return false to stop the walk. */
typedef bool (*stack_walk_fn)(void *arg, unsigned long addr);

/*
 * Walk the frames of @task starting at frame pointer @bp.
 * @task is current or a task that is not running; its pending rethook
 * returns turn trampoline addresses back into the real callers.
 */
void arch_stack_walk_task(stack_walk_fn fn, void *arg, struct task_struct *task,
			  unsigned long bp);

/* Where a return address the walk reports came from (`bt` marks them). */
enum stack_hook {
	STACK_HOOK_NONE,	/* the stack, as it is */
	STACK_HOOK_RETHOOK,	/* the stack holds rethook's trampoline: the real
				 * caller comes from the task's rethook nodes */
	STACK_HOOK_GRAPH,	/* ... function_graph's return_to_handler: from
				 * the task's return stack */
};
typedef bool (*stack_walk_hook_fn)(void *arg, unsigned long addr, enum stack_hook hook);
/* arch_stack_walk_task(), also saying where each address came from. */
void arch_stack_walk_task_hooks(stack_walk_hook_fn fn, void *arg, struct task_struct *task,
				unsigned long bp);
/* ... of the current task. */
void arch_stack_walk(stack_walk_fn fn, void *arg, unsigned long bp);
/*
 * ... of the current task, within its own kernel stack, without the
 * fault-safe reads (which a kprobe may sit on): for ftrace callbacks.
 */
void arch_stack_walk_current(stack_walk_fn fn, void *arg, unsigned long bp);

/*
 * The words at @sp of code interrupted before its frame record was built
 * or after it was taken down - on a function's first instruction, or
 * just after its push of the frame pointer - where its return address
 * is, out of reach of a frame walk. Fills @out with up to
 * STACK_LEAF_WORDS words that could be read; returns how many. Some are
 * not return addresses: use them only to rule code out.
 */
#define STACK_LEAF_WORDS	2
unsigned arch_stack_leaf_words(unsigned long sp, unsigned long *out);

/* Print @regs and the call chain of the interrupted code. */
void show_regs(struct pt_regs *regs, unsigned long vector);

/* ---- fault-safe access to kernel memory (arch/x86/nofault.c) ---- */

/**
 * copy_from_kernel_nofault - copy @size bytes from @src, surviving faults
 *
 * Context: any, including interrupt and the int3/debug path.
 * Returns 0, or -EFAULT if any byte could not be read (@dst then holds
 * whatever was read before the fault).
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);

/* The same for writes: -EFAULT if any byte is unmapped or read-only. */
long copy_to_kernel_nofault(void *dst, const void *src, size_t size);

/* ---- the clock (arch/x86/tsc.c) ---- */

/* Nanoseconds since boot. Any context, lock-free. */
u64 clock_ns(void);
/* clock_ns() for trace timestamps; refused by kprobes (it runs in the ring
 * buffer's reserve loop). */
u64 trace_clock_ns(void);
/* What trace_clock_ns() would have returned when trace_clock_raw()
 * (kernel/time.h) read @raw. */
u64 trace_clock_raw_to_ns(u64 raw);
/* Raw cycle counter (TSC), ordered against earlier instructions. */
u64 clock_cycles(void);
u64 cycles_to_ns(u64 cycles);
/* TSC cycles per millisecond (measured at boot). */
u64 clock_tsc_khz(void);

/* ---- memory (arch/x86/mm/paging.c) ---- */

/*
 * Pages the page allocator gave for page tables since boot. Tables are
 * never freed (an emptied table costs a page; freeing it would need every
 * CPU to forget its cached walk), so `mem` shows them apart and a test
 * that compares allocated pages before and after subtracts them.
 */
unsigned long page_table_pages(void);

/* ---- power (arch/x86/power.c): `poweroff`, `reboot`, panic ---- */

__attribute__((noreturn)) void machine_power_off(void);
__attribute__((noreturn)) void machine_restart(void);
/* Exit QEMU through isa-debug-exit; QEMU's status is (code << 1) | 1. */
__attribute__((noreturn)) void machine_exit_qemu(int code);

#endif
