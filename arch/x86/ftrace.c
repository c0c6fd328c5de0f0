// SPDX-License-Identifier: MIT
/*
 * The arch half of ftrace: what a site holds (a 5-byte NOP or a call),
 * patching many sites in one text_poke_bp batch, and per-ops trampolines
 * copied from the templates in ftrace_64.S.
 */
#include <trace/ftrace.h>
#include <asm/layout.h>
#include <asm/text-patching.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mm/vmap.h>
#include <kernel/tasks_rcu.h>
#include <lib/errno.h>
#include <lib/string.h>

extern char ftrace_caller[], ftrace_caller_end[], ftrace_caller_ops[], ftrace_caller_call[];
extern char ftrace_regs_caller[], ftrace_regs_caller_end[], ftrace_regs_caller_ops[],
	ftrace_regs_caller_call[];
extern char ftrace_regs_noip_caller[], ftrace_regs_noip_caller_end[],
	ftrace_regs_noip_caller_ops[], ftrace_regs_noip_caller_call[];

bool arch_ftrace_site_ok(unsigned long ip)
{
	u8 want[CALL_INSN_SIZE];

	text_gen_insn(want, CALL_INSN_OPCODE, ip, (unsigned long)__fentry__);
	return !memcmp((void *)ip, want, CALL_INSN_SIZE);
}

void arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 insn[MCOUNT_INSN_SIZE])
{
	if (target)
		text_gen_insn(insn, CALL_INSN_OPCODE, ip, target);
	else
		memcpy(insn, x86_nop5, NOP5_INSN_SIZE);
}

int arch_ftrace_update_sites(const unsigned long *ips, const unsigned long *targets, unsigned n)
{
	struct text_poke_loc *locs;
	unsigned i;
	int err;

	if (!n)
		return 0;
	locs = kcalloc(n, sizeof(*locs));
	if (!locs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		locs[i].addr = (void *)ips[i];
		locs[i].len = CALL_INSN_SIZE;
		arch_ftrace_site_insn(ips[i], targets[i], locs[i].insn);
	}
	err = text_poke_bp_batch(locs, n);
	kfree(locs);
	return err;
}

unsigned long arch_ftrace_list_caller(bool regs)
{
	return (unsigned long)(regs ? ftrace_regs_caller : ftrace_caller);
}

struct tramp_template {
	const char *start, *end, *ops, *call;
};

/* Without regs; with regs; with regs for an ops that never moves regs->ip. */
static const struct tramp_template templates[3] = {
	{ ftrace_caller, ftrace_caller_end, ftrace_caller_ops, ftrace_caller_call },
	{ ftrace_regs_caller, ftrace_regs_caller_end, ftrace_regs_caller_ops,
	  ftrace_regs_caller_call },
	{ ftrace_regs_noip_caller, ftrace_regs_noip_caller_end, ftrace_regs_noip_caller_ops,
	  ftrace_regs_noip_caller_call },
};

/*
 * Copy a template into a page of run-time code, then point the copy's
 * movabs at @ops and its call at @func. The copy is built in a buffer and
 * written with one text_poke(): the page is never writable.
 */
void *arch_ftrace_create_trampoline(struct ftrace_ops *ops, ftrace_func_t func, bool regs)
{
	/* An ops that may move regs->ip needs the check that follows it. */
	const struct tramp_template *t =
		&templates[!regs ? 0 : (ops->flags & FTRACE_OPS_FL_IPMODIFY) ? 1 : 2];
	size_t size = t->end - t->start;
	u8 *page = exec_pages_alloc(1), *buf;
	struct text_template copy;

	if (!page)
		return NULL;
	buf = size <= PAGE_SIZE ? kmalloc(size) : NULL;
	if (!buf)
		goto err_free_page;
	text_template_copy(&copy, buf, t->start, t->end, (unsigned long)page);
	text_template_set_call(&copy, t->call, (unsigned long)func);
	if (text_template_set_imm64(&copy, t->ops, (u64)ops) || text_poke(page, buf, size))
		goto err_free_buf;
	kfree(buf);
	/* Only a name for printing: without memory for it, a bare address. */
	code_sym_add((unsigned long)page, size, "ftrace_trampoline", "ftrace", "calls %ps", func);
	return page;

err_free_buf:
	kfree(buf);
err_free_page:
	exec_pages_free(page, 1);
	return NULL;
}

/*
 * No site calls @tramp any more, but another CPU may be inside it: in
 * its first instructions, before preemption is counted off, a tick finds
 * the CPU quiescent for RCU. Wait for such tasks, then free the page.
 */
void arch_ftrace_free_trampoline(void *tramp)
{
	if (!tramp)
		return;
	synchronize_rcu_tasks_range((unsigned long)tramp, (unsigned long)tramp + PAGE_SIZE);
	code_sym_del((unsigned long)tramp);
	exec_pages_free(tramp, 1);
}
