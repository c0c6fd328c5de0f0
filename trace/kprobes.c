// SPDX-License-Identifier: MIT
/*
 * The generic half of kprobes (see kprobes.h).
 *
 * Probed addresses live in a 64-bucket hash table of probe points, read
 * under RCU by the int3 handler; registration, removal and arming are
 * serialised by kprobe_mutex. A point is freed only after a grace period,
 * so a CPU still handling a hit (interrupts or preemption off) never sees
 * it vanish; its slot is reused, and its detour freed, only once no task
 * is inside them (kernel/tasks_rcu.c). unregister_kprobe() returns after
 * that grace period: no handler of the probe runs on any CPU by then.
 *
 * Before arming, a probe must pass four checks, each with its own errno:
 * kernel text (-EFAULT), an instruction boundary (-EILSEQ), not
 * blacklisted (-EPERM), an instruction we can run or emulate (-EOPNOTSUPP).
 */
#include <trace/kprobes_opt.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/tasks_rcu.h>
#include <kernel/wait.h>
#include <asm/sections.h>
#include <lib/errno.h>
#include <lib/string.h>

struct kprobe_point *kprobe_table[KPROBE_TABLE_SIZE];
DEFINE_MUTEX(kprobe_mutex);
LIST_HEAD(kprobe_list);
static bool all_enabled = true;


/* Probes on fentry sites fire through these: one with IPMODIFY, for
 * handlers that move RIP, and one without (so they coexist with hooks). */
static struct ftrace_ops kprobe_ftrace_ops = {
	.func = kprobe_ftrace_handler, .flags = FTRACE_OPS_FL_SAVE_REGS,
};
static struct ftrace_ops kprobe_ipmodify_ops = {
	.func = kprobe_ftrace_handler,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

/* ---- the hit path (RCU read side: interrupts or preemption are off) ---- */

/* The probe guard (trace/probe_guard.h): the kprobe whose handler runs. */
DEFINE_PER_CPU(struct kprobe *, current_kprobe);
/* Its holder while a handler without a kprobe of its own runs (fprobe). */
struct kprobe kprobe_busy = { .symbol_name = "kprobe_busy" };

/*
 * The kprobe this CPU's probe guard holds: the one whose handler runs
 * here, kprobe_busy for an fprobe handler, or NULL. Context: probe
 * context, or with preemption off - otherwise "this CPU" may change
 * under the caller.
 */
struct kprobe *kprobe_running(void)
{
	return this_cpu_read(current_kprobe);
}

/*
 * Count a missed hit on every enabled probe at @pt: the int3 fired while
 * this CPU already ran a probe handler, so none of them may run now.
 * Context: the int3 handler, RCU read side. Its own text is __kprobes,
 * for a probe on it would recurse.
 */
__kprobes void kprobe_point_missed(struct kprobe_point *pt)
{
	struct kprobe *p;

	for (p = rcu_dereference(pt->probes); p; p = rcu_dereference(p->next))
		if (!(p->flags & KPROBE_FLAG_DISABLED))
			p->nmissed++;
}

/*
 * Does any probe at @pt have a post_handler? Such a point needs the
 * single-step trap after the copy, so it can be neither boosted nor
 * optimized. Context: kprobe_mutex held (a plain walk, no RCU).
 */
bool kprobe_point_has_post(const struct kprobe_point *pt)
{
	const struct kprobe *p;

	for (p = pt->probes; p; p = p->next)
		if (p->post_handler)
			return true;
	return false;
}

/* ---- checks ---- */

static bool in_range(unsigned long addr, const char *start, const char *end)
{
	return addr >= (unsigned long)start && addr < (unsigned long)end;
}

/*
 * Is @addr code that a probe must never patch: the __kprobes and entry
 * sections (the trap path itself), or inside a function listed with
 * NOKPROBE_SYMBOL()? A probe there would trap inside its own handling.
 * Any context; the list walk makes it slow, so not for the hit path.
 */
bool kprobe_blacklisted(unsigned long addr)
{
	const unsigned long *e;

	if (in_range(addr, __kprobes_text_start, __kprobes_text_end) ||
	    in_range(addr, __entry_text_start, __entry_text_end))
		return true;
	for (e = __start_kprobe_blacklist; e < __stop_kprobe_blacklist; e++) {
		struct ksym sym;

		if (kallsyms_lookup_addr(*e, &sym, NULL) && addr >= sym.addr &&
		    addr < sym.addr + sym.size)
			return true;
	}
	return false;
}

/* Is @addr the first byte of a function (kretprobes need one)? */
bool kprobe_at_function_entry(unsigned long addr)
{
	struct ksym sym;

	return kallsyms_lookup_addr(addr, &sym, NULL) && sym.addr == addr;
}

/*
 * The words the console prints for a registration errno: each check in
 * check_address() has its own errno, so the user learns which one failed.
 */
const char *kprobe_strerror(int err)
{
	switch (err) {
	case -EFAULT:	  return "address is not in kernel text";
	case -EILSEQ:	  return "address is not on an instruction boundary";
	case -EPERM:	  return "address is blacklisted (on the probe or trap path)";
	case -EOPNOTSUPP: return "this instruction cannot be probed";
	case -ENOENT:	  return "unknown symbol";
	case -EEXIST:	  return "probe already registered";
	case -EINVAL:	  return "give a symbol or an address (and a valid offset)";
	case -EBUSY:	  return "the function is already redirected by another user";
	default:	  return errno_message(err);
	}
}

/* Resolve @p's address and run every check but the instruction's own. */
static int check_address(struct kprobe *p)
{
	struct ksym sym;

	if (p->symbol_name && p->addr)
		return -EINVAL;
	if (p->symbol_name) {
		if (!kallsyms_lookup_name(p->symbol_name, &sym))
			return -ENOENT;
		p->addr = sym.addr + p->offset;
	} else if (!p->addr) {
		return -EINVAL;
	}
	if (!in_range(p->addr, __boot32_text_end, __text_end))
		return -EFAULT;
	if (!kallsyms_lookup_addr(p->addr, &sym, NULL) || !ksym_is_text(&sym))
		return -EFAULT;
	if (kprobe_blacklisted(p->addr))
		return -EPERM;
	if (!arch_kprobe_on_boundary(sym.addr, p->addr))
		return -EILSEQ;
	return 0;
}

/* ---- arming (kprobe_mutex held) ---- */

/* Does a probe at @pt need IPMODIFY (it may move RIP)? Then its fentry
 * point must go through the ops that says so. kprobe_mutex held. */
bool kprobe_point_wants_ipmodify(const struct kprobe_point *pt)
{
	const struct kprobe *p;

	for (p = pt->probes; p; p = p->next)
		if (p->flags & KPROBE_FLAG_IPMODIFY)
			return true;
	return false;
}

/*
 * Arm (@on) or disarm a point that sits on an fentry site: add or remove
 * its address in one of the two ftrace_ops filters, registering the ops
 * with the first address. Returns 0 or ftrace's error. Context:
 * kprobe_mutex held; may sleep (ftrace patches text).
 */
static int ftrace_arm(struct kprobe_point *pt, bool on)
{
	struct ftrace_ops *ops = kprobe_point_wants_ipmodify(pt) ? &kprobe_ipmodify_ops : &kprobe_ftrace_ops;
	bool live = ops->flags & FTRACE_OPS_FL_ENABLED;
	int err;

	if (on) {
		err = ftrace_set_filter_ip(ops, pt->addr, false, false);
		if (!err && !live)
			err = register_ftrace_function(ops);
		return err;
	}
	/*
	 * The last address: leave ftrace first. Removed first, it would
	 * leave an empty filter - every function - on a live ops, and every
	 * site in the kernel would call it until the unregister.
	 */
	if (live && ops->filter_hash && ops->filter_hash->count == 1) {
		err = unregister_ftrace_function(ops);
		if (err)
			return err;
	}
	return ftrace_set_filter_ip(ops, pt->addr, true, false);
}

/* Is any probe at @pt enabled? Context: kprobe_mutex held. */
static bool point_has_enabled(const struct kprobe_point *pt)
{
	const struct kprobe *p;

	for (p = pt->probes; p; p = p->next)
		if (!(p->flags & KPROBE_FLAG_DISABLED))
			return true;
	return false;
}

/*
 * Arm or disarm @pt so that it matches its probes and the global switch,
 * taking it back from a jmp to a plain int3 first. Returns 0 or ftrace's
 * error. Context: kprobe_mutex held.
 */
static int update_armed(struct kprobe_point *pt)
{
	bool want = all_enabled && point_has_enabled(pt);
	int err = 0;

	kprobe_unoptimize(pt);

	if (want == pt->armed)
		return 0;
	if (pt->on_ftrace) {
		err = ftrace_arm(pt, want);
		if (!err)
			pt->armed = want;
		return err;
	}
	/* Published before the int3 goes in, withdrawn after it is gone. */
	if (want) {
		kprobe_unoptimize_covering(pt->addr);
		pt->armed = true;
		arch_arm_kprobe(pt);
	} else {
		arch_disarm_kprobe(pt);
		pt->armed = false;
	}
	return 0;
}

/* update_armed(), then optimized again (later) if @pt still qualifies. */
static int sync_armed(struct kprobe_point *pt)
{
	int err = update_armed(pt);

	kprobe_queue_optimize(pt);
	return err;
}

/* The point at @addr, armed or not, or NULL. Context: kprobe_mutex held
 * (the hit path's lookup is kprobe_point_lookup(): armed points only). */
struct kprobe_point *kprobe_point_find(unsigned long addr)
{
	struct kprobe_point *pt;

	for (pt = kprobe_table[kprobe_hash(addr)]; pt; pt = pt->hnext)
		if (pt->addr == addr)
			return pt;
	return NULL;
}

/*
 * Take @pt out of its hash chain. Hits that already loaded the pointer
 * may still walk @pt: the caller waits a grace period before freeing it.
 * Context: kprobe_mutex held.
 */
static void unhash_point(struct kprobe_point *pt)
{
	struct kprobe_point **pp = &kprobe_table[kprobe_hash(pt->addr)];

	while (*pp != pt)
		pp = &(*pp)->hnext;
	rcu_assign_pointer(*pp, pt->hnext);
}

/* Boost when no probe here has a post_handler (it needs the trap). */
static void update_boost(struct kprobe_point *pt)
{
	/* Read locklessly by hits, which then skip the post_handler walk. */
	WRITE_ONCE(pt->has_post, kprobe_point_has_post(pt));
	pt->boosted = pt->arch.slot && arch_kprobe_boostable(pt) && !kprobe_point_has_post(pt);
}

/* A new point for @addr: decoded, with its slot written, hashed, unarmed. */
static int new_point(unsigned long addr, struct kprobe_point **out)
{
	struct kprobe_point *pt = kzalloc(sizeof(*pt));
	int err;

	if (!pt)
		return -ENOMEM;
	pt->addr = addr;
	INIT_LIST_HEAD(&pt->opt_node);
	pt->on_ftrace = ftrace_location(addr) == addr;
	if (!pt->on_ftrace) {
		err = arch_prepare_kprobe(pt);
		if (!err && pt->arch.run == KPROBE_RUN_COPY) {
			pt->arch.slot = kprobe_slot_alloc(addr, arch_kprobe_resume_addr(pt));
			err = pt->arch.slot ? arch_prepare_slot(pt) : -ENOMEM;
		}
		if (err) {
			if (pt->arch.slot)
				kprobe_slot_free(pt->arch.slot);
			kfree(pt);
			return err;
		}
	}
	pt->hnext = kprobe_table[kprobe_hash(addr)];
	rcu_assign_pointer(kprobe_table[kprobe_hash(addr)], pt);
	*out = pt;
	return 0;
}

/* Free what no CPU can reach any more (after a grace period). */
static void unregister_bottom(struct kprobe_point *pt)
{
	arch_free_optimized(pt);
	if (pt->arch.slot)
		kprobe_slot_free(pt->arch.slot);
	kfree(pt);
}

/* Unhash @pt, wait until no CPU handles a hit on it, then free it.
 * Context: kprobe_mutex held; sleeps. */
static void free_point(struct kprobe_point *pt)
{
	unhash_point(pt);
	synchronize_rcu();		/* nobody still handles a hit on it */
	unregister_bottom(pt);
}

/* Is @p on kprobe_list? Context: kprobe_mutex held. */
static bool registered(const struct kprobe *p)
{
	const struct kprobe *q;

	list_for_each_entry(q, &kprobe_list, list)
		if (q == p)
			return true;
	return false;
}

/*
 * Check @p's address, add it to the point there (made on first use) and
 * arm the point. Returns 0, or the errno of the first check that failed
 * (see kprobe_strerror()); on error nothing stays registered or patched.
 * Context: process context; takes kprobe_mutex and may sleep.
 */
int register_kprobe(struct kprobe *p)
{
	struct kprobe_point *pt;
	int err;

	mutex_lock(&kprobe_mutex);
	err = registered(p) ? -EEXIST : check_address(p);
	if (err)
		goto out;
	err = pcpu_counter_init(&p->nhit);
	if (err)
		goto out;
	pt = kprobe_point_find(p->addr);
	if (!pt) {
		err = new_point(p->addr, &pt);
		if (err)
			goto err_counter;
	}
	p->point = pt;
	p->nmissed = 0;
	p->flags &= KPROBE_FLAG_DISABLED | KPROBE_FLAG_IPMODIFY;
	p->next = pt->probes;
	rcu_assign_pointer(pt->probes, p);
	list_add_tail(&p->list, &kprobe_list);
	update_boost(pt);
	err = sync_armed(pt);
	if (err) {
		rcu_assign_pointer(pt->probes, p->next);
		list_del_init(&p->list);
		if (!pt->probes)
			free_point(pt);
		/* A hit on the point's other probes may have counted on p. */
		synchronize_rcu();
		goto err_counter;
	}
out:
	mutex_unlock(&kprobe_mutex);
	return err;

err_counter:
	pcpu_counter_destroy(&p->nhit);
	mutex_unlock(&kprobe_mutex);
	return err;
}

/*
 * Run every check register_kprobe() would, the instruction decode
 * included, without registering anything: a kprobe_events write checks
 * all its commands this way before it changes any event. Returns 0 or
 * the same errno. Takes kprobe_mutex; may sleep.
 */
int kprobe_check_target(unsigned long addr)
{
	struct kprobe scratch = { .addr = addr };
	struct kprobe_point *pt;
	int err;

	mutex_lock(&kprobe_mutex);
	err = check_address(&scratch);
	/* A new point off the fentry site decodes the instruction there:
	 * do the same on a point nobody sees. */
	if (!err && !kprobe_point_find(addr) && ftrace_location(addr) != addr) {
		pt = kzalloc(sizeof(*pt));
		if (pt) {
			pt->addr = addr;
			err = arch_prepare_kprobe(pt);
			kfree(pt);
		} else {
			err = -ENOMEM;
		}
	}
	mutex_unlock(&kprobe_mutex);
	return err;
}

/*
 * Unregistering is done in two halves so that a batch waits for one grace
 * period, not one per probe: the top unlinks and disarms (mutex held), the
 * bottom frees what no CPU can reach any more.
 */
static bool unregister_top(struct kprobe *p)
{
	struct kprobe_point *pt = p->point;
	struct kprobe **pp;

	for (pp = &pt->probes; *pp != p; pp = &(*pp)->next)
		;
	rcu_assign_pointer(*pp, p->next);
	list_del_init(&p->list);
	update_boost(pt);
	sync_armed(pt);
	if (pt->probes)
		return false;
	unhash_point(pt);
	return true;			/* the point goes in the bottom half */
}

/* One probe: a batch of one, so one grace period. May sleep. */
void unregister_kprobe(struct kprobe *p)
{
	unregister_kprobes(&p, 1);
}

/*
 * Register @num probes, all or none: on the first failure the ones
 * already registered are taken out again. Returns 0 or that errno.
 */
int register_kprobes(struct kprobe **ps, int num)
{
	int i, err;

	for (i = 0; i < num; i++) {
		err = register_kprobe(ps[i]);
		if (err) {
			unregister_kprobes(ps, i);
			return err;
		}
	}
	return 0;
}

/*
 * Take out @num probes with a single grace period for all of them: the
 * top half runs for each, then one synchronize_rcu(), then the bottom
 * halves. Probes that are not registered are skipped. Returns when no
 * handler of these probes runs on any CPU. Takes kprobe_mutex; sleeps.
 */
void unregister_kprobes(struct kprobe **ps, int num)
{
	struct kprobe_point **dead = kcalloc(num + 1, sizeof(*dead));
	int i, ndead = 0;

	mutex_lock(&kprobe_mutex);
	for (i = 0; i < num; i++) {
		struct kprobe_point *pt = ps[i]->point;

		if (!registered(ps[i]))
			continue;
		ps[i]->flags |= KPROBE_FLAG_GOING;
		if (unregister_top(ps[i])) {
			if (dead)
				dead[ndead++] = pt;
			else
				synchronize_rcu(), unregister_bottom(pt);	/* no memory: one by one */
		}
		ps[i]->point = NULL;
	}
	synchronize_rcu();		/* no CPU still runs a handler or a copy of theirs */
	for (i = 0; i < ndead; i++)
		unregister_bottom(dead[i]);
	for (i = 0; i < num; i++) {
		if (ps[i]->flags & KPROBE_FLAG_GOING) {
			ps[i]->flags &= ~KPROBE_FLAG_GOING;
			pcpu_counter_destroy(&ps[i]->nhit);	/* nobody counts on it now */
		}
	}
	mutex_unlock(&kprobe_mutex);
	kfree(dead);
}

/*
 * Set or clear @p's DISABLED flag and bring its point's int3 (or ftrace
 * filter) in line. Returns 0, -EINVAL if @p is not registered, or the
 * arming error. Takes kprobe_mutex.
 */
static int set_disabled(struct kprobe *p, bool disabled)
{
	int err = -EINVAL;

	mutex_lock(&kprobe_mutex);
	if (registered(p)) {
		if (disabled)
			p->flags |= KPROBE_FLAG_DISABLED;
		else
			p->flags &= ~KPROBE_FLAG_DISABLED;
		err = sync_armed(p->point);
	}
	mutex_unlock(&kprobe_mutex);
	return err;
}

int enable_kprobe(struct kprobe *p)
{
	return set_disabled(p, false);
}

int disable_kprobe(struct kprobe *p)
{
	return set_disabled(p, true);
}

/*
 * The global switch (debugfs kprobes/enabled): while off, every point is
 * disarmed but every probe keeps its own flag, to come back as it was.
 * Returns the first arming error. Takes kprobe_mutex.
 */
int kprobes_set_enabled(bool on)
{
	struct kprobe *p;
	int err = 0;

	mutex_lock(&kprobe_mutex);
	all_enabled = on;
	list_for_each_entry(p, &kprobe_list, list)
		if (!err)
			err = sync_armed(p->point);
	mutex_unlock(&kprobe_mutex);
	return err;
}

bool kprobes_all_enabled(void)
{
	return all_enabled;
}

/*
 * Call @fn on each registered probe with kprobe_mutex held, so @fn sees
 * a stable list and may use __kprobe_state(); @fn must not register or
 * unregister probes (it would deadlock).
 */
void kprobes_for_each(void (*fn)(struct kprobe *p, void *arg), void *arg)
{
	struct kprobe *p;

	mutex_lock(&kprobe_mutex);
	list_for_each_entry(p, &kprobe_list, list)
		fn(p, arg);
	mutex_unlock(&kprobe_mutex);
}

/*
 * How @p's point runs, as the one flag the kprobes/list file shows:
 * OPTIMIZED, FTRACE, EMULATED, BOOSTED, or 0 for a plain int3 and a
 * single-step. Context: kprobe_mutex held.
 */
unsigned long __kprobe_state(const struct kprobe *p)
{
	const struct kprobe_point *pt = p->point;

	if (!pt)
		return 0;
	if (pt->optimized)
		return KPROBE_FLAG_OPTIMIZED;
	if (pt->on_ftrace)
		return KPROBE_FLAG_FTRACE;
	if (pt->arch.run == KPROBE_RUN_EMULATE)
		return KPROBE_FLAG_EMULATED;
	return pt->boosted ? KPROBE_FLAG_BOOSTED : 0;
}

/* __kprobe_state() for callers that do not hold the mutex; 0 if @p is
 * not registered. Takes kprobe_mutex. */
unsigned long kprobe_state(const struct kprobe *p)
{
	unsigned long state;

	mutex_lock(&kprobe_mutex);
	state = registered(p) ? __kprobe_state(p) : 0;
	mutex_unlock(&kprobe_mutex);
	return state;
}

/*
 * Where @p's copied instruction, and its detour if optimized, live (0
 * if none), for the kprobes/list dump. Context: kprobe_mutex held, or
 * the point may be freed under the caller.
 */
unsigned long kprobe_slot_address(const struct kprobe *p)
{
	return p->point ? (unsigned long)p->point->arch.slot : 0;
}

unsigned long kprobe_detour_address(const struct kprobe *p)
{
	return p->point && p->point->optimized ? (unsigned long)p->point->arch.detour : 0;
}
