// SPDX-License-Identifier: MIT
/*
 * Names for code made at run time.
 *
 * ftrace trampolines, kprobe instruction slots and optimized probes'
 * detours live in pages allocated while the kernel runs, so the link-time
 * symbol table (kernel/kallsyms.c) knows nothing of them, and a backtrace
 * or a disassembly through them showed a bare 0xffffffffc... address.
 * Linux names such code in kallsyms under pseudo-modules
 * ([__builtin__ftrace], [__builtin__kprobes]); here the code's maker names
 * it for as long as it exists:
 *
 *	code_sym_add(slot, KPROBE_SLOT_SIZE, "kprobe_insn_slot", "kprobes",
 *		     "for %pS", (void *)p->addr);
 *
 * and %pS, %pB, `sym ADDR`, `bt`, `dis` and /proc/kallsyms print
 *
 *	kprobe_insn_slot+0x3/0x20 [kprobes] (for fib+0x9/0x36)
 *
 * Lookups come from anywhere that prints an address, a crash included, so
 * they take no lock: the list is read under rcu_read_lock(), and removing
 * an entry waits a grace period before freeing it. Additions and removals
 * take a spinlock between themselves.
 */
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/rcu.h>
#include <kernel/spinlock.h>
#include <lib/errno.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <stdarg.h>

struct code_sym {
	struct code_sym *next;
	unsigned long addr, size;
	const char *name, *module;	/* string constants */
	char what[64];			/* "for fib+0x9/0x36", or empty */
};

static struct code_sym *code_syms;	/* newest first */
static DEFINE_SPINLOCK(code_syms_lock);

/* Name [@addr, @addr+@size) until code_sym_del(@addr); @fmt adds the
 * "(for ...)" note. Returns 0 or -ENOMEM (the code then stays nameless,
 * which costs only readability). May kmalloc. */
int code_sym_add(unsigned long addr, unsigned long size, const char *name, const char *module,
		 const char *fmt, ...)
{
	struct code_sym *cs = kzalloc(sizeof(*cs));
	unsigned long flags;
	va_list ap;

	if (!cs)
		return -ENOMEM;
	*cs = (struct code_sym){ .addr = addr, .size = size, .name = name, .module = module };
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(cs->what, sizeof(cs->what), fmt, ap);
		va_end(ap);
	}
	spin_lock_irqsave(&code_syms_lock, flags);
	cs->next = code_syms;
	rcu_assign_pointer(code_syms, cs);
	spin_unlock_irqrestore(&code_syms_lock, flags);
	return 0;
}

/* Forget the name at @addr (nothing if none) and free it after a grace
 * period. Sleeps: process context only. */
void code_sym_del(unsigned long addr)
{
	struct code_sym **link, *cs = NULL;
	unsigned long flags;

	spin_lock_irqsave(&code_syms_lock, flags);
	for (link = &code_syms; *link; link = &(*link)->next) {
		if ((*link)->addr == addr) {
			cs = *link;
			/* A reader standing on @cs still finds its way on. */
			rcu_assign_pointer(*link, cs->next);
			break;
		}
	}
	spin_unlock_irqrestore(&code_syms_lock, flags);
	if (!cs)
		return;
	/* Freed before we return, not later: a caller that counts its
	 * memory finds it all given back. The makers may sleep here. */
	synchronize_rcu();
	kfree(cs);
}

/* The entry covering @addr, in a read-side section the caller holds. */
static const struct code_sym *code_sym_find(unsigned long addr)
{
	const struct code_sym *cs;

	for (cs = rcu_dereference(code_syms); cs; cs = rcu_dereference(cs->next))
		if (addr >= cs->addr && addr - cs->addr < cs->size)
			return cs;
	return NULL;
}

/* Print the name of the run-time code covering @addr into @buf (only the
 * name with @name_only); @shown_off is added to the offset shown (%pB's
 * one-byte correction). Returns the length, 0 if no code covers @addr. */
int code_sym_sprint(char *buf, size_t size, unsigned long addr, unsigned long shown_off,
		    bool name_only)
{
	const struct code_sym *cs;
	int n = 0;

	rcu_read_lock();
	cs = code_sym_find(addr);
	if (cs && name_only)
		n = scnprintf(buf, size, "%s", cs->name);
	else if (cs)
		n = scnprintf(buf, size, "%s+0x%lx/0x%lx [%s]%s%s%s", cs->name,
			      addr - cs->addr + shown_off, cs->size, cs->module,
			      cs->what[0] ? " (" : "", cs->what, cs->what[0] ? ")" : "");
	rcu_read_unlock();
	return n;
}

/* Copy the entry covering @addr into @info; false if none. Any context. */
bool code_sym_lookup(unsigned long addr, struct code_sym_info *info)
{
	const struct code_sym *cs;

	rcu_read_lock();
	cs = code_sym_find(addr);
	if (cs)
		*info = (struct code_sym_info){ .addr = cs->addr, .size = cs->size,
						 .name = cs->name, .module = cs->module };
	rcu_read_unlock();
	return cs != NULL;
}

/* Call @fn on every entry, newest first, inside one RCU read-side
 * section: @fn must not sleep. */
void code_syms_for_each(void (*fn)(void *arg, unsigned long addr, const char *name,
				   const char *module), void *arg)
{
	const struct code_sym *cs;

	rcu_read_lock();
	for (cs = rcu_dereference(code_syms); cs; cs = rcu_dereference(cs->next))
		fn(arg, cs->addr, cs->name, cs->module);
	rcu_read_unlock();
}
