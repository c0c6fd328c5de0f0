// SPDX-License-Identifier: MIT
/*
 * The tick and the things measured in it: jiffies, uptime, short delays.
 */
#include <kernel/main.h>
#include <kernel/time.h>
#include <kernel/shell.h>
#include <kernel/sched.h>
#include <kernel/rcu.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <asm/cpu.h>
#include <lib/errno.h>

volatile u64 jiffies;

void timer_tick(struct pt_regs *regs)
{
	(void)regs;
	jiffies++;
	rcu_sched_clock_irq();
	sched_tick();
}

void udelay(u64 us)
{
	u64 end = clock_ns() + us * NSEC_PER_USEC;

	while (clock_ns() < end)
		cpu_relax();
}

static int cmd_uptime(int argc, char **argv)
{
	u64 ns = clock_ns();

	(void)argv;
	if (argc != 1)
		return -EINVAL;
	console_printf("up %llu.%03llu s, %llu ticks at %d Hz\n",
		       (unsigned long long)(ns / NSEC_PER_SEC),
		       (unsigned long long)(ns % NSEC_PER_SEC / NSEC_PER_MSEC),
		       (unsigned long long)jiffies, HZ);
	return 0;
}
SHELL_COMMAND("uptime", "", "time since boot", cmd_uptime);

/* Wait @ms milliseconds or until Ctrl-C (checked every 10 ms). */
static int cmd_sleep(int argc, char **argv)
{
	u64 ms, end;

	if (argc != 2)
		return -EINVAL;
	if (shell_parse_u64("sleep", "MS", argv[1], &ms))
		return -EINVAL;
	if (ms > 3600 * 1000) {
		console_printf("sleep: at most 3600000 ms\n");
		return -EINVAL;
	}
	end = clock_ns() + ms * NSEC_PER_MSEC;
	while (clock_ns() < end) {
		if (console_break_pending())
			return -EINTR;
		msleep(10 < ms ? 10 : ms);
	}
	return 0;
}
SHELL_COMMAND("sleep", "MS", "wait MS milliseconds (Ctrl-C stops it)", cmd_sleep);
