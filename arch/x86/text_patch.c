// SPDX-License-Identifier: MIT
/*
 * Live code patching: text_poke() and the int3 breakpoint protocol of
 * text_poke_bp() (see asm/text-patching.h for the contract).
 *
 * The temporary alias lives in two fixmap pages, mapped read-write and
 * no-execute only for the duration of one write, under text_mutex. The
 * target mapping is never made writable.
 *
 * Other CPUs run the code being patched. After each step every CPU
 * executes a serializing instruction (text_poke_sync(): an IPI to each),
 * so none goes on with instructions it fetched before the step.
 */
#include <asm/text-patching.h>
#include <asm/insn.h>
#include <asm/layout.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/ptrace.h>
#include <asm/cpu.h>
#include <asm/sections.h>
#include <kernel/arch.h>
#include <kernel/mm/vmap.h>
#include <kernel/mutex.h>
#include <kernel/preempt.h>
#include <kernel/smp.h>
#include <lib/atomic.h>
#include <lib/errno.h>
#include <lib/string.h>

static DEFINE_MUTEX(text_mutex);

/*
 * The batch the int3 handler consults while it is being applied, and how
 * many hold it: the patcher one while the batch is live, each handler
 * reading it one more. The batch lives on the patcher's stack, so the
 * patcher may not return while a handler still reads it; it drops its
 * reference and waits for the others to drop theirs, as Linux does,
 * rather than interrupting every CPU a fourth time.
 */
static struct text_poke_loc *bp_locs;
static unsigned bp_nr;
static atomic_t bp_refs;
atomic_long_t text_poke_int3_hits;	/* CPUs sent on by the handler */

static bool patchable(unsigned long addr, size_t len)
{
	unsigned long end = addr + len;

	if (end <= addr)
		return false;		/* empty, or wraps past the top */
	if (addr >= (unsigned long)__text_start && end <= (unsigned long)__text_end)
		return true;
	/* Run-time code: both ends in the exec area and really mapped. */
	return exec_area_contains(addr) && exec_area_contains(end - 1) &&
	       page_is_mapped(addr, NULL, NULL) && page_is_mapped(end - 1, NULL, NULL);
}

static phys_addr_t code_phys(unsigned long addr)
{
	if (addr >= KERNEL_VMA_BASE && !exec_area_contains(addr))
		return __pa((void *)addr);
	return virt_to_phys_walk(addr);
}

/*
 * Store @byte's own value back with an atomic compare-and-exchange: a
 * write for an emulator to see (text_poke_refetch()), which can never
 * undo a patch another CPU makes at the same moment.
 */
static void rewrite_byte(u8 *byte)
{
	u8 old = READ_ONCE(*byte);

	cmpxchg(byte, old, old);
}

/* Write through the alias. Caller holds text_mutex. */
static int __text_poke(void *addr, const void *opcode, size_t len)
{
	unsigned long a = (unsigned long)addr, off = a & ~PAGE_MASK;
	bool crosses = off + len > PAGE_SIZE;
	unsigned long alias = fix_to_virt(FIX_TEXT_POKE0);
	int err;

	if (!len || len > PAGE_SIZE)
		return -EINVAL;
	if (!patchable(a, len))
		return -EFAULT;
	preempt_disable();
	err = map_page(alias, code_phys(a & PAGE_MASK), PAGE_KERNEL_RW);
	if (!err && crosses)
		err = map_page(fix_to_virt(FIX_TEXT_POKE1), code_phys((a & PAGE_MASK) + PAGE_SIZE),
			       PAGE_KERNEL_RW);
	/*
	 * Only the CPU holding text_mutex ever touches the alias, and it
	 * unmaps it before letting go. But this CPU may still hold, from
	 * some earlier use, a TLB entry for the alias that points at another
	 * page: flush it here, after mapping and before writing. Other CPUs'
	 * entries need no shootdown - they never write through the alias.
	 */
	invlpg(alias);
	if (crosses)
		invlpg(fix_to_virt(FIX_TEXT_POKE1));
	if (!err)
		memcpy((void *)(alias + off), opcode, len);
	unmap_page(alias);
	if (crosses)
		unmap_page(fix_to_virt(FIX_TEXT_POKE1));
	preempt_enable();
	return err ? -ENOMEM : 0;
}

static void do_sync_core(void *unused __always_unused)
{
	sync_core();
}

void text_poke_sync(void)
{
	on_each_cpu(do_sync_core, NULL);
}

/*
 * After a patch and a text_poke_sync(): write each patched byte again
 * (text_poke_refetch()). Under QEMU's TCG with several CPUs, another CPU
 * that was translating this code while we wrote it can keep the old
 * bytes' translation for ever - an int3 just armed that it never traps
 * on, or a call to a trampoline already freed. Once it has taken the
 * sync IPI it has finished any such translation, and the second write
 * discards it. Real CPUs need none of this; it costs one locked write per
 * byte.
 */
static void text_poke_refetch_range(const void *addr, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		phys_addr_t pa = code_phys((unsigned long)addr + i);

		if (pa != (phys_addr_t)-1)
			rewrite_byte(__va(pa));
	}
}

int text_poke(void *addr, const void *opcode, size_t len)
{
	int err;

	mutex_lock(&text_mutex);
	err = __text_poke(addr, opcode, len);
	mutex_unlock(&text_mutex);
	text_poke_sync();
	if (!err)
		text_poke_refetch_range(addr, len);
	if (!err && memcmp(addr, opcode, len))
		err = -EIO;		/* the alias did not reach the code: a bug */
	return err;
}

static bool is_nop(const struct insn *in)
{
	return (in->opcode.map == INSN_MAP_1BYTE && in->opcode.value == 0x90) ||
	       (in->opcode.map == INSN_MAP_0F && in->opcode.value == 0x1f);
}

/* Can int3 stand in for @loc's new instruction? */
static bool loc_emulatable(const struct text_poke_loc *loc)
{
	struct insn in;

	if (insn_decode(&in, loc->insn, loc->len) || in.length != loc->len)
		return false;
	return is_nop(&in) || in.kind == INSN_CALL_REL32 ||
	       in.kind == INSN_JMP_REL32 || in.kind == INSN_JMP_REL8;
}

static int check_batch(struct text_poke_loc *locs, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		unsigned long a = (unsigned long)locs[i].addr;

		if (!locs[i].len || locs[i].len > POKE_MAX_LEN || !loc_emulatable(&locs[i]))
			return -EINVAL;
		if (!patchable(a, locs[i].len))
			return -EFAULT;
		if (i && a < (unsigned long)locs[i - 1].addr + locs[i - 1].len)
			return -EINVAL;		/* unsorted or overlapping */
	}
	return 0;
}

int text_poke_bp_batch(struct text_poke_loc *locs, unsigned n)
{
	unsigned i;
	int err = check_batch(locs, n);

	if (err || !n)
		return err;
	mutex_lock(&text_mutex);
	bp_nr = n;
	WRITE_ONCE(bp_locs, locs);
	atomic_set_release(&bp_refs, 1);	/* publishes both */

	for (i = 0; i < n && !err; i++)
		err = __text_poke(locs[i].addr, x86_int3, INT3_INSN_SIZE);
	text_poke_sync();
	for (i = 0; i < n && !err; i++)
		if (locs[i].len > 1)
			err = __text_poke((u8 *)locs[i].addr + 1, locs[i].insn + 1, locs[i].len - 1);
	text_poke_sync();
	for (i = 0; i < n && !err; i++)
		err = __text_poke(locs[i].addr, locs[i].insn, 1);
	text_poke_sync();

	/*
	 * No int3 of the batch is left in memory. Under TCG another CPU may
	 * still run a stale translation of one, and the handler would keep
	 * sending it on, holding the batch, for as long as it loops: make
	 * it translate again first (text_poke_refetch_range()). Then stop
	 * handing the batch out and wait for the handlers that have it.
	 */
	for (i = 0; i < n && !err; i++)
		text_poke_refetch_range(locs[i].addr, locs[i].len);
	if (atomic_dec_return(&bp_refs))
		while (atomic_read_acquire(&bp_refs))
			cpu_relax();
	WRITE_ONCE(bp_locs, NULL);
	mutex_unlock(&text_mutex);
	return err;
}

int text_poke_bp(void *addr, const void *opcode, size_t len)
{
	struct text_poke_loc loc = { .addr = addr, .len = (u8)len };

	if (len > POKE_MAX_LEN)
		return -EINVAL;
	memcpy(loc.insn, opcode, len);
	return text_poke_bp_batch(&loc, 1);
}

static const struct text_poke_loc *find_loc(struct text_poke_loc *locs, unsigned n,
					    unsigned long ip)
{
	unsigned lo = 0, hi = n;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		unsigned long a = (unsigned long)locs[mid].addr;

		if (a == ip)
			return &locs[mid];
		if (a < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * A CPU that trapped on an int3 which memory no longer holds, a second
 * time in a row at the same place, is running a stale copy of the code. A
 * real CPU refetches after the iret, so this never happens on hardware;
 * but an emulator that translates code (QEMU's TCG with several CPUs) can
 * miss a change another CPU made and keep running its old translation -
 * here, of the int3 - for ever. A write to the byte through another
 * mapping makes it translate again. The write is an atomic compare-and-
 * exchange of the byte with itself, so a patch another CPU makes at the
 * same moment is never undone. Context: the int3 trap.
 */
void text_poke_refetch(unsigned long addr)
{
	/* Kernel text only: its direct-map alias needs no page-table walk
	 * (which this trap path may not run: it is probeable). */
	if (addr < (unsigned long)__text_start || addr >= (unsigned long)__text_end)
		return;
	rewrite_byte(__va(__pa((void *)addr)));
}

/* A reference to the live batch, or false when there is none. */
static bool bp_get(void)
{
	int refs = atomic_read(&bp_refs);

	do {
		if (!refs)
			return false;
	} while (!atomic_try_cmpxchg(&bp_refs, &refs, refs + 1));
	return true;
}

static void bp_put(void)
{
	atomic_dec_return_release(&bp_refs);
}

/*
 * Would sending the CPU to @target keep it from ever being preempted? The
 * int3 handler runs with interrupts off, so a tick that comes meanwhile is
 * taken right after the iret, at @target - and a tick that finds a task in
 * trampoline code (a call to __fentry__ or to an ftrace trampoline) only
 * leaves need_resched set. A task that calls the patched function in a loop
 * spends nearly all its time in this handler, so every tick would find it
 * there: if the patcher itself was preempted inside the breakpoint window
 * on the same CPU, neither would ever run again.
 */
static bool preemption_lost_at(const struct pt_regs *regs, unsigned long target)
{
	return this_cpu_read(need_resched_flag) && (regs->flags & X86_EFLAGS_IF) &&
	       preempt_count() == NMI_OFFSET &&	/* the trapped code was preemptible */
	       arch_in_trampoline_code(target);
}

/*
 * Emulate @loc's new instruction for the CPU that trapped on its int3 -
 * unless that would lose a due preemption: then leave it at the int3,
 * where the next tick preempts it, and it traps again when it resumes.
 */
static bool emulate_loc(struct pt_regs *regs, const struct text_poke_loc *loc)
{
	struct insn in;
	u64 target;

	if (!loc || insn_decode(&in, loc->insn, loc->len))
		return false;
	if (in.kind == INSN_CALL_REL32 || in.kind == INSN_JMP_REL32 || in.kind == INSN_JMP_REL8)
		insn_branch_target(&in, regs->ip, &target);
	else
		target = regs->ip + in.length;		/* a NOP */
	if (preemption_lost_at(regs, target))
		return true;
	atomic_long_inc(&text_poke_int3_hits);
	if (in.kind == INSN_CALL_REL32) {
		regs->sp -= 8;
		*(unsigned long *)regs->sp = regs->ip + in.length;
	}
	regs->ip = target;
	return true;
}

/*
 * Context: the int3 trap, on its own IST stack, interrupts off. regs->ip
 * is the trap's address. Emulating a call pushes onto the *interrupted*
 * stack, which the IST stack keeps clear of this handler's own frame.
 */
bool text_poke_int3_handler(struct pt_regs *regs)
{
	bool handled;

	if (!bp_get())
		return false;
	handled = emulate_loc(regs, find_loc(bp_locs, bp_nr, regs->ip));
	bp_put();
	return handled;
}
