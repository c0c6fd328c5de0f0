// SPDX-License-Identifier: MIT
/*
 * Self-tests of the probe guard (trace/probe_guard.h): a probe hit inside
 * any probe's handler is counted missed and runs no handler, whichever
 * way the outer handler was entered and whichever kind the inner probe is.
 *
 * Each case puts an "outer" probe on rec_outer() whose handler calls
 * rec_inner(), and an "inner" probe on rec_inner(). Outer kinds: an int3
 * kprobe's pre_handler and post_handler, a kprobe on the fentry site
 * (ftrace), a jump-optimized kprobe, a kretprobe's entry and return
 * handlers, an fprobe's entry and exit handlers. Inner kinds: a
 * kretprobe, an int3 kprobe, an fprobe with both handlers. After N calls
 * of rec_outer() the outer handler ran N times, the nested rec_inner()
 * returned its value each time, the inner probe ran no handler and
 * counted N misses - one per nested call: a kretprobe's or fprobe's
 * missed entry hooks no return, so its return is neither run nor counted
 * again - and a call of rec_inner() from outside any handler still runs
 * the inner handlers once.
 *
 * Also: kprobe_running() in each kind of handler; a hooked return that
 * comes back while the guard is taken is missed, not run; and
 * register_kretprobe() refuses an address off a function's entry before
 * it arms anything.
 */
#include "leak_check.h"
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/preempt.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/sched.h>
#include <trace/fprobe.h>
#include <trace/kprobes.h>
#include <trace/probe_guard.h>
#include <asm/insn.h>
#include <asm/ptrace.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

#define REC_CALLS	3

noinline int rec_outer(int x)
{
	barrier();
	return x * 3 + 1;
}

noinline int rec_inner(int x)
{
	barrier();
	return x + 1;
}

/*
 * The offset of push %rbp in both functions: the first instruction after
 * the 5-byte fentry site, a plain one, so an int3 probe there is boosted
 * (or single-stepped with a post_handler) and can be jump-optimized.
 */
#define REC_MID		5

/* ---- what the handlers saw ---- */

static struct {
	unsigned long outer;		/* outer handler runs */
	unsigned long nested_bad;	/* nested rec_inner() with a wrong result */
	unsigned long inner_entries;	/* inner entry-side handler runs */
	unsigned long inner_returns;	/* inner return-side handler runs */
	struct kprobe *running;		/* kprobe_running() in the last handler */
} rec;

static void outer_body(void)
{
	rec.outer++;
	rec.running = kprobe_running();
	if (rec_inner(41) != 42)
		rec.nested_bad++;
}

/* ---- the probe kinds, as outer or inner ---- */

struct rec_probe {
	struct kprobe kp;
	struct kretprobe rp;
	struct fprobe fp;
};

static struct rec_probe outer_probe, inner_probe;

static int outer_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p; (void)regs;
	outer_body();
	return 0;
}

static void outer_kp_post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
	(void)p; (void)regs; (void)flags;
	outer_body();
}

static int outer_krp(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri; (void)regs;
	outer_body();
	return 0;
}

static int outer_fp_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			  struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	outer_body();
	return 0;
}

static void outer_fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			  struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	outer_body();
}

static int inner_kp_pre(struct kprobe *p, struct pt_regs *regs)
{
	(void)p; (void)regs;
	rec.inner_entries++;
	return 0;
}

static int inner_krp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri; (void)regs;
	rec.inner_entries++;
	return 0;
}

static int inner_krp_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	(void)ri; (void)regs;
	rec.inner_returns++;
	return 0;
}

static int inner_fp_entry(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			  struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	rec.inner_entries++;
	return 0;
}

static void inner_fp_exit(struct fprobe *fp, unsigned long ip, unsigned long ret_ip,
			  struct pt_regs *regs, void *data)
{
	(void)fp; (void)ip; (void)ret_ip; (void)regs; (void)data;
	rec.inner_returns++;
}

/* ---- outer kinds ---- */

enum outer_kind {
	OUTER_INT3_PRE, OUTER_INT3_POST, OUTER_FTRACE, OUTER_OPTIMIZED,
	OUTER_KRETPROBE_ENTRY, OUTER_KRETPROBE_RETURN, OUTER_FPROBE_ENTRY, OUTER_FPROBE_EXIT,
};

static const char *const outer_names[] = {
	"int3 pre_handler", "int3 post_handler", "ftrace kprobe", "optimized kprobe",
	"kretprobe entry", "kretprobe return", "fprobe entry", "fprobe exit",
};

/* Jump optimization: forced on (synchronous) for the optimized kind, off
 * for the others so that an int3 probe stays an int3 probe. */
static void set_optimization(enum outer_kind kind)
{
	bool on = kind == OUTER_OPTIMIZED;

	kprobes_set_optimization(on);
	kprobes_set_optimize_sync(on);
}

static int register_outer(enum outer_kind kind)
{
	struct rec_probe *o = &outer_probe;

	memset(o, 0, sizeof(*o));
	switch (kind) {
	case OUTER_INT3_PRE:
	case OUTER_OPTIMIZED:
		o->kp = (struct kprobe){ .addr = (unsigned long)rec_outer + REC_MID,
					 .pre_handler = outer_kp_pre };
		return register_kprobe(&o->kp);
	case OUTER_INT3_POST:
		o->kp = (struct kprobe){ .addr = (unsigned long)rec_outer + REC_MID,
					 .post_handler = outer_kp_post };
		return register_kprobe(&o->kp);
	case OUTER_FTRACE:
		o->kp = (struct kprobe){ .symbol_name = "rec_outer", .pre_handler = outer_kp_pre };
		return register_kprobe(&o->kp);
	case OUTER_KRETPROBE_ENTRY:
		o->rp = (struct kretprobe){ .kp.symbol_name = "rec_outer",
					    .entry_handler = outer_krp };
		return register_kretprobe(&o->rp);
	case OUTER_KRETPROBE_RETURN:
		o->rp = (struct kretprobe){ .kp.symbol_name = "rec_outer", .handler = outer_krp };
		return register_kretprobe(&o->rp);
	case OUTER_FPROBE_ENTRY:
		o->fp = (struct fprobe){ .entry_handler = outer_fp_entry };
		return register_fprobe(&o->fp, "rec_outer", NULL);
	case OUTER_FPROBE_EXIT:
		o->fp = (struct fprobe){ .exit_handler = outer_fp_exit };
		return register_fprobe(&o->fp, "rec_outer", NULL);
	}
	return -EINVAL;
}

/* Is the outer probe taking the path its kind names? */
static bool outer_on_its_path(enum outer_kind kind)
{
	unsigned long want;

	switch (kind) {
	case OUTER_INT3_PRE:	want = KPROBE_FLAG_BOOSTED; break;
	case OUTER_INT3_POST:	want = 0; break;
	case OUTER_FTRACE:	want = KPROBE_FLAG_FTRACE; break;
	case OUTER_OPTIMIZED:	want = KPROBE_FLAG_OPTIMIZED; break;
	default:		return true;
	}
	return kprobe_state(&outer_probe.kp) == want;
}

static void unregister_outer(enum outer_kind kind)
{
	switch (kind) {
	case OUTER_KRETPROBE_ENTRY:
	case OUTER_KRETPROBE_RETURN:
		unregister_kretprobe(&outer_probe.rp);
		break;
	case OUTER_FPROBE_ENTRY:
	case OUTER_FPROBE_EXIT:
		unregister_fprobe(&outer_probe.fp);
		break;
	default:
		unregister_kprobe(&outer_probe.kp);
	}
}

/* ---- inner kinds ---- */

enum inner_kind { INNER_KRETPROBE, INNER_INT3, INNER_FPROBE, INNER_KINDS };

static const char *const inner_names[] = { "kretprobe", "int3 kprobe", "fprobe" };

static int register_inner(enum inner_kind kind)
{
	struct rec_probe *i = &inner_probe;

	memset(i, 0, sizeof(*i));
	switch (kind) {
	case INNER_KRETPROBE:
		i->rp = (struct kretprobe){ .kp.symbol_name = "rec_inner",
					    .entry_handler = inner_krp_entry,
					    .handler = inner_krp_return };
		return register_kretprobe(&i->rp);
	case INNER_INT3:
		i->kp = (struct kprobe){ .addr = (unsigned long)rec_inner + REC_MID,
					 .pre_handler = inner_kp_pre };
		return register_kprobe(&i->kp);
	case INNER_FPROBE:
		i->fp = (struct fprobe){ .entry_handler = inner_fp_entry,
					 .exit_handler = inner_fp_exit };
		return register_fprobe(&i->fp, "rec_inner", NULL);
	default:
		return -EINVAL;
	}
}

static unsigned long inner_missed(enum inner_kind kind)
{
	switch (kind) {
	case INNER_KRETPROBE:
		return inner_probe.rp.kp.nmissed + inner_probe.rp.nmissed;
	case INNER_INT3:
		return inner_probe.kp.nmissed;
	default:
		return inner_probe.fp.nmissed;
	}
}

/* Return-side handler runs a call from outside any handler makes. */
static unsigned long inner_returns_per_call(enum inner_kind kind)
{
	return kind == INNER_INT3 ? 0 : 1;
}

static void unregister_inner(enum inner_kind kind)
{
	switch (kind) {
	case INNER_KRETPROBE:
		unregister_kretprobe(&inner_probe.rp);
		break;
	case INNER_INT3:
		unregister_kprobe(&inner_probe.kp);
		break;
	default:
		unregister_fprobe(&inner_probe.fp);
	}
}

/* ---- the pairs ---- */

#define REC_CHECK(t, outer, inner, what, got, want) do {			\
	unsigned long __g = (got), __w = (want);				\
	if (__g != __w)								\
		selftest_fail(t, __FILE__, __LINE__,				\
			      "%s inside %s: %s is %lu, expected %lu",		\
			      inner_names[inner], outer_names[outer], what, __g, __w); \
} while (0)

static void nest_one_pair(struct selftest *t, enum outer_kind outer, enum inner_kind inner)
{
	int i, err;

	memset(&rec, 0, sizeof(rec));
	err = register_inner(inner);
	REC_CHECK(t, outer, inner, "register_inner()", (unsigned long)-err, 0);
	if (err)
		return;
	err = register_outer(outer);
	REC_CHECK(t, outer, inner, "register_outer()", (unsigned long)-err, 0);
	if (err)
		goto out_inner;
	REC_CHECK(t, outer, inner, "outer on its path", outer_on_its_path(outer), 1);

	for (i = 0; i < REC_CALLS; i++)
		REC_CHECK(t, outer, inner, "rec_outer()", rec_outer(i), (unsigned long)(i * 3 + 1));
	REC_CHECK(t, outer, inner, "outer handler runs", rec.outer, REC_CALLS);
	REC_CHECK(t, outer, inner, "bad nested results", rec.nested_bad, 0);
	REC_CHECK(t, outer, inner, "inner entry handler runs", rec.inner_entries, 0);
	REC_CHECK(t, outer, inner, "inner return handler runs", rec.inner_returns, 0);
	REC_CHECK(t, outer, inner, "inner misses", inner_missed(inner), REC_CALLS);
	REC_CHECK(t, outer, inner, "guard after the calls", probe_guard_taken(), 0);

	unregister_outer(outer);
	/* Outside every handler the inner probe works as before. */
	REC_CHECK(t, outer, inner, "rec_inner()", rec_inner(1), 2);
	REC_CHECK(t, outer, inner, "inner entries, direct", rec.inner_entries, 1);
	REC_CHECK(t, outer, inner, "inner returns, direct", rec.inner_returns,
		  inner_returns_per_call(inner));
	REC_CHECK(t, outer, inner, "inner misses, direct", inner_missed(inner), REC_CALLS);
out_inner:
	unregister_inner(inner);
}

/*
 * Every inner kind inside @outer, twice; the second round gives back all
 * the memory it takes (the first may leave what kprobes keeps for later:
 * a slot page, ftrace's filter of its ops). Rethook pools are freed
 * through call_rcu: wait for them.
 */
static void nest_every_inner(struct selftest *t, enum outer_kind outer)
{
	struct kmalloc_usage before, after;
	enum inner_kind inner;
	int round;

	set_optimization(outer);
	for (round = 0; round < 2; round++) {
		leak_check_start(&before);
		for (inner = 0; inner < INNER_KINDS; inner++)
			nest_one_pair(t, outer, inner);
		leak_check_end(&before, &after);
	}
	EXPECT_EQ(t, after.objects, before.objects);
	EXPECT_EQ(t, after.bytes, before.bytes);
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(true);
}

static void nested_in_int3_pre_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_INT3_PRE);
}

static void nested_in_int3_post_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_INT3_POST);
}

static void nested_in_ftrace_kprobe_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_FTRACE);
}

static void nested_in_optimized_kprobe_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_OPTIMIZED);
}

static void nested_in_kretprobe_entry_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_KRETPROBE_ENTRY);
}

static void nested_in_kretprobe_return_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_KRETPROBE_RETURN);
}

static void nested_in_fprobe_entry_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_FPROBE_ENTRY);
}

static void nested_in_fprobe_exit_handler(struct selftest *t)
{
	nest_every_inner(t, OUTER_FPROBE_EXIT);
}

/* ---- kprobe_running() in each handler ---- */

/* As on Linux: a kretprobe's handlers run with its kprobe current, at the
 * return too; an fprobe's with the placeholder kprobe_busy. */
static void handlers_see_their_kprobe_running(struct selftest *t)
{
	set_optimization(OUTER_INT3_PRE);
	memset(&rec, 0, sizeof(rec));
	ASSERT_EQ(t, register_outer(OUTER_KRETPROBE_RETURN), 0);
	rec_outer(1);
	EXPECT_TRUE(t, rec.running == &outer_probe.rp.kp);
	unregister_outer(OUTER_KRETPROBE_RETURN);

	ASSERT_EQ(t, register_outer(OUTER_KRETPROBE_ENTRY), 0);
	rec_outer(1);
	EXPECT_TRUE(t, rec.running == &outer_probe.rp.kp);
	unregister_outer(OUTER_KRETPROBE_ENTRY);

	ASSERT_EQ(t, register_outer(OUTER_INT3_POST), 0);
	rec_outer(1);
	EXPECT_TRUE(t, rec.running == &outer_probe.kp);
	unregister_outer(OUTER_INT3_POST);

	ASSERT_EQ(t, register_outer(OUTER_FPROBE_EXIT), 0);
	rec_outer(1);
	EXPECT_TRUE(t, rec.running == &kprobe_busy);
	unregister_outer(OUTER_FPROBE_EXIT);

	EXPECT_TRUE(t, kprobe_running() == NULL);
	EXPECT_EQ(t, rec.outer, 4);
	kprobes_set_optimization(true);
	kernel_quiesce();		/* the pools, freed through call_rcu */
}

/* ---- a return that comes back under a handler ---- */

/* Returns with the guard taken, as if a handler were running when the
 * hooked call came back. */
noinline int rec_returns_guarded(int x)
{
	probe_guard_set(&kprobe_busy);
	barrier();
	return x + 1;
}

static int rec_call_returns_guarded(void)
{
	int r;

	preempt_disable();		/* the guard is per CPU */
	r = rec_returns_guarded(1);
	probe_guard_release();
	preempt_enable();
	return r;
}

/*
 * Entries hooked outside any handler come back outside one in practice;
 * if one came back under a handler all the same, its return handler
 * must not run there: a kretprobe counts it in rp->nmissed, an fprobe in
 * nmissed, each once.
 */
static void return_under_a_handler_is_missed(struct selftest *t)
{
	struct kretprobe rp = { .kp.symbol_name = "rec_returns_guarded",
				.entry_handler = inner_krp_entry, .handler = inner_krp_return };
	struct fprobe fp = { .entry_handler = inner_fp_entry, .exit_handler = inner_fp_exit };

	memset(&rec, 0, sizeof(rec));
	ASSERT_EQ(t, register_kretprobe(&rp), 0);
	EXPECT_EQ(t, rec_call_returns_guarded(), 2);
	unregister_kretprobe(&rp);
	EXPECT_EQ(t, rec.inner_entries, 1);
	EXPECT_EQ(t, rec.inner_returns, 0);
	EXPECT_EQ(t, rp.nmissed, 1);
	EXPECT_EQ(t, rp.kp.nmissed, 0);

	memset(&rec, 0, sizeof(rec));
	ASSERT_EQ(t, register_fprobe(&fp, "rec_returns_guarded", NULL), 0);
	EXPECT_EQ(t, rec_call_returns_guarded(), 2);
	EXPECT_EQ(t, unregister_fprobe(&fp), 0);
	EXPECT_EQ(t, rec.inner_entries, 1);
	EXPECT_EQ(t, rec.inner_returns, 0);
	EXPECT_EQ(t, fp.nmissed, 1);
	EXPECT_TRUE(t, kprobe_running() == NULL);
	kernel_quiesce();		/* the pools, freed through call_rcu */
}

/* ---- a kretprobe off a function entry is refused before it is armed ---- */

/* The first instruction of @fn after a push: there the word at the stack
 * pointer is a saved register, not the return address. */
static unsigned long after_first_push(unsigned long fn)
{
	struct ksym sym;
	unsigned long pc = fn;

	if (!kallsyms_lookup_addr(fn, &sym, NULL))
		return 0;
	while (pc < fn + sym.size) {
		const u8 *b = (const u8 *)pc;
		bool push = (b[0] >= 0x50 && b[0] <= 0x57) ||
			    (b[0] == 0x41 && b[1] >= 0x50 && b[1] <= 0x57);
		struct insn in;

		if (insn_decode(&in, b, INSN_MAX_LEN))
			return 0;
		pc += in.length;
		if (push)
			return pc;
	}
	return 0;
}

/*
 * kallsyms_lookup_addr() is what register_kretprobe() uses to tell a
 * function's entry; a kretprobe inside it, past a push, once armed would
 * be hit by that very check and hook the saved register as a return
 * address. It must be refused first, with nothing armed.
 */
static void kretprobe_off_entry_refused_before_arming(struct selftest *t)
{
	unsigned long at = after_first_push((unsigned long)kallsyms_lookup_addr);
	struct kretprobe rp = { .handler = outer_krp };
	struct ksym sym;

	ASSERT_TRUE(t, at != 0);
	rp.kp.addr = at;
	memset(&rec, 0, sizeof(rec));
	EXPECT_EQ(t, register_kretprobe(&rp), -EINVAL);
	EXPECT_TRUE(t, rp.rh == NULL);
	EXPECT_TRUE(t, kallsyms_lookup_addr(at, &sym, NULL));
	EXPECT_EQ(t, sym.addr, (unsigned long)kallsyms_lookup_addr);
	EXPECT_EQ(t, rec.outer, 0);
}

static const struct selftest_case recursion_cases[] = {
	SELFTEST_CASE(nested_in_int3_pre_handler),
	SELFTEST_CASE(nested_in_int3_post_handler),
	SELFTEST_CASE(nested_in_ftrace_kprobe_handler),
	SELFTEST_CASE(nested_in_optimized_kprobe_handler),
	SELFTEST_CASE(nested_in_kretprobe_entry_handler),
	SELFTEST_CASE(nested_in_kretprobe_return_handler),
	SELFTEST_CASE(nested_in_fprobe_entry_handler),
	SELFTEST_CASE(nested_in_fprobe_exit_handler),
	SELFTEST_CASE(handlers_see_their_kprobe_running),
	SELFTEST_CASE(return_under_a_handler_is_missed),
	SELFTEST_CASE(kretprobe_off_entry_refused_before_arming),
};
SELFTEST_SUITE("probe_recursion", recursion_cases);
