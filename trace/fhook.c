// SPDX-License-Identifier: MIT
/*
 * Function hooks (see fhook.h), in the manner of the ftrace-hooking guide
 * the design notes cite: SAVE_REGS + IPMODIFY, the original reached past
 * its fentry site, a table installed with roll-back, a global switch, and
 * an in-flight count that removal waits on.
 */
#include <trace/fhook.h>
#include <kernel/kallsyms.h>
#include <kernel/nokprobe.h>
#include <kernel/sched.h>
#include <asm/ptrace.h>
#include <lib/atomic.h>
#include <lib/errno.h>

static bool hooks_enabled = true;
static atomic_long_t in_flight;

/* Release/acquire: a replacement that sees the switch on sees what was
 * set up before it was turned on. */
void fhook_enable(void)
{
	smp_store_release(&hooks_enabled, true);
}

void fhook_disable(void)
{
	smp_store_release(&hooks_enabled, false);
}

/* Read on every hooked call, from the ftrace callback: never probed. */
bool fhook_is_enabled(void)
{
	return smp_load_acquire(&hooks_enabled);
}
NOKPROBE_SYMBOL(fhook_is_enabled);

/* The _return forms are fully ordered: the count brackets the call. */
void fhook_enter(void)
{
	atomic_long_inc_return(&in_flight);
}

void fhook_exit(void)
{
	atomic_long_dec_return(&in_flight);
}

/* Replacements running now, on any CPU; removal waits for 0. */
long fhook_in_flight(void)
{
	return atomic_long_read_acquire(&in_flight);
}

/* Redirect the call to the replacement, unless hooks are switched off. */
static __kprobes void fhook_callback(unsigned long ip __always_unused,
				     unsigned long parent_ip __always_unused,
				     struct ftrace_ops *op, struct pt_regs *regs)
{
	struct fhook *h = op->private;

	if (fhook_is_enabled())
		regs->ip = (unsigned long)h->replacement;
}

/*
 * Hook one function: check it has a fentry site, note where its
 * original continues (just past the site, so calling it does not loop
 * back into the hook), and register an ops filtered to that one site.
 * Returns 0, -ENOENT (no such traceable function) or ftrace's error,
 * -EBUSY for a second IPMODIFY user. Task context; sleeps.
 */
static int fhook_one(struct fhook *h)
{
	struct ksym sym;
	int err;

	if (!kallsyms_lookup_name(h->name, &sym) || ftrace_location(sym.addr) != sym.addr)
		return -ENOENT;
	h->address = sym.addr;
	h->orig = (void *)(sym.addr + MCOUNT_INSN_SIZE);
	h->ops = (struct ftrace_ops){
		.func = fhook_callback,
		.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_RECURSION,
		.private = h,
	};
	err = ftrace_set_filter_ip(&h->ops, sym.addr, false, true);
	if (!err)
		err = register_ftrace_function(&h->ops);
	if (err)
		ftrace_free_filter(&h->ops);
	return err;
}

/* Unregister one hook: once it returns no new call is redirected. */
static void unhook_one(struct fhook *h)
{
	unregister_ftrace_function(&h->ops);
	ftrace_free_filter(&h->ops);
}

/* Every entry names a function and a replacement (a NULL one would send
 * every call to address 0). */
static bool table_is_complete(const struct fhook *hooks, size_t n)
{
	size_t i;

	if (!hooks && n)
		return false;
	for (i = 0; i < n; i++)
		if (!hooks[i].name || !hooks[i].replacement)
			return false;
	return true;
}

/* All or nothing: a hook that fails undoes those before it. */
int fhook_install(struct fhook *hooks, size_t n)
{
	size_t i;
	int err;

	if (!table_is_complete(hooks, n))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		err = fhook_one(&hooks[i]);
		if (err) {
			while (i--)
				unhook_one(&hooks[i]);
			return err;
		}
	}
	return 0;
}

/* Unhook the table, then wait for replacements still running (they
 * bracket themselves with fhook_enter/exit). Sleeps. */
void fhook_remove(struct fhook *hooks, size_t n)
{
	size_t i = n;

	/* Last first, the mirror of install: a replacement may call a
	 * function hooked earlier in the table, whose hook must outlive it. */
	while (i--)
		unhook_one(&hooks[i]);
	/* No new call reaches a replacement now; wait for those under way. */
	while (fhook_in_flight())
		msleep(1);
}
