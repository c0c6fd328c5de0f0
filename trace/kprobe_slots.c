// SPDX-License-Identifier: MIT
/*
 * Instruction slots: where kprobes keep the copies they run out of line.
 *
 * Slots are KPROBE_SLOT_SIZE bytes in pages of run-time code (executable,
 * near kernel text, never writable: written only by text_poke). Each slot
 * is clean (free), used, or dirty (freed, but a CPU may still be executing
 * it). Dirty slots become clean only once no task is inside them
 * (tasks_rcu_find_held(), kernel/tasks_rcu.c): a boosted copy runs
 * preemptible (see arch_in_trampoline_code()), so a task may be preempted
 * in a slot, between the copied instruction and the jump back, long after
 * the probe has gone, and another CPU may be running one. A slot a task
 * is parked in stays dirty for the next collection. Pages with no used or
 * dirty slot are returned, except one kept for the next probe.
 *
 * Each slot also remembers where its jmp returns to, so the optimizer can
 * ask whether a task preempted in a slot will come back inside the bytes
 * it is about to replace (kprobe_slots_return_into()).
 */
#include <trace/kprobes_arch.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/mutex.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/tasks_rcu.h>
#include <asm/layout.h>
#include <lib/list.h>

#define SLOTS_PER_PAGE	(PAGE_SIZE / KPROBE_SLOT_SIZE)
#define DIRTY_GC_LIMIT	SLOTS_PER_PAGE	/* collect when this many are dirty */

enum slot_state { SLOT_CLEAN, SLOT_USED, SLOT_DIRTY };

struct slot_page {
	struct list_head list;
	u8 *code;
	unsigned used, dirty;
	u8 state[SLOTS_PER_PAGE];
	unsigned long resume[SLOTS_PER_PAGE];	/* where each slot's jmp lands */
};

static LIST_HEAD(slot_pages);
static DEFINE_MUTEX(slot_mutex);
static unsigned total_dirty;

/* The first clean slot, now used and remembering @resume; NULL if every
 * page is full. slot_mutex held. */
static void *take_slot(unsigned long resume)
{
	struct slot_page *sp;
	unsigned i;

	list_for_each_entry(sp, &slot_pages, list) {
		if (sp->used + sp->dirty == SLOTS_PER_PAGE)
			continue;
		for (i = 0; i < SLOTS_PER_PAGE; i++) {
			if (sp->state[i] == SLOT_CLEAN) {
				sp->state[i] = SLOT_USED;
				sp->resume[i] = resume;
				sp->used++;
				return sp->code + i * KPROBE_SLOT_SIZE;
			}
		}
	}
	return NULL;
}

/* A new page of slots, executable and marked preemptible code (see the
 * top), or NULL without memory. slot_mutex held. */
static struct slot_page *add_page(void)
{
	struct slot_page *sp = kzalloc(sizeof(*sp));

	if (!sp)
		return NULL;
	sp->code = exec_pages_alloc(1);
	if (!sp->code) {
		kfree(sp);
		return NULL;
	}
	exec_pages_set_preemptible(sp->code, 1);
	list_add_tail(&sp->list, &slot_pages);
	return sp;
}

static unsigned long slot_addr(const struct slot_page *sp, unsigned i)
{
	return (unsigned long)sp->code + i * KPROBE_SLOT_SIZE;
}

/* Dirty slots no task is inside turn clean. slot_mutex held; may sleep. */
static void clean_dirty_slots(void)
{
	struct code_ranges dirty = { 0 };
	struct slot_page *sp;
	unsigned i, k = 0;
	bool *busy;

	list_for_each_entry(sp, &slot_pages, list)
		for (i = 0; i < SLOTS_PER_PAGE; i++)
			if (sp->state[i] == SLOT_DIRTY &&
			    code_ranges_add(&dirty, slot_addr(sp, i), slot_addr(sp, i) + KPROBE_SLOT_SIZE))
				goto out;		/* no memory: collect next time */
	busy = dirty.n ? kcalloc(dirty.n, sizeof(*busy)) : NULL;
	if (!busy)
		goto out;
	tasks_rcu_find_held(dirty.r, dirty.n, busy);
	/* The same walk as above: the k-th dirty slot is dirty.r[k]. */
	list_for_each_entry(sp, &slot_pages, list) {
		for (i = 0; i < SLOTS_PER_PAGE; i++) {
			if (sp->state[i] != SLOT_DIRTY || busy[k++])
				continue;
			sp->state[i] = SLOT_CLEAN;
			sp->dirty--;
			total_dirty--;
		}
	}
	kfree(busy);
out:
	code_ranges_free(&dirty);
}

/* Dirty -> clean, then free empty pages (keeping one). slot_mutex held. */
static void collect_locked(void)
{
	struct slot_page *sp, *tmp;
	unsigned pages = 0;

	clean_dirty_slots();
	list_for_each_entry_safe(sp, tmp, &slot_pages, list) {
		if (sp->used || sp->dirty || pages++ == 0)
			continue;			/* in use, or the one we keep */
		list_del_init(&sp->list);
		exec_pages_free(sp->code, 1);
		kfree(sp);
	}
}

/*
 * A slot whose copy's jmp will return to @resume, named in kallsyms after
 * @owner (the probed address; 0: unnamed). Tries a clean slot, then a
 * collection of the dirty ones, then a new page. NULL without memory.
 * Takes slot_mutex; may sleep.
 */
void *kprobe_slot_alloc(unsigned long owner, unsigned long resume)
{
	void *slot;

	mutex_lock(&slot_mutex);
	slot = take_slot(resume);
	if (!slot && total_dirty) {
		collect_locked();
		slot = take_slot(resume);
	}
	if (!slot && add_page())
		slot = take_slot(resume);
	mutex_unlock(&slot_mutex);
	if (slot && owner)
		code_sym_add((unsigned long)slot, KPROBE_SLOT_SIZE, "kprobe_insn_slot", "kprobes",
			     "for %pS", (void *)owner);
	return slot;
}

/* Give back a slot: dirty until no task is inside it. Collects once
 * DIRTY_GC_LIMIT are dirty. Takes slot_mutex; may sleep. */
void kprobe_slot_free(void *slot)
{
	struct slot_page *sp;

	code_sym_del((unsigned long)slot);

	mutex_lock(&slot_mutex);
	list_for_each_entry(sp, &slot_pages, list) {
		unsigned long off = (u8 *)slot - sp->code;

		if (off >= PAGE_SIZE)
			continue;
		sp->state[off / KPROBE_SLOT_SIZE] = SLOT_DIRTY;
		sp->used--;
		sp->dirty++;
		total_dirty++;
		break;
	}
	if (total_dirty >= DIRTY_GC_LIMIT)
		collect_locked();
	mutex_unlock(&slot_mutex);
}

/*
 * Used and dirty slots both count: a dirty slot's probe is gone, but a
 * task still inside it runs its jmp when it resumes. A clean slot has
 * nobody inside (clean_dirty_slots() saw to it), whatever it held.
 */
int kprobe_slots_returning_into(unsigned long start, unsigned long end, struct code_ranges *c)
{
	struct slot_page *sp;
	unsigned i;
	int err = 0;

	mutex_lock(&slot_mutex);
	list_for_each_entry(sp, &slot_pages, list)
		for (i = 0; i < SLOTS_PER_PAGE && !err; i++)
			if (sp->state[i] != SLOT_CLEAN && sp->resume[i] > start && sp->resume[i] < end)
				err = code_ranges_add(c, slot_addr(sp, i),
						      slot_addr(sp, i) + KPROBE_SLOT_SIZE);
	mutex_unlock(&slot_mutex);
	return err;
}

/* Collect now (the self-tests, to check that slots come back). */
void kprobe_slots_gc(void)
{
	mutex_lock(&slot_mutex);
	collect_locked();
	mutex_unlock(&slot_mutex);
}

/* Count the pages and their slots by state (the self-tests check leaks). */
void kprobe_slot_stats(struct kprobe_slot_stats *st)
{
	struct slot_page *sp;

	*st = (struct kprobe_slot_stats){ 0 };
	mutex_lock(&slot_mutex);
	list_for_each_entry(sp, &slot_pages, list) {
		st->pages++;
		st->used += sp->used;
		st->dirty += sp->dirty;
		st->clean += SLOTS_PER_PAGE - sp->used - sp->dirty;
	}
	mutex_unlock(&slot_mutex);
}
