// SPDX-License-Identifier: MIT
/*
 * The ftrace core: the fentry site records, registering ftrace_ops, and
 * keeping every site patched to what the registered ops ask for.
 *
 * Records come from __mcount_loc, one per traced function, sorted by
 * address. Each remembers what its site calls now (0 for the NOP). The
 * registered ops live in an array published under RCU: the list
 * trampoline reads it with preemption off, and an update replaces it and
 * waits a grace period before freeing the old one. Every change of ops or
 * filters ends in ftrace_update_sites(), which computes each site's
 * wanted target and patches the ones that differ in one text_poke_bp batch.
 */
#include <trace/ftrace_internal.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/printk.h>
#include <kernel/rcu.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <lib/bsearch.h>
#include <lib/errno.h>
#include <lib/sort.h>
#include <lib/string.h>
#include <asm/layout.h>

struct dyn_ftrace {
	unsigned long ip;	/* the fentry site: the function's first byte */
	unsigned long target;	/* what the site calls now; 0 = NOP */
	bool touched;		/* it has called something since boot (touched_functions) */
};

struct ops_array {
	unsigned n;
	struct ftrace_ops *ops[];
};

DEFINE_MUTEX(ftrace_lock);
static struct dyn_ftrace *recs;
static unsigned long *rec_ips;		/* the same addresses, for bsearch */
static unsigned nr_recs;
static bool ftrace_disabled = true;	/* until ftrace_init() succeeds */
static struct ops_array *live_ops;	/* RCU-published */
u64 ftrace_boot_nop_ns;			/* how long the boot patching took */

extern unsigned long __start_mcount_loc[], __stop_mcount_loc[];

/* False until ftrace_init() has checked and NOPed every site, and for
 * good if it found one it did not expect. */
bool ftrace_is_enabled(void)
{
	return !ftrace_disabled;
}

/*
 * The records in address order, for the tracefs listings: the count, and
 * the site of record @i (false past the end). The table is written once
 * at boot, so no lock is needed to read it.
 */
unsigned ftrace_rec_count(void)
{
	return nr_recs;
}

bool ftrace_rec_ip(unsigned i, unsigned long *ip)
{
	if (i >= nr_recs)
		return false;
	*ip = recs[i].ip;
	return true;
}

/* The index of the record whose site is exactly @ip, or -1 (binary
 * search in rec_ips). */
static long rec_index(unsigned long ip)
{
	long i = bsearch_floor_u64((const u64 *)rec_ips, nr_recs, ip);

	return (i >= 0 && rec_ips[i] == ip) ? i : -1;
}

/*
 * The fentry site of the function containing @addr, or 0 if that function
 * has none (notrace, or not a function). Kprobes use it to put a probe on
 * a function's first byte through ftrace rather than an int3.
 */
unsigned long ftrace_location(unsigned long addr)
{
	struct ksym sym;

	if (!kallsyms_lookup_addr(addr, &sym, NULL) || rec_index(sym.addr) < 0)
		return 0;
	return sym.addr;
}

/* ---- recursion protection: trace/ftrace.h ---- */

/* ---- the callbacks trampolines call ---- */

/* The list trampoline's callback: every live ops that wants @ip. */
__kprobes void ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *unused __always_unused, struct pt_regs *regs)
{
	struct ops_array *arr;
	int bit = ftrace_recursion_trylock(TRACE_LIST_BITS);
	unsigned i;

	if (bit < 0)
		return;
	arr = rcu_dereference(live_ops);
	for (i = 0; arr && i < arr->n; i++)
		if (ftrace_ops_test(arr->ops[i], ip))
			arr->ops[i]->func(ip, parent_ip, arr->ops[i], regs);
	ftrace_test_recursion_unlock(bit);
}

/* A single ops with FTRACE_OPS_FL_RECURSION: its trampoline calls this. */
__kprobes void ftrace_ops_recursion_func(unsigned long ip, unsigned long parent_ip,
					 struct ftrace_ops *op, struct pt_regs *regs)
{
	int bit = ftrace_test_recursion_trylock();

	if (bit < 0)
		return;
	op->func(ip, parent_ip, op, regs);
	ftrace_test_recursion_unlock(bit);
}

/* ---- keeping sites in step with the ops ---- */

/* What should the site at @ip call, given @arr? 0 for nothing. */
static unsigned long wanted_target(unsigned long ip, const struct ops_array *arr)
{
	struct ftrace_ops *only = NULL;
	unsigned i, users = 0;
	bool regs = false;

	for (i = 0; arr && i < arr->n; i++) {
		if (!ftrace_ops_test(arr->ops[i], ip))
			continue;
		users++;
		only = arr->ops[i];
		regs |= only->flags & FTRACE_OPS_FL_SAVE_REGS;
	}
	if (users == 0)
		return 0;
	if (users == 1)
		return (unsigned long)only->trampoline;
	return arch_ftrace_list_caller(regs);
}

u64 ftrace_sites_patched;

/*
 * Patch every site whose current target differs from what live_ops now
 * asks for, all in one batch, and remember the new targets. Returns 0,
 * -ENOMEM, or the patching error (then no record changes). Context:
 * ftrace_lock held; may sleep (the patch batch takes text_mutex and
 * syncs every CPU).
 */
int ftrace_update_sites(void)
{
	unsigned long *ips, *targets;
	unsigned i, n = 0;
	int err;

	ips = kcalloc(nr_recs + 1, sizeof(*ips));
	targets = kcalloc(nr_recs + 1, sizeof(*targets));
	if (!ips || !targets) {
		kfree(ips);
		kfree(targets);
		return -ENOMEM;
	}
	for (i = 0; i < nr_recs; i++) {
		unsigned long want = wanted_target(recs[i].ip, live_ops);

		if (want != recs[i].target) {
			ips[n] = recs[i].ip;
			targets[n++] = want;
		}
	}
	err = arch_ftrace_update_sites(ips, targets, n);
	for (i = 0; !err && i < n; i++) {
		struct dyn_ftrace *rec = &recs[rec_index(ips[i])];

		rec->target = targets[i];
		rec->touched |= targets[i] != 0;
	}
	if (!err)
		ftrace_sites_patched += n;
	kfree(ips);
	kfree(targets);
	return err;
}

/* A copy of @old with @add appended, or without @del. */
static struct ops_array *ops_array_edit(const struct ops_array *old, struct ftrace_ops *add,
					struct ftrace_ops *del)
{
	unsigned n = old ? old->n : 0, i, out = 0;
	struct ops_array *arr = kmalloc(sizeof(*arr) + (n + 1) * sizeof(arr->ops[0]));

	if (!arr)
		return NULL;
	for (i = 0; i < n; i++)
		if (old->ops[i] != del)
			arr->ops[out++] = old->ops[i];
	if (add)
		arr->ops[out++] = add;
	arr->n = out;
	return arr;
}

/* A second IPMODIFY ops on any function @ops wants? */
static bool ipmodify_conflict(const struct ftrace_ops *ops)
{
	unsigned i, j;

	if (!(ops->flags & FTRACE_OPS_FL_IPMODIFY) || !live_ops)
		return false;
	for (i = 0; i < live_ops->n; i++) {
		const struct ftrace_ops *other = live_ops->ops[i];

		if (!(other->flags & FTRACE_OPS_FL_IPMODIFY))
			continue;
		for (j = 0; j < nr_recs; j++)
			if (ftrace_ops_test(ops, recs[j].ip) && ftrace_ops_test(other, recs[j].ip))
				return true;
	}
	return false;
}

/* Swap in @arr, bring the sites in line; on failure put @old back. */
static int switch_ops(struct ops_array *arr)
{
	struct ops_array *old = live_ops;
	int err;

	rcu_assign_pointer(live_ops, arr);
	err = ftrace_update_sites();
	if (err) {
		rcu_assign_pointer(live_ops, old);
		ftrace_update_sites();
		old = arr;
	}
	synchronize_rcu();	/* no CPU still reads the array we drop */
	kfree(old);
	return err;
}

/*
 * Start calling @ops->func at the functions its filter selects: build its
 * trampoline, publish it in a new live_ops array and patch the sites.
 * Returns 0, -EINVAL (no func), -EBUSY (ftrace disabled, or a second
 * IPMODIFY user on a function), -EEXIST (already registered), -ENOMEM or
 * a patching error; on error nothing changed. Takes ftrace_lock; sleeps.
 */
int register_ftrace_function(struct ftrace_ops *ops)
{
	struct ops_array *arr;
	ftrace_func_t func;
	int err = -EBUSY;

	if (!ops->func)
		return -EINVAL;
	mutex_lock(&ftrace_lock);
	if (ftrace_disabled)
		goto out;
	err = -EEXIST;
	if (ops->flags & FTRACE_OPS_FL_ENABLED)
		goto out;
	err = -EBUSY;
	if (ipmodify_conflict(ops))
		goto out;
	err = -ENOMEM;
	func = (ops->flags & FTRACE_OPS_FL_RECURSION) ? ftrace_ops_recursion_func : ops->func;
	ops->trampoline = arch_ftrace_create_trampoline(ops, func,
							ops->flags & FTRACE_OPS_FL_SAVE_REGS);
	arr = ops->trampoline ? ops_array_edit(live_ops, ops, NULL) : NULL;
	if (!arr)
		goto err_tramp;
	ops->flags |= FTRACE_OPS_FL_ENABLED;
	err = switch_ops(arr);
	if (err) {
		ops->flags &= ~FTRACE_OPS_FL_ENABLED;
		goto err_tramp;
	}
	mutex_unlock(&ftrace_lock);
	return 0;
err_tramp:
	arch_ftrace_free_trampoline(ops->trampoline);
	ops->trampoline = NULL;
out:
	mutex_unlock(&ftrace_lock);
	return err;
}

/*
 * Stop calling @ops: drop it from live_ops, re-patch the sites and wait a
 * grace period, so on return no CPU enters @ops->func through ftrace.
 * Returns 0, -EINVAL if @ops was not registered, -ENOMEM or a patching
 * error (then @ops stays registered). Takes ftrace_lock; sleeps.
 */
int unregister_ftrace_function(struct ftrace_ops *ops)
{
	struct ops_array *arr;
	int err = -EINVAL;

	mutex_lock(&ftrace_lock);
	if (!(ops->flags & FTRACE_OPS_FL_ENABLED))
		goto out;
	err = -ENOMEM;
	arr = ops_array_edit(live_ops, NULL, ops);
	if (!arr)
		goto out;
	err = switch_ops(arr);		/* waits a grace period */
	if (err)
		goto out;
	/* No site calls the trampoline; the arch frees it once no task is
	 * inside it any more. */
	ops->flags &= ~FTRACE_OPS_FL_ENABLED;
	arch_ftrace_free_trampoline(ops->trampoline);
	ops->trampoline = NULL;
out:
	mutex_unlock(&ftrace_lock);
	return err;
}

/*
 * Fill @info with what the site of record @i calls and for whom (the
 * enabled_functions listing); all zero past the end. Reads live_ops under
 * RCU and the target without ftrace_lock: a snapshot, possibly stale.
 */
void ftrace_site_info(unsigned i, struct ftrace_site_info *info)
{
	struct ops_array *arr;
	unsigned j;

	memset(info, 0, sizeof(*info));
	if (i >= nr_recs)
		return;
	rcu_read_lock();
	arr = rcu_dereference(live_ops);
	for (j = 0; arr && j < arr->n; j++) {
		if (!ftrace_ops_test(arr->ops[j], recs[i].ip))
			continue;
		if (info->nr_ops < FTRACE_SITE_FUNCS)
			info->funcs[info->nr_ops] = arr->ops[j]->func;
		info->nr_ops++;
		info->func = arr->ops[j]->func;
		info->regs |= arr->ops[j]->flags & FTRACE_OPS_FL_SAVE_REGS;
		info->ipmodify |= arr->ops[j]->flags & FTRACE_OPS_FL_IPMODIFY;
	}
	rcu_read_unlock();
	info->target = recs[i].target;
	info->touched = recs[i].touched;
}

unsigned ftrace_rec_pages(void)
{
	return (unsigned)((nr_recs * sizeof(struct dyn_ftrace) + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* ftrace_site_info() by site address; false if @ip is not a site. */
bool ftrace_site_info_at(unsigned long ip, struct ftrace_site_info *info)
{
	long i = rec_index(ip);

	if (i < 0)
		return false;
	ftrace_site_info((unsigned)i, info);
	return true;
}

/* ---- boot ---- */

/* Check every site; report the first bad one. Returns how many are bad. */
static unsigned check_sites(void)
{
	unsigned i, bad = 0;

	for (i = 0; i < nr_recs; i++) {
		if (arch_ftrace_site_ok(recs[i].ip))
			continue;
		if (!bad++) {
			const u8 *b = (const u8 *)recs[i].ip;

			pr_err("ftrace: site %pS (%#lx) holds %02x %02x %02x %02x %02x, "
			       "not `call __fentry__`\n", (void *)recs[i].ip, recs[i].ip,
			       b[0], b[1], b[2], b[3], b[4]);
		}
	}
	return bad;
}

/*
 * Build the record table from the linker's __mcount_loc list: sorted, with
 * duplicates dropped, every site still calling __fentry__ as compiled.
 * Returns 0 or -ENOMEM. Boot only.
 */
static int load_records(void)
{
	unsigned long n = __stop_mcount_loc - __start_mcount_loc, i;

	rec_ips = kcalloc(n + 1, sizeof(*rec_ips));
	recs = kcalloc(n + 1, sizeof(*recs));
	if (!rec_ips || !recs)
		return -ENOMEM;
	memcpy(rec_ips, __start_mcount_loc, n * sizeof(*rec_ips));
	sort_ulong(rec_ips, n);
	nr_recs = uniq_ulong(rec_ips, n);
	for (i = 0; i < nr_recs; i++) {
		recs[i].ip = rec_ips[i];
		recs[i].target = (unsigned long)__fentry__;	/* as gcc left it */
	}
	return 0;
}

/*
 * Boot: load the records, check that each site really holds the call gcc
 * emitted, and turn them all into NOPs. If any step fails ftrace stays
 * disabled and no byte of text has changed. Single-threaded boot context.
 */
void ftrace_init(void)
{
	u64 t0 = clock_ns();
	unsigned bad;
	int err;

	if (load_records()) {
		pr_err("ftrace: out of memory; ftrace disabled\n");
		return;
	}
	bad = check_sites();
	if (bad) {
		pr_err("ftrace: %u of %u sites unexpected; ftrace disabled, no site patched\n",
		       bad, nr_recs);
		return;
	}
	mutex_lock(&ftrace_lock);
	err = ftrace_update_sites();	/* no ops: everything to NOP */
	mutex_unlock(&ftrace_lock);
	if (err) {
		pr_err("ftrace: patching failed (%d); ftrace disabled\n", err);
		return;
	}
	ftrace_disabled = false;
	ftrace_boot_nop_ns = clock_ns() - t0;
	pr_info("ftrace: %u fentry sites turned into NOPs in %llu us\n", nr_recs,
		(unsigned long long)(ftrace_boot_nop_ns / NSEC_PER_USEC));
}
