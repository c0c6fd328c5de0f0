// SPDX-License-Identifier: MIT
/*
 * ftrace's function sets: an ops' filter and notrace sets, chosen by glob,
 * by name or by address, and the test the list trampoline makes on every
 * call. Sets are immutable once published (see ftrace.h): every change
 * builds a new sorted array, publishes it, waits a grace period, and frees
 * the old one.
 */
#include <trace/ftrace_internal.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/nokprobe.h>
#include <kernel/rcu.h>
#include <lib/bsearch.h>
#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/glob.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/sort.h>
#include <lib/string.h>

/*
 * Binary search in a sorted array of site addresses. This and the two
 * tests below run on every call through the list trampoline, so they are
 * __kprobes: a probe on them would fire from inside ftrace itself.
 */
static __kprobes bool sorted_contains(const unsigned long *ips, unsigned n, unsigned long ip)
{
	long i = bsearch_floor_u64((const u64 *)ips, n, ip);

	return i >= 0 && ips[i] == ip;
}
/* lib's search, on every traced call through the list trampoline. */
NOKPROBE_SYMBOL(bsearch_floor_u64);

/* Is @ip in @h (NULL: the empty set)? Any context, no locks. */
__kprobes bool ftrace_hash_contains(const struct ftrace_hash *h, unsigned long ip)
{
	return h && sorted_contains(h->ips, h->count, ip);
}

/* Called for every traced call on the list path: no locks, no sleeping. */
__kprobes bool ftrace_ops_test(const struct ftrace_ops *ops, unsigned long ip)
{
	const struct ftrace_hash *only = rcu_dereference(ops->filter_hash);
	const struct ftrace_hash *never = rcu_dereference(ops->notrace_hash);

	if (only && !ftrace_hash_contains(only, ip))
		return false;
	return !ftrace_hash_contains(never, ip);
}

/* Which traceable functions does @pattern name? Fills @out in site order
 * (sorted); returns how many. */
static unsigned match_records(const char *pattern, unsigned long *out)
{
	unsigned long ip;
	unsigned long long addr;
	unsigned i, n = 0;

	if (isdigit((unsigned char)pattern[0])) {
		if (kstrtoull(pattern, 0, &addr))
			return 0;
		ip = ftrace_location(addr);
		if (ip)
			out[n++] = ip;
		return n;
	}
	for (i = 0; ftrace_rec_ip(i, &ip); i++) {
		struct ksym sym;

		if (kallsyms_lookup_addr(ip, &sym, NULL) && glob_match(pattern, sym.name))
			out[n++] = ip;
	}
	return n;
}

/*
 * Build the new set: @old (unless @reset) plus, or with a leading '!'
 * minus, what @pattern names. An empty @pattern names nothing (used with
 * @reset to clear). Returns 0 and the set (NULL: empty) in @out, -EINVAL
 * if a non-empty pattern named nothing - or, with @strict_remove, if a
 * '!' pattern removed nothing (set_graph_function's rule) - or -ENOMEM.
 */
static int build_set(const struct ftrace_hash *old, const char *pattern, bool reset,
		     bool strict_remove, struct ftrace_hash **out)
{
	bool remove = pattern[0] == '!';
	unsigned keep = (reset || !old) ? 0 : old->count, nmatch = 0, i, n = 0;
	unsigned long *match = NULL;
	struct ftrace_hash *h;

	if (pattern[remove]) {
		match = kcalloc(ftrace_rec_count() + 1, sizeof(*match));
		if (!match)
			return -ENOMEM;
		nmatch = match_records(pattern + remove, match);
		if (!nmatch) {
			kfree(match);
			return -EINVAL;
		}
	}
	h = kmalloc(sizeof(*h) + (keep + nmatch) * sizeof(h->ips[0]));
	if (!h) {
		kfree(match);
		return -ENOMEM;
	}
	for (i = 0; i < keep; i++)
		if (!remove || !sorted_contains(match, nmatch, old->ips[i]))
			h->ips[n++] = old->ips[i];
	for (i = 0; i < nmatch && !remove; i++)
		h->ips[n++] = match[i];
	kfree(match);
	if (remove && strict_remove && n == keep) {
		kfree(h);
		return -EINVAL;
	}
	sort_ulong(h->ips, n);
	h->count = uniq_ulong(h->ips, n);
	if (!h->count) {
		kfree(h);
		h = NULL;
	}
	*out = h;
	return 0;
}

/* Publish @h as *@slot, re-patch if @ops is live, free the old set. */
static int replace_set(struct ftrace_ops *ops, struct ftrace_hash **slot, struct ftrace_hash *h)
{
	struct ftrace_hash *old = *slot;
	int err = 0;

	rcu_assign_pointer(*slot, h);
	if (ops->flags & FTRACE_OPS_FL_ENABLED) {
		err = ftrace_update_sites();
		if (err) {			/* put the old set back */
			rcu_assign_pointer(*slot, old);
			ftrace_update_sites();
			old = h;
		}
	}
	synchronize_rcu();
	kfree(old);
	return err;
}

/*
 * Apply one pattern to the set *@slot of @ops (its filter or notrace
 * set) and publish the result. Returns 0, -EINVAL (the pattern named
 * nothing), -ENOMEM or a patching error; on error the set is as it was.
 * Takes ftrace_lock; sleeps.
 */
static int set_filter(struct ftrace_ops *ops, struct ftrace_hash **slot, const char *buf,
		      bool reset)
{
	struct ftrace_hash *h;
	int err;

	mutex_lock(&ftrace_lock);
	err = build_set(*slot, buf, reset, false, &h);
	if (!err)
		err = replace_set(ops, slot, h);
	mutex_unlock(&ftrace_lock);
	return err;
}

/* One pattern into @ops's filter (the functions it wants) or notrace
 * set (the ones it never wants); @reset first empties the set. */
int ftrace_set_filter(struct ftrace_ops *ops, const char *buf, bool reset)
{
	return set_filter(ops, &ops->filter_hash, buf, reset);
}

int ftrace_set_notrace(struct ftrace_ops *ops, const char *buf, bool reset)
{
	return set_filter(ops, &ops->notrace_hash, buf, reset);
}

/*
 * Each blank-separated pattern of @list in turn, building on a private
 * copy of @from: a pattern that matches nothing (or no memory) fails the
 * whole list, however many came before it. Returns 0 and the new set in
 * @out (NULL: empty), or -errno. *@named says whether @list had a pattern.
 */
static int build_set_list(const struct ftrace_hash *from, const char *list, bool reset,
			  bool strict_remove, struct ftrace_hash **out, bool *named)
{
	size_t len = strlen(list);
	char *copy = kmalloc(len + 1), *rest = copy, *word;
	struct ftrace_hash *built = NULL, *next;
	bool first = true;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, list, len + 1);
	if (reset)
		from = NULL;
	while (!err && (word = strsep(&rest, " \t\n"))) {
		if (!*word)
			continue;
		err = build_set(from, word, false, strict_remove, &next);
		kfree(built);		/* the step before: never published */
		built = err ? NULL : next;
		from = built;
		first = false;
	}
	kfree(copy);
	if (err)
		return err;
	if (first && from) {		/* nothing named: a copy of what was */
		built = kmalloc(sizeof(*built) + from->count * sizeof(built->ips[0]));
		if (!built)
			return -ENOMEM;
		memcpy(built, from, sizeof(*built) + from->count * sizeof(built->ips[0]));
	}
	*out = built;
	*named = !first;
	return 0;
}

/* ftrace_set_filter_list()'s parsing for a set that belongs to no ops
 * (set_graph_function): the caller publishes the result itself. */
int ftrace_hash_edit(const struct ftrace_hash *old, const char *list, bool reset,
		     bool strict_remove, struct ftrace_hash **out)
{
	bool named;

	return build_set_list(old, list, reset, strict_remove, out, &named);
}

/* One publish of what @list makes of *@slot; nothing named, no reset: no change. */
static int set_filter_list(struct ftrace_ops *ops, struct ftrace_hash **slot, const char *list,
			   bool reset)
{
	struct ftrace_hash *built;
	bool named;
	int err;

	mutex_lock(&ftrace_lock);
	err = build_set_list(*slot, list, reset, false, &built, &named);
	if (!err && (named || reset))
		err = replace_set(ops, slot, built);
	else if (!err)
		kfree(built);
	mutex_unlock(&ftrace_lock);
	return err;
}

/* A blank-separated list of patterns (a set_ftrace_filter write), all
 * or nothing; see set_filter_list(). Takes ftrace_lock; sleeps. */
int ftrace_set_filter_list(struct ftrace_ops *ops, const char *list, bool reset)
{
	return set_filter_list(ops, &ops->filter_hash, list, reset);
}

int ftrace_set_notrace_list(struct ftrace_ops *ops, const char *list, bool reset)
{
	return set_filter_list(ops, &ops->notrace_hash, list, reset);
}

/*
 * Add (or with @remove take out) the one function whose fentry site is
 * @ip, as kprobes on a site do. Returns 0, -ENOENT if @ip is not a site,
 * or set_filter()'s errors. Takes ftrace_lock; sleeps.
 */
int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, bool remove, bool reset)
{
	char buf[24];

	if (!ftrace_location(ip) || ftrace_location(ip) != ip)
		return -ENOENT;
	buf[0] = '!';
	snprintf(buf + 1, sizeof(buf) - 1, "%#lx", ip);
	return set_filter(ops, &ops->filter_hash, remove ? buf : buf + 1, reset);
}

/* A new set: @old (unless @reset) plus @ips. Returns NULL without memory. */
static struct ftrace_hash *set_with_ips(const struct ftrace_hash *old, const unsigned long *ips,
					unsigned n, bool reset)
{
	unsigned keep = (reset || !old) ? 0 : old->count;
	struct ftrace_hash *h = kmalloc(sizeof(*h) + (keep + n) * sizeof(h->ips[0]));

	if (!h)
		return NULL;
	if (keep)
		memcpy(h->ips, old->ips, keep * sizeof(h->ips[0]));
	memcpy(h->ips + keep, ips, n * sizeof(h->ips[0]));
	sort_ulong(h->ips, keep + n);
	h->count = uniq_ulong(h->ips, keep + n);
	return h;
}

/* Many sites in one publish, one grace period (fprobes on many
 * functions). Takes ftrace_lock; sleeps. */
int ftrace_set_filter_ips(struct ftrace_ops *ops, const unsigned long *ips, unsigned n,
			  bool reset)
{
	struct ftrace_hash *h;
	unsigned i;
	int err;

	if (!n)
		return -EINVAL;		/* an empty filter would mean every function */
	for (i = 0; i < n; i++)
		if (ftrace_location(ips[i]) != ips[i])
			return -ENOENT;
	mutex_lock(&ftrace_lock);
	h = set_with_ips(ops->filter_hash, ips, n, reset);
	err = h ? replace_set(ops, &ops->filter_hash, h) : -ENOMEM;
	mutex_unlock(&ftrace_lock);
	return err;
}

/* Free @ops's two sets. Only after unregister_ftrace_function(), when
 * no CPU can be reading them. */
void ftrace_free_filter(struct ftrace_ops *ops)
{
	kfree(ops->filter_hash);
	kfree(ops->notrace_hash);
	ops->filter_hash = ops->notrace_hash = NULL;
}
