// SPDX-License-Identifier: MIT
/*
 * The x86 half of kprobes: looking at the probed instruction, running it
 * out of line, and the int3, debug and fault handlers.
 *
 * Branches, calls and returns are emulated in the int3 handler: their
 * effect depends on where they are, and doing it here means their copies
 * never run from a slot. Every other instruction we accept is copied into
 * a slot (with a RIP-relative displacement rewritten to reach the same
 * data from there) followed by a jmp back to the next original
 * instruction. A probe with a post_handler single-steps the copy with TF:
 * the debug trap after it moves RIP back into the original code and runs
 * the post_handler. Without one the copy is "boosted": the int3 handler
 * just sends the CPU to the slot and the jmp brings it back, one trap in
 * all.
 *
 * This whole file runs on the int3/debug path: it is built into
 * .kprobes.text, so kprobes refuses to probe it.
 */
#include <trace/kprobes_arch.h>
#include <trace/probe_guard.h>
#include <asm/cpu.h>
#include <asm/extable.h>
#include <asm/percpu.h>
#include <asm/ptrace.h>
#include <asm/text-patching.h>
#include <kernel/nofault.h>
#include <lib/errno.h>
#include <lib/string.h>

enum kcb_status {
	KCB_IDLE,
	KCB_HIT_ACTIVE,		/* running handlers */
	KCB_HIT_SS,		/* single-stepping the copy */
	KCB_REENTER_SS,		/* single-stepping for a probe hit inside a handler */
};

/*
 * The single-step state of this CPU. Whether a handler runs is the probe
 * guard's business (trace/probe_guard.h), shared with every other probe
 * path; this only says which copy is being stepped and what to restore.
 */
struct kcb_state {
	struct kprobe_point *cur;
	enum kcb_status status;
	unsigned long saved_if;		/* the IF the single-step cleared */
};

struct kprobe_ctlblk {
	struct kcb_state now, prev;	/* prev: the probe a reentry interrupted */
};

static DEFINE_PER_CPU(struct kprobe_ctlblk, kprobe_ctlblk);

static struct kprobe_ctlblk *kcb_this(void)
{
	return this_cpu_ptr(&kprobe_ctlblk);
}

/* ---- preparing ---- */

static bool is_refused(const struct insn *in)
{
	switch (in->kind) {
	case INSN_INT3: case INSN_INT1: case INSN_INT_N: case INSN_INTO:
	case INSN_IRET: case INSN_SYSCALL: case INSN_SYSRET:
	case INSN_PUSHF: case INSN_POPF:	/* can change TF under the single-step */
	case INSN_CLI: case INSN_STI:		/* the IF we restore would undo them */
	case INSN_HLT: case INSN_UD2: case INSN_XBEGIN:
		return true;
	default:
		break;
	}
	if (in->far)
		return true;
	/* mov to %ss blocks the trap after it: the single-step would be lost. */
	return in->opcode.map == INSN_MAP_1BYTE && in->opcode.value == 0x8e && in->modrm.reg == 2;
}

static bool is_emulated(const struct insn *in)
{
	switch (in->kind) {
	case INSN_CALL_REL32: case INSN_JMP_REL8: case INSN_JMP_REL32:
	case INSN_JCC_REL8: case INSN_JCC_REL32: case INSN_LOOP:
	case INSN_RET: case INSN_RET_IMM:
		return true;
	default:
		return false;
	}
}

/* Decode the original code (arch_recover_text): another probe's int3 or
 * jmp on the way would split the instructions after it. Called with
 * kprobe_mutex held, so no probe comes or goes meanwhile. */
bool arch_kprobe_on_boundary(unsigned long func, unsigned long addr)
{
	unsigned long pc = func;

	while (pc < addr) {
		u8 buf[INSN_MAX_LEN];
		struct insn in;

		if (arch_recover_text(pc, buf, sizeof(buf), NULL) ||
		    insn_decode(&in, buf, sizeof(buf)))
			return false;
		pc += in.length;
	}
	return pc == addr;
}

/* The copy is of the original instruction, not of a patch over it (an
 * int3 left by a probe on its way out, a jmp that covers it): an int3
 * that is really there is refused as an instruction like any other. */
int arch_prepare_kprobe(struct kprobe_point *pt)
{
	struct arch_kprobe *a = &pt->arch;

	if (arch_recover_text(pt->addr, a->bytes, sizeof(a->bytes), NULL) ||
	    insn_decode(&a->insn, a->bytes, sizeof(a->bytes)))
		return -EILSEQ;
	if (is_refused(&a->insn))
		return -EOPNOTSUPP;
	a->opcode = a->bytes[0];
	a->run = is_emulated(&a->insn) ? KPROBE_RUN_EMULATE : KPROBE_RUN_COPY;
	return 0;
}

/*
 * Boosted, the copy runs from the slot as ordinary code, with no kprobe
 * state to say where it came from: if it faults, the fault is at the
 * slot's address, which has no exception-table entry, and the kernel dies.
 * An instruction that may fault on purpose (one with an entry) is always
 * single-stepped instead: kprobe_fault_handler() then moves RIP back to
 * the original address and the entry there is honoured.
 */
bool arch_kprobe_boostable(const struct kprobe_point *pt)
{
	const struct insn *in = &pt->arch.insn;

	return pt->arch.run == KPROBE_RUN_COPY && !search_exception_table(pt->addr) &&
	       in->kind != INSN_CALL_INDIRECT && in->kind != INSN_JMP_INDIRECT;
}

/*
 * The slot: the instruction, its RIP-relative displacement adjusted so the
 * copy reaches the same address, then jmp rel32 to the next original
 * instruction (used when boosted, unreached when single-stepped).
 */
int arch_prepare_slot(struct kprobe_point *pt)
{
	struct arch_kprobe *a = &pt->arch;
	unsigned long slot = (unsigned long)a->slot;
	unsigned len = a->insn.length;
	u8 buf[KPROBE_SLOT_SIZE];
	int err;

	err = text_relocate_insn(buf, a->bytes, &a->insn, pt->addr, slot);
	if (err)
		return err;
	len += text_gen_insn(buf + len, JMP32_INSN_OPCODE, slot + len, pt->addr + len);
	return text_poke(a->slot, buf, len);
}

/* The slot's jmp returns here, and a single-step resumes here. */
unsigned long arch_kprobe_resume_addr(const struct kprobe_point *pt)
{
	return pt->addr + pt->arch.insn.length;
}

void arch_arm_kprobe(struct kprobe_point *pt)
{
	text_poke((void *)pt->addr, x86_int3, INT3_INSN_SIZE);
}

void arch_disarm_kprobe(struct kprobe_point *pt)
{
	text_poke((void *)pt->addr, &pt->arch.opcode, 1);
}

/* ---- emulating branches ---- */

#define FL_CF	(1UL << 0)
#define FL_PF	(1UL << 2)
#define FL_ZF	(1UL << 6)
#define FL_SF	(1UL << 7)
#define FL_OF	(1UL << 11)

/* The condition of jcc number @cc (the low nibble of its opcode). */
static bool condition_holds(unsigned cc, unsigned long fl)
{
	bool cf = fl & FL_CF, zf = fl & FL_ZF, sf = fl & FL_SF, of = fl & FL_OF, pf = fl & FL_PF;
	bool r;

	switch (cc >> 1) {
	case 0: r = of; break;			/* jo */
	case 1: r = cf; break;			/* jb */
	case 2: r = zf; break;			/* je */
	case 3: r = cf || zf; break;		/* jbe */
	case 4: r = sf; break;			/* js */
	case 5: r = pf; break;			/* jp */
	case 6: r = sf != of; break;		/* jl */
	default: r = zf || sf != of; break;	/* jle */
	}
	return (cc & 1) ? !r : r;		/* odd codes are the negations */
}

/* loop / loope / loopne / jrcxz: decrement the counter and decide. */
static bool loop_taken(const struct insn *in, struct pt_regs *regs)
{
	unsigned long mask = in->addr_bytes == 4 ? 0xffffffffUL : ~0UL;
	unsigned op = in->opcode.value;

	if (op == 0xe3)				/* jrcxz */
		return !(regs->cx & mask);
	regs->cx = (regs->cx & ~mask) | ((regs->cx - 1) & mask);
	if (!(regs->cx & mask))
		return false;
	if (op == 0xe0)				/* loopne */
		return !(regs->flags & FL_ZF);
	if (op == 0xe1)				/* loope */
		return regs->flags & FL_ZF;
	return true;				/* loop */
}

/* Do what the instruction at pt->addr would have done to @regs. The stack
 * written is the interrupted one: int3 runs on its own IST stack. */
static void emulate(struct kprobe_point *pt, struct pt_regs *regs)
{
	const struct insn *in = &pt->arch.insn;
	unsigned long next = pt->addr + in->length;
	u64 target = next;
	bool taken = true;

	switch (in->kind) {
	case INSN_CALL_REL32:
		regs->sp -= 8;
		*(unsigned long *)regs->sp = next;
		break;
	case INSN_JCC_REL8:
	case INSN_JCC_REL32:
		taken = condition_holds(in->opcode.value & 0xf, regs->flags);
		break;
	case INSN_LOOP:
		taken = loop_taken(in, regs);
		break;
	case INSN_RET:
	case INSN_RET_IMM:
		regs->ip = *(unsigned long *)regs->sp;
		regs->sp += 8 + (in->kind == INSN_RET_IMM ? (u16)in->imm.value : 0);
		return;
	default:
		break;
	}
	if (taken)
		insn_branch_target(in, pt->addr, &target);
	regs->ip = taken ? target : next;
}

/* ---- the traps ---- */

static void start_single_step(struct kprobe_point *pt, struct pt_regs *regs,
			      struct kprobe_ctlblk *kcb, enum kcb_status status)
{
	kcb->now.cur = pt;
	kcb->now.status = status;
	kcb->now.saved_if = regs->flags & X86_EFLAGS_IF;
	regs->flags |= X86_EFLAGS_TF;
	regs->flags &= ~X86_EFLAGS_IF;
	regs->ip = (unsigned long)pt->arch.slot;
}

/* A hit is over: no copy being stepped, no handler running. */
static void kprobe_hit_done(struct kprobe_ctlblk *kcb)
{
	kcb->now.cur = NULL;
	probe_guard_release();
}

/* Run (or emulate) the probed instruction, after the pre_handlers. */
static void run_instruction(struct kprobe_point *pt, struct pt_regs *regs,
			    struct kprobe_ctlblk *kcb, bool reenter)
{
	if (pt->arch.run == KPROBE_RUN_EMULATE) {
		emulate(pt, regs);
		if (!reenter) {
			kprobe_point_post(pt, regs);
			kprobe_hit_done(kcb);
		}
		return;
	}
	if (pt->boosted) {
		regs->ip = (unsigned long)pt->arch.slot;
		if (!reenter)
			kprobe_hit_done(kcb);
		return;
	}
	if (reenter)
		kcb->prev = kcb->now;
	start_single_step(pt, regs, kcb, reenter ? KCB_REENTER_SS : KCB_HIT_SS);
}

/* Where this CPU last went back to an int3 that memory no longer holds. */
static DEFINE_PER_CPU(unsigned long, int3_gone_ip);

/*
 * No probe here: if the int3 is gone from memory (disarmed since the trap
 * was taken), return to run the real byte. Twice in a row at the same
 * place means a stale copy of the code (text_poke_refetch()).
 *
 * An int3 in memory is not ours only if no probe is there now: between
 * our lookup and the read, another CPU may have unregistered the probe we
 * trapped on and registered a new one at the same address (hashed before
 * its int3 goes in). Then we go back to the int3 and trap on the new one.
 */
static bool int3_gone(unsigned long ip)
{
	if (*(u8 *)ip == INT3_INSN_OPCODE)
		return kprobe_point_lookup(ip) != NULL;
	if (this_cpu_read(int3_gone_ip) == ip)
		text_poke_refetch(ip);
	this_cpu_write(int3_gone_ip, ip);
	return true;
}

bool kprobe_int3_handler(struct pt_regs *regs)
{
	struct kprobe_ctlblk *kcb = kcb_this();
	struct kprobe_point *pt = kprobe_point_lookup(regs->ip);

	if (!pt)
		return int3_gone(regs->ip);
	if (pt->via_detour) {
		/* Being (un)optimized: the bytes after the int3 may be half a
		 * jmp. The detour runs the handlers and the instructions. */
		regs->ip = (unsigned long)pt->arch.detour;
		return true;
	}
	if (probe_guard_taken()) {
		/* A probe hit inside a handler (of any probe: a kprobe, a
		 * kretprobe's return, an fprobe): no handlers, just the
		 * instruction. */
		kprobe_point_missed(pt);
		run_instruction(pt, regs, kcb, true);
		return true;
	}
	kcb->now.cur = pt;
	kcb->now.status = KCB_HIT_ACTIVE;
	if (kprobe_point_pre(pt, regs)) {
		kprobe_hit_done(kcb);		/* a handler moved RIP: skip */
		return true;
	}
	run_instruction(pt, regs, kcb, false);
	return true;
}

/* Back from the single-step: RIP into the original code, flags as they were. */
static void resume_after_copy(struct kprobe_point *pt, struct pt_regs *regs,
			      struct kprobe_ctlblk *kcb)
{
	const struct insn *in = &pt->arch.insn;

	if (in->kind == INSN_CALL_INDIRECT)
		*(unsigned long *)regs->sp = pt->addr + in->length;	/* not the slot's */
	else if (in->kind != INSN_JMP_INDIRECT)
		regs->ip = pt->addr + (regs->ip - (unsigned long)pt->arch.slot);
	regs->flags &= ~X86_EFLAGS_TF;
	regs->flags |= kcb->now.saved_if;
}

bool kprobe_debug_handler(struct pt_regs *regs)
{
	struct kprobe_ctlblk *kcb = kcb_this();
	struct kprobe_point *pt = kcb->now.cur;

	if (!pt || (kcb->now.status != KCB_HIT_SS && kcb->now.status != KCB_REENTER_SS))
		return false;
	resume_after_copy(pt, regs, kcb);
	write_dr6(DR6_RESERVED);	/* clear the step bit */
	if (kcb->now.status == KCB_REENTER_SS) {
		kcb->now = kcb->prev;		/* back to the probe we interrupted */
		return true;
	}
	kprobe_point_post(pt, regs);
	kprobe_hit_done(kcb);
	return true;
}

/*
 * The copy faulted (say, a probed load of a bad address): put RIP back on
 * the original instruction, so the fault is handled - fixed up by the
 * exception table, or reported - as if there had been no probe.
 */
bool kprobe_fault_handler(struct pt_regs *regs)
{
	struct kprobe_ctlblk *kcb = kcb_this();
	struct kprobe_point *pt = kcb->now.cur;
	unsigned long slot;

	if (!pt || (kcb->now.status != KCB_HIT_SS && kcb->now.status != KCB_REENTER_SS))
		return false;
	slot = (unsigned long)pt->arch.slot;
	if (regs->ip < slot || regs->ip >= slot + pt->arch.insn.length)
		return false;
	regs->ip = pt->addr;
	regs->flags &= ~X86_EFLAGS_TF;
	regs->flags |= kcb->now.saved_if;
	if (kcb->now.status == KCB_REENTER_SS)
		kcb->now = kcb->prev;
	else
		kprobe_hit_done(kcb);
	return false;		/* now handle the fault itself */
}

/*
 * The post_handlers of a probe on an fentry site, with RIP past the site.
 * Out of line: most probes have none, and the values it needs would
 * otherwise be kept across every hit's pre_handler calls.
 */
static noinline void kprobe_ftrace_post(struct kprobe_point *pt, struct pt_regs *regs,
					unsigned long ip)
{
	regs->ip = ip + CALL_INSN_SIZE;
	kprobe_point_post(pt, regs);
}

/*
 * A probe on a function's fentry site fires through ftrace: no trap, no
 * copy. Handlers see what an int3 probe shows them (RIP at the probe);
 * the post_handler sees RIP past the 5-byte site, as if the NOP had run.
 * If a pre_handler moves RIP, the regs trampoline goes there instead.
 * Otherwise RIP is left as the probe found it: another ftrace_ops on the
 * same site (a livepatch's) may have moved it already, as on Linux.
 */
void kprobe_ftrace_handler(unsigned long ip, unsigned long parent_ip __always_unused,
			   struct ftrace_ops *ops __always_unused, struct pt_regs *regs)
{
	struct kprobe_point *pt = kprobe_point_lookup(ip);
	unsigned long orig_ip = regs->ip;

	if (!pt)
		return;
	if (probe_guard_taken()) {
		kprobe_point_missed(pt);
		return;
	}
	/* Nothing is stepped on this path: the guard is all the state. */
	regs->ip = ip;
	if (!kprobe_point_pre(pt, regs)) {
		if (unlikely(READ_ONCE(pt->has_post)))
			kprobe_ftrace_post(pt, regs, ip);
		regs->ip = orig_ip;		/* unchanged: carry on where we were going */
	}
	probe_guard_release();
}

/* Called by an optimized probe's detour, preemption counted off. A
 * handler's change of regs->ip is not honoured here: probes whose handlers
 * move RIP (KPROBE_FLAG_IPMODIFY) are never optimized. */
void kprobe_optimized_callback(struct kprobe_point *pt, struct pt_regs *regs)
{
	if (probe_guard_taken()) {
		kprobe_point_missed(pt);
		return;
	}
	kprobe_point_pre(pt, regs);
	probe_guard_release();
}
