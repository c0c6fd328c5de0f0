// SPDX-License-Identifier: MIT
/*
 * What `dis` says about kprobes: whose patch a student is looking at, and
 * what each part of a probe's run-time code is for.
 *
 * A patched site: the note on dis's "now" line.
 *
 *	int3 of kprobe fib+0x13 [BOOSTED]		the trap a hit takes
 *	kprobe fib+0x5 [OPTIMIZED]			the jmp to its detour
 *	replaced by the jump of kprobe fib+0x5 [OPTIMIZED]
 *							bytes that jmp covers
 *
 * Run-time code (kernel/kallsyms_code.c names it): a note per instruction.
 *
 *	kprobe_insn_slot	the copy of the probed instruction, then a jmp
 *				back to the next original one (arch_prepare_slot)
 *	optprobe_detour		opt_64.S's template (save pt_regs, call the
 *				handlers, restore), the replaced instructions
 *				relocated, a jmp back (arch_prepare_optimized)
 *
 * Everything is read from the code itself (the jmp back says where the
 * probe is) and from the kallsyms_code entry, so a slot or a detour that
 * goes while we read just reads as unnamed; the probe points are looked
 * up under RCU. Not on the probe path: never run from a trap.
 */
#include <trace/kprobes_arch.h>
#include <kernel/kallsyms.h>
#include <kernel/nofault.h>
#include <lib/printf.h>
#include <lib/string.h>

extern char optprobe_template[], optprobe_template_end[], optprobe_template_addr[],
	optprobe_template_point[], optprobe_template_call[];

/* "fib+0x13" (objdump's way) into @buf. */
static const char *name_off(unsigned long addr, char *buf, size_t size)
{
	if (!kallsyms_name_off(addr, buf, size, NULL))
		scnprintf(buf, size, "%#lx", addr);
	return buf;
}

/* The state words kprobes/list prints, for the point at @pt. */
static const char *point_state(const struct kprobe_point *pt)
{
	if (READ_ONCE(pt->optimized))
		return " [OPTIMIZED]";
	if (READ_ONCE(pt->via_detour))
		return " [OPTIMIZING]";
	if (pt->arch.run == KPROBE_RUN_EMULATE)
		return " [EMULATED]";
	return READ_ONCE(pt->boosted) ? " [BOOSTED]" : "";
}

enum kprobe_patch_note arch_kprobe_patch_note(unsigned long addr, char *buf, size_t size)
{
	unsigned long at = addr - (KPROBE_OPT_MAX - 1);
	enum kprobe_patch_note note = KPROBE_NOTE_NONE;
	char where[KSYM_NAME_LEN + 24];

	rcu_read_lock();
	for (; at <= addr && note == KPROBE_NOTE_NONE; at++) {
		struct kprobe_point *pt = kprobe_point_lookup(at);
		bool jmp;

		if (!pt || pt->on_ftrace)
			continue;
		jmp = READ_ONCE(pt->optimized) || READ_ONCE(pt->via_detour);
		name_off(at, where, sizeof(where));
		if (at == addr && READ_ONCE(pt->optimized)) {
			scnprintf(buf, size, "kprobe %s%s", where, point_state(pt));
			note = KPROBE_NOTE_JMP;
		} else if (at == addr) {
			scnprintf(buf, size, "int3 of kprobe %s%s", where, point_state(pt));
			note = KPROBE_NOTE_INT3;
		} else if (jmp && addr < at + pt->arch.opt_len) {
			scnprintf(buf, size, "replaced by the jump of kprobe %s%s", where,
				  point_state(pt));
			note = KPROBE_NOTE_COVERED;
		}
	}
	rcu_read_unlock();
	return note;
}

/* Where the jmp rel32 at @at goes; false if @at holds none. */
static bool jmp_target(unsigned long at, unsigned long *target)
{
	u8 jmp[JMP32_INSN_SIZE];
	struct insn in;
	u64 to;

	if (copy_from_kernel_nofault(jmp, (void *)at, sizeof(jmp)) ||
	    insn_decode(&in, jmp, sizeof(jmp)) || in.kind != INSN_JMP_REL32 ||
	    insn_branch_target(&in, at, &to))
		return false;
	*target = to;
	return true;
}

/* A slot: [copy of the instruction][jmp back to the next one][unused]. */
static int describe_slot(const struct code_sym_info *cs, unsigned long addr, char *buf,
			 size_t size)
{
	unsigned long off = addr - cs->addr, back, probe;
	char where[KSYM_NAME_LEN + 24], next[KSYM_NAME_LEN + 24];
	u8 code[INSN_MAX_LEN];
	struct kprobe_point *pt;
	struct insn in;
	bool boosted;

	if (copy_from_kernel_nofault(code, (void *)cs->addr, sizeof(code)) ||
	    insn_decode(&in, code, sizeof(code)) ||
	    !jmp_target(cs->addr + in.length, &back))
		return 0;
	probe = back - in.length;
	rcu_read_lock();
	pt = kprobe_point_lookup(probe);
	boosted = pt && READ_ONCE(pt->boosted);
	rcu_read_unlock();
	name_off(probe, where, sizeof(where));
	name_off(back, next, sizeof(next));
	if (off == 0 && boosted)
		return scnprintf(buf, size, "copy of %s: a hit runs it here [BOOSTED]", where);
	if (off == 0)
		return scnprintf(buf, size, "copy of %s: a hit single-steps it here, then "
				 "#DB sends the CPU to %s", where, next);
	if (off < in.length)
		return scnprintf(buf, size, "inside the copy of %s", where);
	if (off == in.length)
		return scnprintf(buf, size, "jump back to %s (taken when boosted)", next);
	return scnprintf(buf, size, "unused: past the slot's jump back");
}

/* The part of opt_64.S's template at offset @off. */
static const char *template_part(unsigned long off)
{
	if (off < (unsigned long)(optprobe_template_addr - optprobe_template))
		return "save the registers as a struct pt_regs";
	if (off < (unsigned long)(optprobe_template_point - optprobe_template))
		return "regs->ip = the probe's address; a frame record for backtraces";
	if (off < (unsigned long)(optprobe_template_call - optprobe_template))
		return "the handlers' arguments (point, regs); preemption off";
	if (off == (unsigned long)(optprobe_template_call - optprobe_template))
		return "call the probe's handlers (kprobe_optimized_callback)";
	return "back from the handlers: restore the registers";
}

/* A detour: [template][the replaced instructions, relocated][jmp back]. */
static int describe_detour(const struct code_sym_info *cs, unsigned long addr, char *buf,
			   size_t size)
{
	unsigned long tlen = optprobe_template_end - optprobe_template;
	unsigned long off = addr - cs->addr, opt_len, back;
	char where[KSYM_NAME_LEN + 24];

	if (cs->size < tlen + JMP32_INSN_SIZE)
		return 0;
	opt_len = cs->size - tlen - JMP32_INSN_SIZE;
	if (!jmp_target(cs->addr + tlen + opt_len, &back))
		return 0;
	if (off < tlen)
		return scnprintf(buf, size, "detour: %s", template_part(off));
	if (off < tlen + opt_len)
		return scnprintf(buf, size, "relocated from %s (the jump replaced it)",
				 name_off(back - opt_len + (off - tlen), where, sizeof(where)));
	if (off == tlen + opt_len)
		return scnprintf(buf, size, "jump back to %s, after the replaced instructions",
				 name_off(back, where, sizeof(where)));
	return 0;
}

int arch_kprobe_code_note(unsigned long addr, char *buf, size_t size)
{
	struct code_sym_info cs;

	if (!code_sym_lookup(addr, &cs))
		return 0;
	if (!strcmp(cs.name, "kprobe_insn_slot"))
		return describe_slot(&cs, addr, buf, size);
	if (!strcmp(cs.name, "optprobe_detour"))
		return describe_detour(&cs, addr, buf, size);
	return 0;
}
