/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks: ticket locks, fair between CPUs. Taking one disables
 * preemption; the _irqsave variants also disable local interrupts, and must
 * be used for any lock an interrupt handler also takes.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <lib/atomic.h>
#include <lib/types.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <kernel/preempt.h>

typedef struct {
	u16 next;	/* ticket handed to the next arrival */
	u16 owner;	/* ticket now being served */
} spinlock_t;

#define SPINLOCK_INIT		{ 0, 0 }
#define DEFINE_SPINLOCK(name)	spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = l->owner = 0;
}

static inline void arch_spin_lock(spinlock_t *l)
{
	u16 me = fetch_add_relaxed(&l->next, 1);

	while (smp_load_acquire(&l->owner) != me)
		cpu_relax();
}

static inline bool arch_spin_trylock(spinlock_t *l)
{
	u16 owner = smp_load_relaxed(&l->owner);
	u16 expected = owner;

	/* Take the next ticket only if it would be served at once. */
	return try_cmpxchg_acquire(&l->next, &expected, (u16)(owner + 1));
}

static inline void arch_spin_unlock(spinlock_t *l)
{
	smp_store_release(&l->owner, (u16)(l->owner + 1));
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return smp_load_relaxed(&l->owner) !=
	       smp_load_relaxed(&l->next);
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	arch_spin_lock(l);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (arch_spin_trylock(l))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_unlock(spinlock_t *l)
{
	arch_spin_unlock(l);
	preempt_enable();
}

#define spin_lock_irqsave(l, flags)		\
do {						\
	local_irq_save(flags);			\
	spin_lock(l);				\
} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	arch_spin_unlock(l);
	local_irq_restore(flags);
	preempt_enable();
}

static inline void spin_lock_irq(spinlock_t *l)
{
	local_irq_disable();
	spin_lock(l);
}

static inline void spin_unlock_irq(spinlock_t *l)
{
	arch_spin_unlock(l);
	local_irq_enable();
	preempt_enable();
}

#endif /* KERNEL_SPINLOCK_H */
