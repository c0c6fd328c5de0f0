// SPDX-License-Identifier: MIT
/*
 * The 16550 UART on COM1: the console's wire.
 *
 * Output is polled: printk must work from any context, even with
 * interrupts off or during a panic, and a few microseconds of waiting for
 * the transmitter is fine at that rate. Input is interrupt driven: the
 * receive interrupt moves bytes into a ring that the console reads, and
 * hands Ctrl-C to the console at once so it can stop a running command.
 */
#include <asm/io.h>
#include <asm/desc.h>
#include <arch/x86/serial.h>
#include <arch/x86/apic.h>
#include <arch/x86/traps.h>
#include <kernel/console.h>
#include <lib/compiler.h>

#define COM1		0x3f8
#define COM1_IRQ	4

#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1	/* interrupt enable */
#define UART_FCR	2	/* FIFO control */
#define UART_LCR	3	/* line control */
#define UART_MCR	4	/* modem control */
#define UART_LSR	5	/* line status */
#define UART_DLL	0	/* divisor latch, low (with DLAB) */
#define UART_DLM	1	/* divisor latch, high (with DLAB) */

#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LCR_DLAB	0x80
#define LCR_8N1		0x03
#define IER_RX		0x01
#define MCR_DTR_RTS_OUT2 0x0b	/* OUT2 gates the UART's interrupt line */

static bool serial_present;

/* Program 115200 baud, 8N1, FIFOs on. Safe to call before anything else. */
void serial_init_early(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, 1);		/* 115200 / 1 */
	outb(COM1 + UART_DLM, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);		/* enable, clear, 14-byte threshold */
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	serial_present = inb(COM1 + UART_LSR) != 0xff;
}

static void serial_putc_raw(char c)
{
	int spins = 100000;

	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && --spins)
		;
	outb(COM1 + UART_THR, (u8)c);
}

/**
 * serial_write - send @len bytes, turning "\n" into "\r\n"
 *
 * Context: any. Callers serialise (printk holds its lock).
 */
void serial_write(const char *s, size_t len)
{
	if (!serial_present)
		return;
	while (len--) {
		if (*s == '\n')
			serial_putc_raw('\r');
		serial_putc_raw(*s++);
	}
}

static void serial_interrupt(struct pt_regs *regs __always_unused)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		console_receive_char((char)inb(COM1 + UART_RBR));
}

/* Route COM1's interrupt through the IOAPIC and start receiving. */
void serial_init_irq(void)
{
	unsigned vector = IRQ_BASE_VECTOR + COM1_IRQ;

	irq_set_handler(vector, serial_interrupt);
	ioapic_route_irq(COM1_IRQ, vector);
	outb(COM1 + UART_IER, IER_RX);
	serial_interrupt(NULL);		/* drain anything typed during boot */
}

void arch_console_write(const char *s, size_t len)
{
	serial_write(s, len);
}
