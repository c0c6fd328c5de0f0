/* SPDX-License-Identifier: MIT */
/*
 * TEST SUPPORT ONLY: a function-entry hook for the rethook self-tests,
 * standing in for ftrace until ftrace exists (rethook_test_entry_64.S).
 *
 * rethook_test_entry_install(fn) patches the fentry site of the traced
 * function @fn to call the shim; from then on every call of @fn runs
 * rethook_test_entry_handler(regs), with preemption off, regs as a probe
 * on @fn's first instruction would see them (regs->sp at the return
 * address, regs->ip = @fn). rethook_test_entry_remove(fn) puts the site
 * back as it was. A handler may call rethook_try_get() and
 * rethook_hook(node, regs, true).
 */
#ifndef ASM_RETHOOK_TEST_ENTRY_H
#define ASM_RETHOOK_TEST_ENTRY_H

struct pt_regs;

typedef void (*rethook_test_entry_fn)(struct pt_regs *regs);

/* Called for every hooked entry while set; NULL: nothing is called. */
extern rethook_test_entry_fn rethook_test_entry_handler;

/*
 * Hook @fn's entry. Returns 0; -EINVAL if @fn does not start with a
 * fentry site (a `call __fentry__`, or the NOP ftrace turns it into);
 * -ENOSPC if too many sites are hooked; or text_poke_bp()'s error.
 * Context: task, may sleep.
 */
int rethook_test_entry_install(void *fn);

/* Unhook @fn. Returns 0 or -ENOENT. Context: task, may sleep. */
int rethook_test_entry_remove(void *fn);

#endif /* ASM_RETHOOK_TEST_ENTRY_H */
