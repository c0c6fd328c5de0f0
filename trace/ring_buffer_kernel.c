// SPDX-License-Identifier: MIT
/*
 * The kernel's side of the ring buffer's environment (struct
 * ring_buffer_ops): the CPU number, the TSC clock (raw in events, in ns
 * for readers), preemption, and memory
 * from kmalloc and the page allocator. The host unit tests provide their
 * own ops instead (tests/host/test_ring_buffer.c).
 *
 * The first four run on every traced event, from any context: they must
 * be notrace (this directory is built without fentry sites), take no
 * locks, and be safe in NMI. The kernel's ring buffer does not call them
 * through these pointers, though: ring_buffer_env.h binds the same
 * primitives at compile time, and the table keeps them for completeness.
 */
#include <trace/ring_buffer.h>
#include <kernel/nokprobe.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <trace/trace_clock.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/page_alloc.h>
#include <asm/cpu.h>

static unsigned int rb_kernel_this_cpu(void)
{
	return smp_processor_id();
}
NOKPROBE_SYMBOL(rb_kernel_this_cpu);

static u64 rb_kernel_clock(void)
{
	return trace_clock_read();
}
NOKPROBE_SYMBOL(rb_kernel_clock);

static u64 rb_kernel_clock_to_ns(u64 raw)
{
	return trace_clock_shown(raw);
}

static void rb_kernel_preempt_disable(void)
{
	preempt_disable();
}
NOKPROBE_SYMBOL(rb_kernel_preempt_disable);

/*
 * No reschedule here: a writer may be in an interrupt or on the int3 path.
 * A task that got a reschedule request while writing is preempted at the
 * next interrupt exit or preempt_enable() instead.
 */
static void rb_kernel_preempt_enable(void)
{
	preempt_enable_no_resched();
}
NOKPROBE_SYMBOL(rb_kernel_preempt_enable);

static void *rb_kernel_alloc(size_t size)
{
	return kzalloc(size);
}

static void rb_kernel_free(void *ptr)
{
	kfree(ptr);
}

static void *rb_kernel_alloc_page(void)
{
	return alloc_page();
}

static void rb_kernel_free_page(void *page)
{
	free_page(page);
}

static void rb_kernel_relax(void)
{
	cpu_relax();
}

const struct ring_buffer_ops ring_buffer_kernel_ops = {
	.this_cpu = rb_kernel_this_cpu,
	.clock = rb_kernel_clock,
	.clock_to_ns = rb_kernel_clock_to_ns,
	.preempt_disable = rb_kernel_preempt_disable,
	.preempt_enable = rb_kernel_preempt_enable,
	.alloc = rb_kernel_alloc,
	.free = rb_kernel_free,
	.alloc_page = rb_kernel_alloc_page,
	.free_page = rb_kernel_free_page,
	.relax = rb_kernel_relax,
};
