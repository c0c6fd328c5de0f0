// SPDX-License-Identifier: MIT
/*
 * kernel_main(): generic start-up, then the shell.
 *
 * The arch has brought up the CPU, the clock, the interrupt controllers and
 * the serial line. Here the generic subsystems start, the self-tests run if
 * the command line asks, and the console prompt appears.
 */
#include <kernel/kallsyms.h>
#include <kernel/main.h>
#include <kernel/bootinfo.h>
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/printk.h>
#include <kernel/panic.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/selftest.h>
#include <kernel/shell.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <trace/ftrace.h>
#include <trace/trace.h>
#include <asm/irqflags.h>
#include <lib/errno.h>

/* selftest or selftest=SUITE on the command line: run before the prompt. */
static void boot_selftests(void)
{
	char suite[64];

	if (cmdline_get("selftest", suite, sizeof(suite)))
		selftest_run(suite);
	else if (cmdline_has("selftest"))
		selftest_run(NULL);
}

/* The shell's thread: boot self-tests first, so their KTAP output comes
 * before the prompt a test harness waits for. Never returns. */
static int shell_thread(void *unused __always_unused)
{
	boot_selftests();
	console_printf("\nWelcome to Loupe. Type 'help' for commands.\n");
	shell_run();
}

/* The boot context becomes the idle task; the shell gets a thread. */
void kernel_main(void)
{
	sched_init();
	/* Every fentry site becomes a NOP while this CPU alone runs: no
	 * other CPU executes a site in the middle of its patching. */
	ftrace_init();
	smp_init();		/* the other CPUs start and run tasks */
	cpuinfo_init();
	kallsyms_proc_init();
	rcu_init();
	trace_init();
	if (!kthread_run(shell_thread, NULL, "shell"))
		panic("kernel_main: cannot start the shell");
	pr_info("boot: up in %llu ms\n", (unsigned long long)(clock_ns() / NSEC_PER_MSEC));
	local_irq_enable();
	cpu_idle();
}

/* poweroff and reboot never return: the machine goes away. */
static int cmd_poweroff(int argc, char **argv __always_unused)
{
	if (argc != 1)
		return -EINVAL;
	console_printf("Powering off.\n");
	machine_power_off();
}
SHELL_COMMAND(SHELL_SYSTEM, "poweroff", "", "turn the machine off (QEMU exits)", cmd_poweroff);

static int cmd_reboot(int argc, char **argv __always_unused)
{
	if (argc != 1)
		return -EINVAL;
	console_printf("Rebooting.\n");
	machine_restart();
}
SHELL_COMMAND(SHELL_SYSTEM, "reboot", "", "restart the machine", cmd_reboot);
