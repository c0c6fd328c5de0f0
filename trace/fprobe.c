// SPDX-License-Identifier: MIT
/*
 * fprobe: entry and exit handlers on many functions through one ftrace_ops
 * and one rethook (see trace/fprobe.h for the API).
 *
 * Entry. The ops' callback (fprobe_handler) runs at the fentry site of
 * every probed function. Without an exit handler it only calls the entry
 * handler. With one it takes a node from the rethook's pool - allocated
 * whole at registration, so the hit path never allocates and never
 * waits - lets the entry handler fill the node's per-call data, and hooks
 * the return. No free node: the call is counted in nmissed and neither
 * handler runs for it, so entries and exits stay paired.
 *
 * Exit. rethook's trampoline calls fprobe_exit() with the node, which
 * holds the function's address, the entry_data and (rethook's own part,
 * with FPROBE_FL_ENTRY_ARGS) the argument registers at entry:
 * fprobe_entry_arg() finds them from the entry_data pointer alone.
 *
 * Both paths take the probe guard that kprobes share (probe_guard.h): a
 * probed function called from inside any probe's handler - this one's,
 * another fprobe's, a kprobe's - is counted missed instead of running a
 * handler inside a handler. So every fprobe behaves as Linux's
 * FPROBE_FL_KPROBE_SHARED ones do; the flag is kept, and changes nothing.
 *
 * Registration builds everything before anything goes live - the filter,
 * the node pool, and only then the ftrace_ops, whose registration patches
 * the sites in one batch - and a failure at any step undoes the earlier
 * ones, so a failed register_fprobe*() leaves no site patched and no
 * memory held (the pool goes through rethook_free(), a grace period late).
 * This file is built notrace; the hit path is NOKPROBE.
 */
#include <trace/fprobe.h>
#include <trace/probe_guard.h>
#include <trace/rethook.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <kernel/smp.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/sort.h>
#include <lib/string.h>

/*
 * One call in flight: rethook's node (return address, frame, entry
 * arguments), the probed function, then entry_data_size bytes of the
 * user's per-call data.
 */
struct fprobe_rethook_node {
	struct rethook_node node;	/* first: rethook frees nodes by address */
	unsigned long entry_ip;
	unsigned long data[];		/* entry_data: 8-byte aligned */
};

/* ------------------------------------------------------------ hit path */

/*
 * Both sides start here: nothing if @fp is disabled; else the probe guard
 * (trace/probe_guard.h), held with kprobe_busy, or a miss counted if a
 * probe handler - this fprobe's, another's, a kprobe's - already runs on
 * this CPU. Returns true if the handler may run; the caller then releases
 * the guard.
 */
static __always_inline bool fprobe_guard_try(struct fprobe *fp)
{
	if (unlikely(fprobe_disabled(fp)))
		return false;
	if (unlikely(!probe_guard_try(&kprobe_busy))) {
		fp->nmissed++;
		return false;
	}
	return true;
}

/* Run the entry side of @fp for one call; the guard is held. */
static __always_inline void fprobe_entry(struct fprobe *fp, unsigned long ip,
					 unsigned long parent_ip, struct pt_regs *regs)
{
	struct fprobe_rethook_node *fpr;
	struct rethook_node *node;

	if (!fp->exit_handler) {
		fp->entry_handler(fp, ip, parent_ip, regs, NULL);
		return;
	}
	node = rethook_try_get(fp->rethook);
	if (unlikely(!node)) {
		fp->nmissed++;		/* pool empty: never wait, never allocate */
		return;
	}
	fpr = container_of(node, struct fprobe_rethook_node, node);
	fpr->entry_ip = ip;
	if (fp->entry_handler &&
	    fp->entry_handler(fp, ip, parent_ip, regs, fp->entry_data_size ? fpr->data : NULL)) {
		rethook_recycle(node);	/* the entry handler declined the exit */
		return;
	}
	rethook_hook(node, regs, true);
}

/* The ftrace callback: every call of every probed function comes here. */
static void fprobe_handler(unsigned long ip, unsigned long parent_ip, struct ftrace_ops *ops,
			   struct pt_regs *regs)
{
	struct fprobe *fp = container_of(ops, struct fprobe, ops);

	if (!fprobe_guard_try(fp))
		return;
	fprobe_entry(fp, ip, parent_ip, regs);
	probe_guard_release();
}
NOKPROBE_SYMBOL(fprobe_handler);

/* rethook's handler: a probed function returns. */
static void fprobe_exit(struct rethook_node *node, void *data, unsigned long ret_ip,
			struct pt_regs *regs)
{
	struct fprobe_rethook_node *fpr = container_of(node, struct fprobe_rethook_node, node);
	struct fprobe *fp = data;

	if (!fprobe_guard_try(fp))
		return;
	fp->exit_handler(fp, fpr->entry_ip, ret_ip, regs, fpr->data);
	probe_guard_release();
}
NOKPROBE_SYMBOL(fprobe_exit);

unsigned long fprobe_entry_arg(const void *entry_data, unsigned n)
{
	const struct fprobe_rethook_node *fpr =
		container_of(entry_data, struct fprobe_rethook_node, data);

	return rethook_entry_arg(&fpr->node, n);
}
NOKPROBE_SYMBOL(fprobe_entry_arg);

/* ------------------------------------------------------ the function set */

/* Iterate over the functions @fp probes, in address order: the filter's
 * sites less the notrace set. *@pos starts at 0. No lock: call it on a
 * registered fprobe whose sets nobody is changing. */
bool fprobe_next_function(const struct fprobe *fp, unsigned *pos, unsigned long *ip)
{
	const struct ftrace_hash *h = fp->ops.filter_hash;

	/* A NULL filter would mean "every function" to ftrace; an fprobe
	 * never registers with one, and an unregistered one probes nothing. */
	for (; h && *pos < h->count; (*pos)++) {
		if (ftrace_ops_test(&fp->ops, h->ips[*pos])) {
			*ip = h->ips[(*pos)++];
			return true;
		}
	}
	return false;
}

/* How many functions @fp probes (sizes the exit pool; bench shows it). */
unsigned fprobe_nr_functions(const struct fprobe *fp)
{
	unsigned pos = 0, n = 0;
	unsigned long ip;

	while (fprobe_next_function(fp, &pos, &ip))
		n++;
	return n;
}

typedef int (*fprobe_set_fn)(struct ftrace_ops *ops, const char *glob, bool reset);

/*
 * Apply each blank-separated glob of @globs with @set; the first one
 * resets the set. A filter glob that matches nothing fails with -ENOENT;
 * a notfilter glob that matches nothing is no error (nothing to leave
 * out). Returns -EINVAL if @globs holds no glob at all.
 */
static int fprobe_set_globs(struct ftrace_ops *ops, const char *globs, fprobe_set_fn set,
			    bool must_match)
{
	size_t len = strlen(globs) + 1;
	char *buf = kmalloc(len), *p, *word;
	unsigned n = 0;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, globs, len);
	p = buf;
	while (!err && (word = strsep(&p, " \t\n"))) {
		if (!*word)
			continue;
		err = set(ops, word, n++ == 0);
		if (err == -EINVAL)
			err = must_match ? -ENOENT : 0;
	}
	kfree(buf);
	return !err && !n ? -EINVAL : err;
}

/*
 * Resolve @num names to fentry sites, into @addrs: sorted first (in a
 * copy; the caller's array is left alone), each looked up in kallsyms and
 * checked against the fentry records. Returns 0, -EINVAL (a NULL name),
 * -ENOENT (unknown or untraceable) or -ENOMEM.
 */
static int fprobe_resolve_syms(const char **syms, int num, unsigned long *addrs)
{
	const char **sorted = kcalloc(num, sizeof(*sorted));
	int i, err = 0;

	if (!sorted)
		return -ENOMEM;
	for (i = 0; i < num && !err; i++)
		err = syms[i] ? 0 : -EINVAL;
	if (err)
		goto out;
	memcpy(sorted, syms, num * sizeof(*sorted));
	sort_strings(sorted, num);
	for (i = 0; i < num; i++) {
		struct ksym sym;

		if (!kallsyms_lookup_name(sorted[i], &sym) || !ksym_is_text(&sym) ||
		    ftrace_location(sym.addr) != sym.addr) {
			err = -ENOENT;
			break;
		}
		addrs[i] = sym.addr;
	}
out:
	kfree(sorted);
	return err;
}

/* --------------------------------------------------------- registration */

/* Check @fp and give it a fresh, empty ops. */
static int fprobe_init(struct fprobe *fp)
{
	if (!fp || (!fp->entry_handler && !fp->exit_handler) || fp->nr_maxactive < 0)
		return -EINVAL;
	if (fprobe_is_registered(fp))
		return -EEXIST;
	fp->nmissed = 0;
	fp->rethook = NULL;
	fp->ops = (struct ftrace_ops){
		.func = fprobe_handler,
		/* Full pt_regs: handlers (and probe events' fetch-args) may read
		 * any register, not only the arguments. */
		.flags = FTRACE_OPS_FL_SAVE_REGS,
	};
	return 0;
}

/*
 * The exit side: a rethook and its whole pool, nr_maxactive nodes or
 * functions x CPUs x 2 (every CPU may be inside every function, with an
 * interrupt nesting once). Loupe's CPUs are all brought up at boot, never
 * hot-plugged, so the online CPUs are the possible ones. On failure the
 * caller frees fp->rethook with the nodes added so far.
 */
static int fprobe_alloc_rethook(struct fprobe *fp, unsigned nr_funcs)
{
	size_t size = sizeof(struct fprobe_rethook_node) + ALIGN(fp->entry_data_size, 8);
	unsigned long i, n;

	if (!fp->exit_handler)
		return 0;
	n = fp->nr_maxactive ? (unsigned long)fp->nr_maxactive
			     : (unsigned long)nr_funcs * nr_cpus_present * 2;	/* possible CPUs */
	if (size < fp->entry_data_size)
		return -ENOMEM;				/* overflowed */
	fp->rethook = rethook_alloc(fp, fprobe_exit);
	if (!fp->rethook)
		return -ENOMEM;
	rethook_keep_entry_args(fp->rethook, fp->flags & FPROBE_FL_ENTRY_ARGS);
	if (fp->name)
		rethook_set_name(fp->rethook, "fprobe %s", fp->name);
	else
		rethook_set_name(fp->rethook, "fprobe");
	for (i = 0; i < n; i++) {
		struct fprobe_rethook_node *fpr = kzalloc(size);

		if (!fpr)
			return -ENOMEM;
		rethook_add_node(fp->rethook, &fpr->node);
	}
	return 0;
}

/* The filter is set: allocate the exit side and go live, or undo it all. */
static int fprobe_start(struct fprobe *fp)
{
	unsigned n = fprobe_nr_functions(fp);
	int err = -ENOENT;

	if (!n)
		goto err_filter;
	err = fprobe_alloc_rethook(fp, n);
	if (err)
		goto err_rethook;
	err = register_ftrace_function(&fp->ops);
	if (err)
		goto err_rethook;
	return 0;
err_rethook:
	if (fp->rethook) {
		/* Never live: the nodes are all in the pool, freed with it. */
		rethook_free(fp->rethook);
		fp->rethook = NULL;
	}
err_filter:
	ftrace_free_filter(&fp->ops);
	return err;
}

/*
 * Probe every function @filter's globs name, less @notfilter's. Returns
 * 0, -EINVAL (no handler, no glob), -EEXIST, -ENOENT (a filter glob
 * named nothing), -ENOMEM or ftrace's error; on error @fp holds nothing.
 * Process context; sleeps (patching, allocation).
 */
int register_fprobe(struct fprobe *fp, const char *filter, const char *notfilter)
{
	int err;

	if (!filter)
		return -EINVAL;
	err = fprobe_init(fp);
	if (err)
		return err;
	err = fprobe_set_globs(&fp->ops, filter, ftrace_set_filter, true);
	if (!err && notfilter) {
		err = fprobe_set_globs(&fp->ops, notfilter, ftrace_set_notrace, false);
		if (err == -EINVAL)
			err = 0;		/* a notfilter of blanks only */
	}
	if (err) {
		ftrace_free_filter(&fp->ops);
		return err;
	}
	return fprobe_start(fp);
}

/* As register_fprobe(), for @num fentry-site addresses (-ENOENT if one
 * is not a site). */
int register_fprobe_ips(struct fprobe *fp, unsigned long *addrs, int num)
{
	int err;

	if (!addrs || num <= 0)
		return -EINVAL;
	err = fprobe_init(fp);
	if (err)
		return err;
	err = ftrace_set_filter_ips(&fp->ops, addrs, num, true);
	if (err) {
		ftrace_free_filter(&fp->ops);
		return err;
	}
	return fprobe_start(fp);
}

/* As register_fprobe(), for @num exact function names (no globs), each
 * resolved through kallsyms. */
int register_fprobe_syms(struct fprobe *fp, const char **syms, int num)
{
	unsigned long *addrs;
	int err;

	if (!fp || !syms || num <= 0)
		return -EINVAL;
	if (fprobe_is_registered(fp))
		return -EEXIST;
	addrs = kcalloc(num, sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	err = fprobe_resolve_syms(syms, num, addrs);
	if (!err)
		err = register_fprobe_ips(fp, addrs, num);
	kfree(addrs);
	return err;
}

/*
 * Stop @fp: no entry handler runs once ftrace lets go, and after the
 * grace period no exit handler either, so the caller may free @fp.
 * Returns 0, -EINVAL (not registered) or ftrace's error (then @fp stays
 * registered). Sleeps.
 */
int unregister_fprobe(struct fprobe *fp)
{
	int err;

	if (!fp || !fprobe_is_registered(fp))
		return -EINVAL;
	err = unregister_ftrace_function(&fp->ops);	/* waits: no entry runs now */
	if (err)
		return err;
	if (fp->rethook) {
		/* Returns still pending on stacks find no handler from here on
		 * and give their nodes back for freeing; wait for an exit
		 * handler that is running now. */
		rethook_free(fp->rethook);
		fp->rethook = NULL;
		synchronize_rcu();
	}
	ftrace_free_filter(&fp->ops);
	return 0;
}
