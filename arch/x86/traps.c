// SPDX-License-Identifier: MIT
/*
 * Exceptions and interrupts: the C side of entry.S.
 *
 * irq_dispatch() receives every vector. Exceptions (0-31) go to their
 * handlers: a fault on an instruction with an exception-table entry is
 * fixed up; int3 and the debug trap are offered to text patching and
 * kprobes first; anything else unexpected dies with a full report.
 * Device interrupts (32-255) run the handler a driver registered, inside
 * irq_enter()/irq_exit(), and end with an EOI to the local APIC.
 */
#include <asm/ptrace.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/irq_regs.h>
#include <asm/kprobes.h>
#include <asm/text-patching.h>
#include <arch/x86/traps.h>
#include <arch/x86/apic.h>
#include <arch/x86/desc_setup.h>
#include <kernel/main.h>
#include <kernel/panic.h>
#include <kernel/preempt.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <lib/errno.h>

static const char *const exception_names[32] = {
	[0] = "#DE Divide Error",		[1] = "#DB Debug",
	[2] = "NMI",				[3] = "#BP Breakpoint",
	[4] = "#OF Overflow",			[5] = "#BR Bound Range Exceeded",
	[6] = "#UD Invalid Opcode",		[7] = "#NM Device Not Available",
	[8] = "#DF Double Fault",		[9] = "Coprocessor Segment Overrun",
	[10] = "#TS Invalid TSS",		[11] = "#NP Segment Not Present",
	[12] = "#SS Stack-Segment Fault",	[13] = "#GP General Protection",
	[14] = "#PF Page Fault",		[15] = "Reserved",
	[16] = "#MF x87 Floating-Point",	[17] = "#AC Alignment Check",
	[18] = "#MC Machine Check",		[19] = "#XM SIMD Floating-Point",
	[20] = "#VE Virtualization",		[21] = "#CP Control Protection",
	[28] = "#HV Hypervisor Injection",	[29] = "#VC VMM Communication",
	[30] = "#SX Security",
};

const char *exception_name(unsigned long vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	return vector < 32 ? "Reserved" : "Interrupt";
}

static irq_handler_t irq_handlers[NR_VECTORS];

/**
 * irq_set_handler - route interrupt @vector to @fn
 *
 * Returns 0, or -EBUSY if the vector already has a handler.
 * Context: any; the handler runs with interrupts off.
 */
int irq_set_handler(unsigned vector, irq_handler_t fn)
{
	if (vector < 32 || vector >= NR_VECTORS)
		return -EINVAL;
	if (irq_handlers[vector] && fn)
		return -EBUSY;
	irq_handlers[vector] = fn;
	return 0;
}

/* int3 and the debug trap are offered first to the subsystems that own
 * them: text patching (asm/text-patching.h) and kprobes (asm/kprobes.h). */
static void do_int3(struct pt_regs *regs)
{
	/* The CPU reports the address after the int3; handlers want its own. */
	regs->ip -= 1;
	if (text_poke_int3_handler(regs) || kprobe_int3_handler(regs))
		return;
	regs->ip += 1;
	die("unexpected int3", regs, 3);
}

static void do_debug(struct pt_regs *regs)
{
	if (kprobe_debug_handler(regs))
		return;
	die("unexpected debug trap", regs, 1);
}

/* #PF and #GP: a fault-safe access, a fault inside a kprobe's single-step,
 * or a bug. */
static void do_fault(struct pt_regs *regs, unsigned long vector)
{
	if (kprobe_fault_handler(regs))
		return;
	if (fixup_exception(regs))
		return;
	die(exception_name(vector), regs, vector);
}

/*
 * int3 and the debug trap run on IST stacks of their own, and may nest: a
 * kprobe's handler may hit another probe, or a site being patched. The CPU
 * would start a nested trap at the very top of the same IST stack, over
 * the outer handler's frame, so while a handler runs its IST pointer is
 * moved down by IST_NEST_SHIFT (as Linux once did for #DB). A third level
 * reaches the guard page under the stack and is reported, not corrupted.
 */
#define IST_NEST_SHIFT	(6 << 10)

static void ist_trap(struct pt_regs *regs, unsigned ist, void (*handler)(struct pt_regs *))
{
	struct tss *tss = cpu_tss_this();

	tss->ist[ist - 1] -= IST_NEST_SHIFT;
	nmi_enter();
	handler(regs);
	nmi_exit();
	tss->ist[ist - 1] += IST_NEST_SHIFT;
}

/*
 * Each int3, #DB and #PF is counted in this CPU's cpu_stats, so that
 * `bench` can say how many traps a probe hit takes: on hardware a trap
 * costs hundreds of cycles, which an instruction count does not show.
 * this_cpu_inc() is one inline instruction, nothing a probe could hit.
 */
static void exception_dispatch(struct pt_regs *regs, unsigned long vector)
{
	switch (vector) {
	case 3:
		this_cpu_inc(cpu_stats.int3);
		ist_trap(regs, IST_BREAKPOINT, do_int3);
		break;
	case 1:
		this_cpu_inc(cpu_stats.debug);
		ist_trap(regs, IST_DEBUG, do_debug);
		break;
	case 14:
		this_cpu_inc(cpu_stats.page_faults);
		do_fault(regs, vector);
		break;
	case 13:
		do_fault(regs, vector);
		break;
	default:
		die(exception_name(vector), regs, vector);
	}
}

/*
 * A device interrupt (vector 32 and up). Kept out of line so that the
 * exception paths above are plainly apart from it: int3 and #DB run with
 * interrupts off, so nothing here runs inside them, and what it calls -
 * drivers' handlers, the preemption on exit - stays probeable
 * (scripts/check-nokprobe.py does not walk into it).
 */
DEFINE_PER_CPU(struct pt_regs *, irq_regs);

static noinline void device_interrupt(struct pt_regs *regs, unsigned long vector)
{
	struct pt_regs *outer;
	irq_handler_t fn;

	if (vector == SPURIOUS_VECTOR)
		return;			/* no EOI for a spurious interrupt */

	irq_enter();
	outer = set_irq_regs(regs);
	this_cpu_inc(cpu_stats.irqs);
	fn = irq_handlers[vector];
	if (fn)
		fn(regs);
	else
		pr_warn("irq: unexpected interrupt on vector %#lx\n", vector);
	lapic_eoi();
	set_irq_regs(outer);
	irq_exit();
	irq_exit_hook(regs);
}

/**
 * irq_dispatch - entry point from entry.S for every vector
 * @regs: the interrupted context, built by common_interrupt
 * @vector: which vector fired
 */
void irq_dispatch(struct pt_regs *regs, unsigned long vector)
{
	if (vector < 32)
		exception_dispatch(regs, vector);
	else
		device_interrupt(regs, vector);
}
