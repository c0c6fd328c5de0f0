// SPDX-License-Identifier: MIT
/*
 * Turning the machine off or restarting it.
 *
 * QEMU's pc machine has ACPI power management at port 0x600: writing
 * SLP_TYPa=0 | SLP_EN to PM1a_CNT (0x604) powers off and QEMU exits with
 * status 0. If that does not stop us, the isa-debug-exit device (which
 * `make run` adds at 0xf4) makes QEMU exit at once.
 */
#include <asm/io.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <kernel/arch.h>

#define ACPI_PM1A_CNT	0x604
#define ACPI_SLP_EN	0x2000
#define DEBUG_EXIT_PORT	0xf4

void machine_power_off(void)
{
	outw(ACPI_PM1A_CNT, ACPI_SLP_EN);
	outl(DEBUG_EXIT_PORT, 0);	/* QEMU exits with status 1 */
	cpu_halt_forever();
}

void machine_restart(void)
{
	int spins;

	/* Pulse the reset line through the keyboard controller. */
	for (spins = 0; spins < 100000 && (inb(0x64) & 0x02); spins++)
		cpu_relax();
	outb(0x64, 0xfe);
	/* Failing that, a triple fault. */
	triple_fault();
	cpu_halt_forever();
}

void machine_exit_qemu(int code)
{
	outl(DEBUG_EXIT_PORT, (u32)code);
	cpu_halt_forever();
}
