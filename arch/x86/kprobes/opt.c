// SPDX-License-Identifier: MIT
/*
 * Jump-optimized kprobes: replace the int3 and the instructions under it
 * with a 5-byte jmp to a detour that calls the handlers, runs those
 * instructions relocated, and jumps back. No trap at all per hit.
 *
 * A probe qualifies when the instructions covering its first 5 bytes can
 * run anywhere (no branches, calls or returns; RIP-relative operands are
 * rewritten), lie inside the function, no other probe sits among them,
 * no jump in the function lands between them (or could: an indirect
 * jmp disqualifies the function), and none of them may fault on purpose
 * (an exception-table entry). The checks decode the original code, as
 * arch_recover_text() gives it back, never another probe's patch.
 *
 * Patching keeps the probe's int3 at the first byte while the bytes after
 * it change, and the int3 handler sends a CPU that meets it to the detour
 * (trace/kprobes.c sets pt->via_detour), so no CPU ever runs a half-old,
 * half-new sequence. This file is on the probe path: .kprobes.text.
 */
#include <trace/kprobes_arch.h>
#include <asm/extable.h>
#include <asm/page.h>
#include <asm/text-patching.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/nofault.h>
#include <kernel/sched.h>
#include <kernel/tasks_rcu.h>
#include <lib/errno.h>
#include <lib/string.h>

extern char optprobe_template[], optprobe_template_end[], optprobe_template_addr[],
	optprobe_template_point[], optprobe_template_call[];
void kprobe_optimized_callback(struct kprobe_point *pt, struct pt_regs *regs);

/*
 * Can the instruction run from the detour? Not a branch, call or return,
 * and not one that may fault on purpose: its exception-table entry names
 * its address in the function, and a fault in the detour would find none.
 */
static bool relocatable(const struct insn *in, unsigned long addr)
{
	return in->kind == INSN_ORDINARY && !in->far && !search_exception_table(addr);
}

/*
 * Does any jump of the function [func, end) land in (addr, addr + len)?
 * The scan decodes the original code (arch_recover_text): read live, a
 * probe's int3 over a jcc would hide its target, and an optimized probe's
 * jmp would split the instructions after it.
 */
static bool jumps_into(unsigned long func, unsigned long end, unsigned long addr, unsigned len)
{
	unsigned long pc = func;

	while (pc < end) {
		u8 buf[INSN_MAX_LEN];
		struct insn in;
		u64 target;

		if (arch_recover_text(pc, buf, sizeof(buf), NULL) ||
		    insn_decode(&in, buf, sizeof(buf)))
			return true;			/* cannot tell: assume yes */
		if (in.kind == INSN_JMP_INDIRECT)
			return true;
		if (!insn_branch_target(&in, pc, &target) && target > addr && target < addr + len)
			return true;
		pc += in.length;
	}
	return false;
}

/* Called with kprobe_mutex held and @pt armed but not optimized. Every
 * instruction the jmp would cover is checked, not only the probed one. */
bool arch_can_optimize(struct kprobe_point *pt, bool (*probed)(unsigned long addr))
{
	struct arch_kprobe *a = &pt->arch;
	unsigned long addr = pt->addr, end;
	unsigned len = 0;
	struct ksym sym;

	if (!kallsyms_lookup_addr(addr, &sym, NULL))
		return false;
	end = sym.addr + sym.size;
	/* The original bytes: our own int3 and any neighbour's patch undone. */
	if (arch_recover_text(addr, a->opt_orig, sizeof(a->opt_orig), NULL))
		return false;
	while (len < JMP32_INSN_SIZE) {
		struct insn in;

		if (len && probed(addr + len))
			return false;
		if (insn_decode(&in, a->opt_orig + len, INSN_MAX_LEN) || !relocatable(&in, addr + len))
			return false;
		len += in.length;
	}
	if (addr + len > end || jumps_into(sym.addr, end, addr, len))
		return false;
	a->opt_len = len;
	return true;
}

/*
 * The replaced instructions, moved to @dst (at address @where), then the
 * jmp back to the instruction after them.
 */
static int relocate(struct kprobe_point *pt, u8 *dst, unsigned long where)
{
	unsigned off = 0, len = pt->arch.opt_len;

	while (off < len) {
		struct insn in;
		int err;

		insn_decode(&in, pt->arch.opt_orig + off, INSN_MAX_LEN);
		err = text_relocate_insn(dst + off, pt->arch.opt_orig + off, &in, pt->addr + off,
					 where + off);
		if (err)
			return err;
		off += in.length;
	}
	text_gen_insn(dst + len, JMP32_INSN_OPCODE, where + len, pt->addr + len);
	return 0;
}

int arch_prepare_optimized(struct kprobe_point *pt)
{
	size_t tlen = optprobe_template_end - optprobe_template,
	       total = tlen + pt->arch.opt_len + JMP32_INSN_SIZE;
	u8 *page = exec_pages_alloc(1), *buf = kmalloc(total);
	unsigned long base = (unsigned long)page;
	struct text_template t;
	int err = (!page || !buf) ? -ENOMEM : 0;

	if (!err) {
		text_template_copy(&t, buf, optprobe_template, optprobe_template_end, base);
		text_template_set_call(&t, optprobe_template_call,
				       (unsigned long)kprobe_optimized_callback);
		err = text_template_set_imm64(&t, optprobe_template_addr, pt->addr) ?:
		      text_template_set_imm64(&t, optprobe_template_point, (u64)pt) ?:
		      relocate(pt, buf + tlen, base + tlen);
	}
	if (!err)
		err = text_poke(page, buf, total);
	kfree(buf);
	if (err) {
		/* Either allocation may have failed alone: free what we got,
		 * and mark nothing (page may be NULL). */
		if (page)
			exec_pages_free(page, 1);
		return err;
	}
	exec_pages_set_preemptible(page, 1);	/* see arch_free_optimized() */
	code_sym_add(base, total, "optprobe_detour", "kprobes", "for %pS", (void *)pt->addr);
	pt->arch.detour = page;
	pt->arch.detour_back = pt->addr + pt->arch.opt_len;
	return 0;
}

/* int3 is at the first byte: write the jmp's tail, then its opcode. */
void arch_optimize(struct kprobe_point *pt)
{
	u8 jmp[JMP32_INSN_SIZE];

	text_gen_insn(jmp, JMP32_INSN_OPCODE, pt->addr, (unsigned long)pt->arch.detour);
	text_poke((void *)(pt->addr + 1), jmp + 1, JMP32_INSN_SIZE - 1);
	text_poke((void *)pt->addr, jmp, 1);
}

/* Back to an armed int3 probe: int3 first, then the original tail. */
void arch_unoptimize(struct kprobe_point *pt)
{
	text_poke((void *)pt->addr, x86_int3, INT3_INSN_SIZE);
	text_poke((void *)(pt->addr + 1), pt->arch.opt_orig + 1, JMP32_INSN_SIZE - 1);
}

/*
 * A task anywhere in the detour - before the handlers' call, after it, or
 * in the relocated instructions - ends at its jmp back.
 */
bool arch_detour_returns_into(const struct kprobe_point *pt, unsigned long start,
			      unsigned long end, struct code_range *detour)
{
	unsigned long page = (unsigned long)pt->arch.detour;

	if (!page || pt->arch.detour_back <= start || pt->arch.detour_back >= end)
		return false;
	*detour = (struct code_range){ page, page + PAGE_SIZE };
	return true;
}

/*
 * The detour is preemptible code (arch_in_trampoline_code()): a task may
 * be preempted in it after the probe has gone, and resumes there; and
 * another CPU may be running it - unoptimized a moment ago, the jmp was
 * still taken. The page goes only once no task is inside.
 * Context: may sleep; the probe is unhashed and disarmed.
 */
void arch_free_optimized(struct kprobe_point *pt)
{
	unsigned long page = (unsigned long)pt->arch.detour;

	if (!page)
		return;
	synchronize_rcu_tasks_range(page, page + PAGE_SIZE);
	code_sym_del(page);
	exec_pages_free(pt->arch.detour, 1);
	pt->arch.detour = NULL;
}
