// SPDX-License-Identifier: MIT
/*
 * The tick and the things measured in it: jiffies, uptime, short delays.
 */
#include <kernel/main.h>
#include <kernel/time.h>
#include <kernel/shell.h>
#include <kernel/sched.h>
#include <kernel/rcu.h>
#include <kernel/smp.h>
#include <kernel/tasks_rcu.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <asm/cpu.h>
#include <lib/atomic.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/printf.h>

volatile u64 jiffies;

/* Called from every tick when set; see timer_tick_set_hook(). */
static void (*tick_hook)(void);

/* Every CPU's tick; the boot CPU's alone counts jiffies. */
void timer_tick(struct pt_regs *regs)
{
	void (*hook)(void) = READ_ONCE(tick_hook);

	if (smp_processor_id() == 0)
		jiffies++;
	rcu_sched_clock_irq();
	tasks_rcu_tick(regs);
	if (hook)
		hook();
	sched_tick();
}

/*
 * Install @fn to run on every CPU's tick (one user at a time: the ring
 * buffer's self-test writes from interrupts with it), or remove it with
 * NULL. Returns 0, or -EBUSY if another hook is installed. The hook runs
 * in the timer interrupt: short, never sleeping. Just after removal it
 * may still be running on another CPU.
 */
int timer_tick_set_hook(void (*fn)(void))
{
	if (fn)
		return cmpxchg(&tick_hook, NULL, fn) ? -EBUSY : 0;
	WRITE_ONCE(tick_hook, NULL);
	return 0;
}

/* Busy-wait @us microseconds on the clock: for short hardware delays in
 * any context. Use msleep() where sleeping is allowed. */
void udelay(u64 us)
{
	u64 end = clock_ns() + us * NSEC_PER_USEC;

	while (clock_ns() < end)
		cpu_relax();
}

/* The text `uptime` prints; its own function so the livepatch demo can
 * swap it (see trace/livepatch_demo.c). Returns the length. */
noinline int uptime_format(char *buf, size_t size)
{
	u64 ns = clock_ns();

	return scnprintf(buf, size, "up %llu.%03llu s, %llu ticks at %d Hz",
			 (unsigned long long)(ns / NSEC_PER_SEC),
			 (unsigned long long)(ns % NSEC_PER_SEC / NSEC_PER_MSEC),
			 (unsigned long long)jiffies, HZ);
}

/* uptime: seconds since boot and the tick count. */
static int cmd_uptime(int argc, char **argv __always_unused)
{
	char line[128];

	if (argc != 1)
		return -EINVAL;
	uptime_format(line, sizeof(line));
	console_printf("%s\n", line);
	return 0;
}
SHELL_COMMAND(SHELL_SYSTEM, "uptime", "", "time since boot", cmd_uptime);

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
SHELL_COMMAND(SHELL_TASKS, "sleep", "MS", "wait MS milliseconds (Ctrl-C stops it)", cmd_sleep);
