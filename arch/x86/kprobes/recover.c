// SPDX-License-Identifier: MIT
/*
 * Reading kernel text as it was before anyone patched it.
 *
 * Text in memory is not always the code the compiler wrote: an armed
 * kprobe has put an int3 (0xcc) over the first byte of its instruction, an
 * optimized kprobe a 5-byte jmp over one or more whole instructions, and
 * ftrace a call over a fentry site's NOP. A decoder that walks through
 * such a patch reads the int3 as a 1-byte instruction, or the jmp's
 * displacement as opcodes, and from there on splits every instruction in
 * the wrong place. So every reader that decodes - the boundary check, the
 * copy into a slot, the optimizer's scans, `dis` - reads through here
 * instead, as Linux's recover_probed_instruction() does: copy the live
 * bytes, then put back the bytes each patch's owner saved.
 *
 *	kprobe int3	the point's saved first byte (pt->arch.opcode)
 *	optimized jmp	the point's saved instructions (pt->arch.opt_orig)
 *	fentry site	the 5-byte NOP ftrace writes at boot and restores:
 *			the code "at rest", with nothing traced
 *
 * Context: any task context; points are looked up under RCU, so this is
 * safe with or without kprobe_mutex. Without the mutex (`dis`) a probe may
 * come or go meanwhile: the result is still the original code, since a
 * byte is only replaced by a saved copy of what was there.
 */
#include <trace/kprobes_arch.h>
#include <trace/ftrace.h>
#include <asm/text-patching.h>
#include <kernel/nofault.h>
#include <kernel/rcu.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

/* Put the @n saved bytes of [from, from + n) back where they meet
 * [addr, addr + len) in @buf; return @kind if that changed anything. */
static unsigned put_back(unsigned long addr, u8 *buf, size_t len, unsigned long from,
			 const u8 *saved, size_t n, unsigned kind)
{
	unsigned changed = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned long at = from + i;

		if (at < addr || at >= addr + len || buf[at - addr] == saved[i])
			continue;
		buf[at - addr] = saved[i];
		changed = kind;
	}
	return changed;
}

/* Fentry sites starting in [addr - 4, addr + len) hold their NOP again. */
static unsigned recover_fentry_sites(unsigned long addr, u8 *buf, size_t len)
{
	unsigned long site = addr - (CALL_INSN_SIZE - 1);
	unsigned kinds = 0;

	for (; site < addr + len; site++)
		if (ftrace_location(site) == site)
			kinds |= put_back(addr, buf, len, site, x86_nop5, CALL_INSN_SIZE,
					  TEXT_PATCH_FTRACE);
	return kinds;
}

/*
 * The armed points whose patch may reach into [addr, addr + len): an
 * int3 at the point itself, or a jmp of up to KPROBE_OPT_MAX bytes that
 * starts before @addr. Points on an fentry site patch nothing of their own.
 */
static unsigned recover_kprobes(unsigned long addr, u8 *buf, size_t len)
{
	unsigned long at = addr - (KPROBE_OPT_MAX - 1);
	unsigned kinds = 0;

	rcu_read_lock();
	for (; at < addr + len; at++) {
		struct kprobe_point *pt = kprobe_point_lookup(at);

		if (!pt || pt->on_ftrace)
			continue;
		/* via_detour is set before the jmp's first byte is written and
		 * cleared after its last is taken back: while it is set the
		 * bytes after the int3 may be part of a jmp. */
		if (READ_ONCE(pt->via_detour) || READ_ONCE(pt->optimized))
			kinds |= put_back(addr, buf, len, at, pt->arch.opt_orig,
					  pt->arch.opt_len, TEXT_PATCH_OPTPROBE);
		else
			kinds |= put_back(addr, buf, len, at, &pt->arch.opcode, 1,
					  TEXT_PATCH_KPROBE);
	}
	rcu_read_unlock();
	return kinds;
}

int arch_recover_text(unsigned long addr, u8 *buf, size_t len, unsigned *patched)
{
	unsigned kinds;

	if (copy_from_kernel_nofault(buf, (void *)addr, len))
		return -EFAULT;
	/* ftrace first: no kprobe patch ever covers an fentry site. */
	kinds = recover_fentry_sites(addr, buf, len);
	kinds |= recover_kprobes(addr, buf, len);
	if (patched)
		*patched = kinds;
	return 0;
}
