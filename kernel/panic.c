// SPDX-License-Identifier: MIT
/*
 * panic(), die() and WARN: how the kernel reports what went wrong.
 *
 * A report always ends up on the serial line, because that is all a person
 * (or the test runner, which looks for "Kernel panic") can see. After a
 * panic the CPU halts, or reboots after panic=N seconds (with QEMU's
 * -no-reboot, a reboot makes QEMU exit).
 */
#include <kernel/panic.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/stacktrace.h>
#include <kernel/arch.h>
#include <kernel/time.h>
#include <asm/irqflags.h>
#include <asm/cpu.h>
#include <stdarg.h>

bool panic_in_progress;
int panic_timeout;

/* After the report: reboot after panic= seconds, or halt for ever. */
static __attribute__((noreturn)) void panic_stop(void)
{
	if (panic_timeout > 0) {
		pr_emerg("Rebooting in %d seconds..\n", panic_timeout);
		u64 end = clock_ns() + (u64)panic_timeout * NSEC_PER_SEC;
		while (clock_ns() < end)
			cpu_relax();
		machine_restart();
	}
	cpu_halt_forever();
}

/* Stop this CPU's interrupts, refuse a nested panic, and let printk
 * ignore its lock, which the dying code may hold. */
static void panic_begin(void)
{
	local_irq_disable();
	if (panic_in_progress) {
		/* A panic while panicking: say nothing more, just stop. */
		cpu_halt_forever();
	}
	panic_in_progress = true;
	printk_enter_panic_mode();
}

/* Report a broken invariant (message, call chain) and stop. Any context;
 * never returns. */
void panic(const char *fmt, ...)
{
	va_list ap;

	panic_begin();
	printk(KERN_EMERG "Kernel panic - not syncing: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(KERN_CONT "\n");
	dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic ]---\n");
	panic_stop();
}
/*
 * panic, die and WARN are called from the trap and probe paths (an
 * unexpected int3, a broken shadow stack), where a probe hit would nest
 * inside the handling being reported. What they call - printk, the
 * unwinder - is everyone's code and stays probeable; the report is made
 * with the trap's IST frame already moved, so a hit there nests safely.
 */
NOKPROBE_SYMBOL(panic);

/* A fatal exception (a fault in the kernel): the register dump and the
 * panic lines Linux prints, then stop. Trap context; never returns. */
void die(const char *what, struct pt_regs *regs, unsigned long vector)
{
	panic_begin();
	printk(KERN_EMERG "Oops: %s (vector %lu)\n", what, vector);
	show_regs(regs, vector);
	printk(KERN_EMERG "Kernel panic - not syncing: Fatal exception: %s\n", what);
	printk(KERN_EMERG "---[ end Kernel panic ]---\n");
	panic_stop();
}
NOKPROBE_SYMBOL(die);

void warn_slowpath(const char *file, int line, const char *cond)
{
	pr_warn("WARNING: %s:%d: %s\n", file, line, cond);
	dump_stack();
}
NOKPROBE_SYMBOL(warn_slowpath);
