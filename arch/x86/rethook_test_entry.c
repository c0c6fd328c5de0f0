// SPDX-License-Identifier: MIT
/*
 * TEST SUPPORT ONLY: installing and removing the rethook self-tests'
 * entry shim (rethook_test_entry_64.S) at a function's fentry site, and the
 * C side it calls. See asm/rethook_test_entry.h.
 *
 * A site is changed with text_poke_bp() from the 5-byte `call __fentry__`
 * gcc put there (or the NOP ftrace makes of it) to `call
 * rethook_test_entry`, and back to exactly the bytes it had.
 */
#include <asm/rethook_test_entry.h>
#include <asm/ptrace.h>
#include <asm/ftrace.h>
#include <asm/text-patching.h>
#include <kernel/mutex.h>
#include <kernel/nokprobe.h>
#include <kernel/preempt.h>
#include <lib/compiler.h>
#include <lib/errno.h>
#include <lib/string.h>

#define TEST_ENTRY_SITES	4

void rethook_test_entry(void);

rethook_test_entry_fn rethook_test_entry_handler;

static struct test_entry_site {
	void *fn;			/* NULL: slot free */
	u8 saved[CALL_INSN_SIZE];	/* the site's bytes before we came */
} test_entry_sites[TEST_ENTRY_SITES];
static DEFINE_MUTEX(test_entry_lock);

void rethook_test_entry_dispatch(struct pt_regs *regs);
void rethook_test_entry_dispatch(struct pt_regs *regs)
{
	rethook_test_entry_fn fn;

	/* As ftrace runs its callbacks: preemption off, so a test can wait
	 * out every running handler with synchronize_rcu(). */
	preempt_disable();
	fn = READ_ONCE(rethook_test_entry_handler);
	if (fn)
		fn(regs);
	preempt_enable();
}
NOKPROBE_SYMBOL(rethook_test_entry_dispatch);

/* Does @fn start with a fentry site we may replace? */
static bool is_fentry_site(const void *fn)
{
	u8 call_fentry[CALL_INSN_SIZE];

	text_gen_insn(call_fentry, CALL_INSN_OPCODE, (unsigned long)fn, (unsigned long)__fentry__);
	return !memcmp(fn, call_fentry, CALL_INSN_SIZE) ||
	       !memcmp(fn, x86_nop5, CALL_INSN_SIZE);
}

static struct test_entry_site *find_site(const void *fn)
{
	unsigned i;

	for (i = 0; i < TEST_ENTRY_SITES; i++)
		if (test_entry_sites[i].fn == fn)
			return &test_entry_sites[i];
	return NULL;
}

int rethook_test_entry_install(void *fn)
{
	struct test_entry_site *site;
	u8 insn[CALL_INSN_SIZE];
	int err = -EINVAL;

	mutex_lock(&test_entry_lock);
	if (!fn || find_site(fn) || !is_fentry_site(fn))
		goto out;
	err = -ENOSPC;
	site = find_site(NULL);
	if (!site)
		goto out;
	memcpy(site->saved, fn, CALL_INSN_SIZE);
	text_gen_insn(insn, CALL_INSN_OPCODE, (unsigned long)fn, (unsigned long)rethook_test_entry);
	err = text_poke_bp(fn, insn, CALL_INSN_SIZE);
	if (!err)
		site->fn = fn;
out:
	mutex_unlock(&test_entry_lock);
	return err;
}

int rethook_test_entry_remove(void *fn)
{
	struct test_entry_site *site;
	int err = -ENOENT;

	mutex_lock(&test_entry_lock);
	site = fn ? find_site(fn) : NULL;
	if (site) {
		err = text_poke_bp(fn, site->saved, CALL_INSN_SIZE);
		if (!err)
			site->fn = NULL;
	}
	mutex_unlock(&test_entry_lock);
	return err;
}
