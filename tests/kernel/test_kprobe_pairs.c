// SPDX-License-Identifier: MIT
/*
 * Two probes anywhere in one function never break it.
 *
 * One probe's patch (an int3 over a first byte, an optimized probe's jmp
 * over several instructions) must not mislead the code that decodes the
 * function for the other: the boundary check, the copy for its slot, the
 * optimizer's scans. For several functions with jumps (fib, a loop, a
 * ladder of short forward jumps, a call and a RIP-relative load) this
 * places two probes at every pair of instruction boundaries, in both
 * orders, registered with jump optimization off and on (synchronous, so
 * each probe is optimized before the next step), then toggles
 * optimization, re-arms every probe through kprobes_set_enabled(), and
 * disables and enables one probe.
 * After each step it calls the function and checks its result and each
 * probe's hits exactly.
 *
 * The expected hits of a probe are what the same probe counted alone,
 * with optimization off (the reference), and that is checked too: every
 * boundary control can reach is hit by the workload (padding after a ret
 * is not), and the entry probe counts the calls.
 */
#include <kernel/selftest.h>
#include <kernel/kallsyms.h>
#include <kernel/workloads/workloads.h>
#include <trace/kprobes_arch.h>
#include <asm/insn.h>
#include <lib/compiler.h>
#include <lib/errno.h>

#define PAIRS_MAX_INSNS		48
#define PAIRS_FAILURES_SHOWN	8	/* per function: the first few tell */

static volatile long pairs_sink;

/* A loop: a backward jump, and a forward one inside it (continue). */
noinline long pairs_loop(long n)
{
	long s = 0, i;

	for (i = 0; i < n; i++) {
		if (i % 3 == 1)
			continue;
		s += i * 5;
		pairs_sink = s;
	}
	return s;
}

/* Short forward jumps that land just after short instructions. */
noinline long pairs_ladder(long x)
{
	long r = x;

	if (x & 1)
		pairs_sink = r += 7;
	if (x & 2)
		pairs_sink = r ^= 0x55;
	if (x & 4)
		pairs_sink = r -= 3;
	return r;
}

static volatile long pairs_scale = 3;

noinline long pairs_helper(long x)
{
	barrier();
	return x + 11;
}

/* A call, a RIP-relative load, and a conditional jump around them. */
noinline long pairs_mixed(long a, long b)
{
	long r = a * pairs_scale;

	if (a > b)
		r += pairs_helper(b);
	else
		r -= b;
	return r;
}

/* Each workload returns its result; *ok says whether it is right, worked
 * out in a way that does not run the probed function. */
static long run_fib(bool *ok)
{
	long r = fib(6);

	*ok = r == 8;
	return r;
}

static long run_loop(bool *ok)
{
	long r = pairs_loop(7) + pairs_loop(0);	/* i = 0, 2, 3, 5, 6 count */

	*ok = r == 5 * (0 + 2 + 3 + 5 + 6);
	return r;
}

static long run_ladder(bool *ok)
{
	long x, r = 0, want = 0;

	for (x = 0; x < 8; x++) {
		long w = x;

		r += pairs_ladder(x);
		w = (x & 1) ? w + 7 : w;
		w = (x & 2) ? (w ^ 0x55) : w;
		w = (x & 4) ? w - 3 : w;
		want += w;
	}
	*ok = r == want;
	return r;
}

static long run_mixed(bool *ok)
{
	long r = pairs_mixed(5, 2) + pairs_mixed(1, 4);

	*ok = r == (15 + 13) + (3 - 4);
	return r;
}

struct pairs_fn {
	const char *name;
	unsigned long (*fn_addr)(void);
	long (*run)(bool *ok);
	unsigned long calls;		/* entries per run */
};

static unsigned long addr_fib(void) { return (unsigned long)fib; }
static unsigned long addr_loop(void) { return (unsigned long)pairs_loop; }
static unsigned long addr_ladder(void) { return (unsigned long)pairs_ladder; }
static unsigned long addr_mixed(void) { return (unsigned long)pairs_mixed; }

/* The state of one function under test. */
struct pairs {
	struct selftest *t;
	const struct pairs_fn *f;
	unsigned long at[PAIRS_MAX_INSNS];	/* the instruction boundaries */
	int err[PAIRS_MAX_INSNS];		/* register_kprobe() alone */
	unsigned long ref[PAIRS_MAX_INSNS];	/* hits per run alone */
	bool reachable[PAIRS_MAX_INSNS];	/* not padding after a ret or jmp */
	unsigned n;
	unsigned failures;
	unsigned optimized;			/* pairs with a jmp among them */
	const char *step;			/* for the messages */
};

static int count_hit(struct kprobe *p, struct pt_regs *regs)
{
	(void)regs;
	(*(unsigned long *)p->data)++;
	return 0;
}

/* Can control reach the boundary at @pc: by falling through from the
 * instruction before it, or by a branch of the function? (Compilers pad
 * inside functions with NOPs after a ret or jmp: those are never run.) */
static bool reached(const struct insn *prev, bool prev_reached, unsigned long pc,
		    const u64 *targets, unsigned n)
{
	unsigned k;

	if (prev_reached && prev->kind != INSN_RET && prev->kind != INSN_RET_IMM &&
	    prev->kind != INSN_JMP_REL8 && prev->kind != INSN_JMP_REL32)
		return true;
	for (k = 0; k < n; k++)
		if (targets[k] == pc)
			return true;
	return false;
}

/* Every instruction boundary of the function, from its original code. */
static bool find_boundaries(struct pairs *s)
{
	unsigned long fn = s->f->fn_addr(), pc;
	struct insn in[PAIRS_MAX_INSNS];
	u64 targets[PAIRS_MAX_INSNS];
	unsigned i, ntargets = 0;
	struct ksym sym;

	if (!kallsyms_lookup_addr(fn, &sym, NULL) || sym.addr != fn)
		return false;
	for (pc = fn, s->n = 0; pc < fn + sym.size && s->n < PAIRS_MAX_INSNS; s->n++) {
		u8 buf[INSN_MAX_LEN];

		if (arch_recover_text(pc, buf, sizeof(buf), NULL) ||
		    insn_decode(&in[s->n], buf, sizeof(buf)))
			return false;
		if (!insn_branch_target(&in[s->n], pc, &targets[ntargets]))
			ntargets++;
		s->at[s->n] = pc;
		pc += in[s->n].length;
	}
	for (i = 0; i < s->n; i++)
		s->reachable[i] = !i || reached(&in[i - 1], s->reachable[i - 1], s->at[i],
						targets, ntargets);
	return pc == fn + sym.size;
}

static void fail(struct pairs *s, unsigned i, unsigned j, const char *what, long got, long want)
{
	unsigned long fn = s->f->fn_addr();

	if (s->failures++ < PAIRS_FAILURES_SHOWN)
		selftest_fail(s->t, __FILE__, __LINE__, "%s probes +%#lx,+%#lx, %s: %s %ld, want %ld",
			      s->f->name, s->at[i] - fn, s->at[j] - fn, s->step, what, got, want);
}

/* The probes of one pair: [0] at boundary i, [1] at j (may be equal). */
struct pair_probes {
	struct kprobe kp[2];
	unsigned long hits[2], before[2];
	unsigned idx[2];
	bool live[2];			/* registered */
	bool off[2];			/* disabled */
};

/* Run the workload; check the result, and that each live probe counted
 * its reference (or nothing, if @armed is false). */
static void run_and_check(struct pairs *s, struct pair_probes *pp, bool armed)
{
	bool ok;
	long r;
	int k;

	for (k = 0; k < 2; k++)
		pp->before[k] = pp->hits[k];
	r = s->f->run(&ok);
	if (!ok)
		fail(s, pp->idx[0], pp->idx[1], "result", r, -1);
	for (k = 0; k < 2; k++) {
		unsigned long want = (pp->live[k] && !pp->off[k] && armed) ? s->ref[pp->idx[k]] : 0;

		if (pp->hits[k] - pp->before[k] != want)
			fail(s, pp->idx[0], pp->idx[1], k ? "hits of the 2nd" : "hits of the 1st",
			     pp->hits[k] - pp->before[k], want);
	}
}

static void reg(struct pairs *s, struct pair_probes *pp, int k)
{
	int err;

	pp->kp[k] = (struct kprobe){ .addr = s->at[pp->idx[k]], .pre_handler = count_hit,
				     .data = &pp->hits[k] };
	err = register_kprobe(&pp->kp[k]);
	if (err != s->err[pp->idx[k]])
		fail(s, pp->idx[0], pp->idx[1], "register", err, s->err[pp->idx[k]]);
	pp->live[k] = !err;
}

static void unreg(struct pair_probes *pp, int k)
{
	if (pp->live[k])
		unregister_kprobe(&pp->kp[k]);
	pp->live[k] = false;
}

/* Disable or enable probe @k (as events/.../enable does). */
static void set_off(struct pairs *s, struct pair_probes *pp, int k, bool off)
{
	int err;

	if (!pp->live[k])
		return;
	err = off ? disable_kprobe(&pp->kp[k]) : enable_kprobe(&pp->kp[k]);
	if (err)
		fail(s, pp->idx[0], pp->idx[1], off ? "disable" : "enable", err, 0);
	pp->off[k] = off;
}

/* Count the pairs in which a probe was really jump-optimized. */
static void count_optimized(struct pairs *s, struct pair_probes *pp)
{
	if ((pp->live[0] && kprobe_state(&pp->kp[0]) == KPROBE_FLAG_OPTIMIZED) ||
	    (pp->live[1] && kprobe_state(&pp->kp[1]) == KPROBE_FLAG_OPTIMIZED))
		s->optimized++;
}

static void set_optimization(bool on)
{
	kprobes_set_optimize_sync(on);
	kprobes_set_optimization(on);
}

/*
 * One pair in one order: register @first then the other with optimization
 * @opt, toggle optimization, disarm and re-arm everything, toggle back,
 * disable and enable the first, take it away, then the second; the
 * function runs after each step.
 */
static void one_order(struct pairs *s, unsigned i, unsigned j, bool opt, int first)
{
	struct pair_probes pp = { .idx = { i, j } };

	set_optimization(opt);
	s->step = opt ? "registered optimizing" : "registered";
	reg(s, &pp, first);
	run_and_check(s, &pp, true);
	reg(s, &pp, !first);
	run_and_check(s, &pp, true);
	if (opt)
		count_optimized(s, &pp);
	s->step = opt ? "optimization turned off" : "optimization turned on";
	set_optimization(!opt);
	run_and_check(s, &pp, true);
	s->step = "all disarmed";
	kprobes_set_enabled(false);
	run_and_check(s, &pp, false);
	s->step = "all re-armed";
	kprobes_set_enabled(true);
	run_and_check(s, &pp, true);
	s->step = "optimization back";
	set_optimization(opt);
	run_and_check(s, &pp, true);
	s->step = "first disabled";
	set_off(s, &pp, first, true);
	run_and_check(s, &pp, true);
	s->step = "first enabled again";
	set_off(s, &pp, first, false);
	run_and_check(s, &pp, true);
	s->step = "first unregistered";
	unreg(&pp, first);
	run_and_check(s, &pp, true);
	unreg(&pp, !first);
}

/* Each boundary alone, optimization off: the hits every pair must match. */
static void take_references(struct pairs *s)
{
	unsigned long entry = s->f->fn_addr();
	unsigned i;

	set_optimization(false);
	for (i = 0; i < s->n; i++) {
		unsigned long hits = 0;
		struct kprobe kp = { .addr = s->at[i], .pre_handler = count_hit, .data = &hits };
		bool ok;

		s->err[i] = register_kprobe(&kp);
		s->f->run(&ok);
		if (!ok)
			selftest_fail(s->t, __FILE__, __LINE__, "%s: wrong result with a probe at +%#lx",
				      s->f->name, s->at[i] - entry);
		if (s->err[i])
			continue;
		unregister_kprobe(&kp);
		s->ref[i] = hits;
		if (!hits != !s->reachable[i] || (s->at[i] == entry && hits != s->f->calls))
			selftest_fail(s->t, __FILE__, __LINE__, "%s+%#lx alone: %lu hits",
				      s->f->name, s->at[i] - entry, hits);
	}
}

static void check_every_pair(struct selftest *t, const struct pairs_fn *f)
{
	static struct pairs s;		/* big: off the stack */
	unsigned i, j;

	s = (struct pairs){ .t = t, .f = f };
	if (!find_boundaries(&s)) {
		selftest_fail(t, __FILE__, __LINE__, "%s: cannot decode it", f->name);
		return;
	}
	take_references(&s);
	for (i = 0; i < s.n && s.failures < PAIRS_FAILURES_SHOWN; i++)
		for (j = i; j < s.n && s.failures < PAIRS_FAILURES_SHOWN; j++) {
			one_order(&s, i, j, false, 0);
			one_order(&s, i, j, false, 1);
			one_order(&s, i, j, true, 0);
			one_order(&s, i, j, true, 1);
		}
	kprobes_set_optimize_sync(false);
	kprobes_set_optimization(true);
	if (!s.optimized)	/* else the optimizer's side was never tested */
		selftest_fail(t, __FILE__, __LINE__, "%s: no pair was ever optimized", f->name);
}

static const struct pairs_fn pairs_fns[] = {
	{ "fib", addr_fib, run_fib, 25 },	/* fib(6) makes 25 calls */
	{ "pairs_loop", addr_loop, run_loop, 2 },
	{ "pairs_ladder", addr_ladder, run_ladder, 8 },
	{ "pairs_mixed", addr_mixed, run_mixed, 2 },
};

static void every_pair_in_fib(struct selftest *t) { check_every_pair(t, &pairs_fns[0]); }
static void every_pair_in_a_loop(struct selftest *t) { check_every_pair(t, &pairs_fns[1]); }
static void every_pair_in_a_jump_ladder(struct selftest *t) { check_every_pair(t, &pairs_fns[2]); }
static void every_pair_around_a_call(struct selftest *t) { check_every_pair(t, &pairs_fns[3]); }

static const struct selftest_case kprobe_pair_cases[] = {
	SELFTEST_CASE(every_pair_in_fib),
	SELFTEST_CASE(every_pair_in_a_loop),
	SELFTEST_CASE(every_pair_in_a_jump_ladder),
	SELFTEST_CASE(every_pair_around_a_call),
};
SELFTEST_SUITE("kprobe_pairs", kprobe_pair_cases);
