/* SPDX-License-Identifier: MIT */
/*
 * The four calls the ring buffer makes into its environment on every
 * write: this CPU's number, the clock, and preemption off and on; and the
 * readers' one, the clock's raw reading in nanoseconds.
 *
 * struct ring_buffer_ops carries them as function pointers, so that the
 * host unit tests (built with LOUPE_HOST) can run the buffer with a fake
 * clock and fake CPUs. The kernel has exactly one environment, though,
 * and four indirect calls per event are not free: under QEMU's TCG every
 * indirect call and return means a lookup of the target block, which is
 * a good part of an event's cost. So the kernel build binds these four
 * at compile time to the inline primitives that ring_buffer_kernel_ops
 * wraps, and the host build keeps the pointers. Either way the buffer
 * calls rb_env_*(rb), and rb->ops stays the contract for everything else
 * (memory, relax).
 *
 * Only ring_buffer.c and ring_buffer_read.c include this.
 */
#ifndef TRACE_RING_BUFFER_ENV_H
#define TRACE_RING_BUFFER_ENV_H

#include <trace/ring_buffer_internal.h>

#ifdef LOUPE_HOST

static inline unsigned int rb_env_this_cpu(const struct ring_buffer *rb)
{
	return rb->ops->this_cpu();
}

static inline u64 rb_env_clock(const struct ring_buffer *rb)
{
	return rb->ops->clock();
}

static inline u64 rb_env_clock_to_ns(const struct ring_buffer *rb, u64 raw)
{
	return rb->ops->clock_to_ns ? rb->ops->clock_to_ns(raw) : raw;
}

static inline void rb_env_preempt_disable(const struct ring_buffer *rb)
{
	rb->ops->preempt_disable();
}

static inline void rb_env_preempt_enable(const struct ring_buffer *rb)
{
	rb->ops->preempt_enable();
}

#else /* the kernel: what ring_buffer_kernel_ops does, without the calls */

#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <trace/trace_clock.h>

static __always_inline unsigned int rb_env_this_cpu(const struct ring_buffer *rb __always_unused)
{
	return smp_processor_id();
}

/*
 * The clock trace_clock chose: usually the TSC itself, converted to ns
 * only when a reader copies the event out; counter, uptime and x86-tsc
 * are kept and shown as they are (trace/trace_clock.h).
 */
static __always_inline u64 rb_env_clock(const struct ring_buffer *rb __always_unused)
{
	return trace_clock_read();
}

static __always_inline u64 rb_env_clock_to_ns(const struct ring_buffer *rb __always_unused, u64 raw)
{
	return trace_clock_shown(raw);
}

static __always_inline void rb_env_preempt_disable(const struct ring_buffer *rb __always_unused)
{
	preempt_disable();
}

/* No reschedule: see rb_kernel_preempt_enable() in ring_buffer_kernel.c. */
static __always_inline void rb_env_preempt_enable(const struct ring_buffer *rb __always_unused)
{
	preempt_enable_no_resched();
}

#endif /* LOUPE_HOST */

#endif /* TRACE_RING_BUFFER_ENV_H */
