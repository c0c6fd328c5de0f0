// SPDX-License-Identifier: MIT
/*
 * The frame-pointer unwinder and the register dump of an exception report,
 * which shows the faulting instruction as `dis` does (insn_print()).
 *
 * With -fno-omit-frame-pointer every function starts with push %rbp;
 * mov %rsp,%rbp, so [rbp] is the caller's rbp and [rbp+8] the return
 * address. Each read is fault-safe: a corrupt chain ends the walk, it never
 * faults. Frames must move strictly up the stack, so a loop cannot form.
 * The entry code pushes a frame record for the interrupted context, so a
 * walk from inside a handler continues into the code it interrupted.
 *
 * A function whose return is hooked by rethook has the trampoline's
 * address where its return address was. The walk hands such addresses
 * to rethook_find_ret_addr() with the stack address they were read from,
 * and reports the real caller it keeps on the task's shadow stack; so a
 * backtrace of a task sleeping under hooked returns, or one taken inside
 * a return handler (the trampoline builds a frame record around that
 * slot), shows the real callers. An interrupt that lands in the
 * trampoline before its frame record is built sees the real caller only
 * on the shadow stack: it is the next pending return there. Each address
 * reported says where it came from (enum stack_hook): `bt` marks the
 * frames whose return address a trampoline had taken.
 */
#include <asm/insn.h>
#include <asm/insn_print.h>
#include <asm/ptrace.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <arch/x86/traps.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/vmap.h>
#include <kernel/nofault.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <lib/printf.h>
#include <trace/ftrace.h>
#include <kernel/stacktrace.h>
#include <asm/rethook.h>
#include <trace/rethook.h>

#define MAX_FRAME_GAP	(64UL << 10)	/* frames this far apart: not one stack */

/*
 * Report the return address @addr, read from @bp + 8, to @fn; false when
 * @fn wants no more. Trampoline addresses become real callers, looked up
 * in @task's shadow stack with the cursor @cur; @hook says whether
 * function_graph's return stack already gave @addr.
 */
static bool unwind_report(stack_walk_hook_fn fn, void *arg, struct task_struct *task,
			  struct llist_node **cur, unsigned long bp, unsigned long addr,
			  enum stack_hook hook)
{
	unsigned long tramp = (unsigned long)arch_rethook_trampoline, real;

	if (!task)			/* early boot: nothing is hooked yet */
		return fn(arg, addr, hook);
	if (addr == tramp) {
		/* The marker in a hooked frame, or an interrupt that came in
		 * on the trampoline's first instruction: no frame of ours. */
		real = rethook_find_ret_addr(task, bp + 8, cur);
		if (!real)
			real = rethook_next_ret_addr(task, cur);
		return real ? fn(arg, real, STACK_HOOK_RETHOOK) : fn(arg, addr, hook);
	}
	if (addr - tramp < ARCH_RETHOOK_PROLOGUE_LEN) {
		/* Interrupted in the prologue: the trampoline's own code,
		 * then its caller, which is not in the frame chain yet. */
		if (!fn(arg, addr, hook))
			return false;
		real = rethook_next_ret_addr(task, cur);
		return !real || fn(arg, real, STACK_HOOK_RETHOOK);
	}
	return fn(arg, addr, hook);
}

NOKPROBE_SYMBOL(unwind_report);

void arch_stack_walk_task_hooks(stack_walk_hook_fn fn, void *arg, struct task_struct *task,
				unsigned long bp)
{
	struct llist_node *rethook_cur = NULL;
	unsigned depth;

	for (depth = 0; bp && depth < STACKTRACE_MAX; depth++) {
		unsigned long frame[2];		/* saved rbp, return address */
		enum stack_hook hook = STACK_HOOK_NONE;
		unsigned long real;

		if ((bp & 7) || copy_from_kernel_nofault(frame, (void *)bp, sizeof(frame)))
			break;
		/* A return hooked by function_graph: show the real caller. */
		real = ftrace_graph_ret_addr(task, frame[1], bp + 8);
		if (real != frame[1])
			hook = STACK_HOOK_GRAPH;
		if (!real || !unwind_report(fn, arg, task, &rethook_cur, bp, real, hook))
			break;
		if (frame[0] <= bp || frame[0] - bp > MAX_FRAME_GAP)
			break;
		bp = frame[0];
	}
}
NOKPROBE_SYMBOL(arch_stack_walk_task_hooks);

/* arch_stack_walk_task()'s callback, called through the hook-aware walk. */
struct plain_walk {
	stack_walk_fn fn;
	void *arg;
};

static bool plain_report(void *arg, unsigned long addr, enum stack_hook hook __always_unused)
{
	struct plain_walk *w = arg;

	return w->fn(w->arg, addr);
}
NOKPROBE_SYMBOL(plain_report);

void arch_stack_walk_task(stack_walk_fn fn, void *arg, struct task_struct *task,
			  unsigned long bp)
{
	struct plain_walk w = { fn, arg };

	arch_stack_walk_task_hooks(plain_report, &w, task, bp);
}
NOKPROBE_SYMBOL(arch_stack_walk_task);

/*
 * The same walk, of the current task only and only within its kernel
 * stack, whose pages are always mapped: plain loads, not the fault-safe
 * copy (a function students probe). For the tracers' stack traces
 * (trace_record_stack()), taken inside ftrace callbacks, where nothing
 * probeable may be called. A walk from an interrupt handler running on
 * another stack (IST) reports nothing.
 */
void arch_stack_walk_current(stack_walk_fn fn, void *arg, unsigned long bp)
{
	struct task_struct *task = current;
	struct plain_walk w = { fn, arg };
	struct llist_node *rethook_cur = NULL;
	unsigned long lo, hi, ret;
	unsigned depth;

	if (!task || !task->stack)
		return;
	lo = (unsigned long)task->stack;
	hi = lo + KERNEL_STACK_SIZE;
	for (depth = 0; depth < STACKTRACE_MAX; depth++) {
		const unsigned long *frame = (const unsigned long *)bp;

		if ((bp & 7) || bp < lo || bp > hi - 2 * sizeof(*frame))
			break;
		ret = ftrace_graph_ret_addr(task, frame[1], bp + 8);
		if (!ret || !unwind_report(plain_report, &w, task, &rethook_cur, bp, ret,
					   ret != frame[1] ? STACK_HOOK_GRAPH : STACK_HOOK_NONE))
			break;
		if (frame[0] <= bp)
			break;
		bp = frame[0];
	}
}
NOKPROBE_SYMBOL(arch_stack_walk_current);

/* On x86-64 a call pushes the return address and the prologue then
 * pushes %rbp: the return address is at sp, or at sp + 8. */
unsigned arch_stack_leaf_words(unsigned long sp, unsigned long *out)
{
	unsigned n;

	for (n = 0; n < STACK_LEAF_WORDS; n++)
		if ((sp & 7) || copy_from_kernel_nofault(&out[n], (void *)(sp + 8 * n), sizeof(*out)))
			break;
	return n;
}
NOKPROBE_SYMBOL(arch_stack_leaf_words);

void arch_stack_walk(stack_walk_fn fn, void *arg, unsigned long bp)
{
	arch_stack_walk_task(fn, arg, current, bp);
}
NOKPROBE_SYMBOL(arch_stack_walk);

static void show_cr_regs(void)
{
	printk(KERN_EMERG "CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* Decode a page fault's error code for a person. */
static void show_pf_error(unsigned long err)
{
	printk(KERN_EMERG "#PF: %s access, %s page, %s%s\n",
	       err & 0x10 ? "instruction fetch" : (err & 2 ? "write" : "read"),
	       err & 1 ? "protection violation on a present" : "not-present",
	       err & 4 ? "user" : "kernel",
	       err & 8 ? ", reserved bit set" : "");
}

/*
 * "Code:" the instruction at @ip, its bytes and as objdump prints it
 * (the same printer as `dis`). Reads are fault-safe: a wild RIP gives
 * "Code: unreadable", not a second fault.
 */
static void show_code(unsigned long ip)
{
	u8 buf[INSN_MAX_LEN];
	char bytes[3 * INSN_MAX_LEN + 1] = "", text[192];
	struct insn in;
	size_t n, i, pos = 0;

	/* Fewer bytes where the mapping ends just after the instruction. */
	for (n = INSN_MAX_LEN; n; n--)
		if (!copy_from_kernel_nofault(buf, (void *)ip, n))
			break;
	if (!n) {
		printk(KERN_EMERG "Code: unreadable\n");
		return;
	}
	if (insn_decode(&in, buf, n)) {
		printk(KERN_EMERG "Code: %02x ... not a valid instruction\n", buf[0]);
		return;
	}
	for (i = 0; i < in.length; i++)
		pos += scnprintf(bytes + pos, sizeof(bytes) - pos, "%s%02x", i ? " " : "", buf[i]);
	insn_print(text, sizeof(text), &in, ip, kallsyms_name_off, NULL);
	printk(KERN_EMERG "Code: %s  %s\n", bytes, text);
}

void show_regs(struct pt_regs *r, unsigned long vector)
{
	unsigned long entries[STACKTRACE_MAX];
	unsigned n;

	if (vector < 32 && r->orig_ax != (unsigned long)-1)
		printk(KERN_EMERG "error code: %#lx\n", r->orig_ax);
	if (vector == 14) {
		printk(KERN_EMERG "CR2 (faulting address): %016lx\n", read_cr2());
		show_pf_error(r->orig_ax);
	}
	if ((vector == 14 || vector == 8) && vmap_is_stack_guard(read_cr2()))
		printk(KERN_EMERG "kernel stack overflow: CR2 is in a stack's guard page\n");
	printk(KERN_EMERG "RIP: %04lx:%016lx %pS\n", r->cs, r->ip, (void *)r->ip);
	show_code(r->ip);
	printk(KERN_EMERG "RSP: %04lx:%016lx EFLAGS: %08lx\n", r->ss, r->sp, r->flags);
	printk(KERN_EMERG "RAX: %016lx RBX: %016lx RCX: %016lx\n", r->ax, r->bx, r->cx);
	printk(KERN_EMERG "RDX: %016lx RSI: %016lx RDI: %016lx\n", r->dx, r->si, r->di);
	printk(KERN_EMERG "RBP: %016lx R08: %016lx R09: %016lx\n", r->bp, r->r8, r->r9);
	printk(KERN_EMERG "R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk(KERN_EMERG "R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	show_cr_regs();

	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " %pS\n", (void *)r->ip);
	n = stack_trace_save_bp(entries, STACKTRACE_MAX, r->bp);
	stack_trace_print(entries, n, " ");
}
