/* SPDX-License-Identifier: MIT */
/*
 * kallsyms: the kernel's own symbol table, generated at link time
 * (scripts/kallsyms.py), so any address can be shown as sym+0xoff/0xsize
 * and any name found.
 */
#ifndef KERNEL_KALLSYMS_H
#define KERNEL_KALLSYMS_H

#include <lib/types.h>

#define KSYM_NAME_LEN	128

struct ksym {
	const char *name;
	unsigned long addr;
	unsigned long size;
	char type;		/* nm letter: T t (text), D d B b R r (data) */
};

/**
 * kallsyms_lookup_addr - the symbol containing @addr
 * @offset: set to addr - symbol start
 *
 * Returns true and fills @sym, or false if no symbol covers @addr.
 * Context: any (lock-free, read-only table).
 */
bool kallsyms_lookup_addr(unsigned long addr, struct ksym *sym, unsigned long *offset);

/* Find a symbol by exact name; prefers a global over a local of that name. */
bool kallsyms_lookup_name(const char *name, struct ksym *sym);
/* How many symbols are called @name: static ones may share it. */
unsigned kallsyms_nr_named(const char *name);

/* Number of symbols, and the i-th in address order (for iteration). */
unsigned long kallsyms_count(void);
void kallsyms_get(unsigned long i, struct ksym *sym);

static inline bool ksym_is_text(const struct ksym *s)
{
	return s->type == 'T' || s->type == 't' || s->type == 'W' || s->type == 'w';
}

/* Format @addr as "sym+0xoff/0xsize" (or hex) into @buf. Returns length. */
int sprint_symbol(char *buf, size_t size, unsigned long addr);

/*
 * Code made at run time (kernel/kallsyms_code.c): its maker names it with
 * code_sym_add() - @name and @module are string constants, @fmt (may be
 * NULL) says what the code is for - and drops the name with code_sym_del()
 * when the code goes. Returns 0 or -ENOMEM. Context: code_sym_add() may
 * kmalloc; code_sym_del() may sleep (it waits for readers of the name).
 */
__attribute__((format(printf, 5, 6)))
int code_sym_add(unsigned long addr, unsigned long size, const char *name, const char *module,
		 const char *fmt, ...);
void code_sym_del(unsigned long addr);

/*
 * Print run-time code's name for @addr as sym+off/size [module] (what),
 * the offset shown plus @shown_off; just the name if @name_only. Returns
 * the length, 0 if no run-time code covers @addr. Context: any.
 */
int code_sym_sprint(char *buf, size_t size, unsigned long addr, unsigned long shown_off,
		    bool name_only);

/*
 * The run-time code covering @addr: where it starts, its size, its name
 * and module (string constants, valid for ever). False if none does.
 * Context: any. The code may go right after: only the copy is stable.
 */
struct code_sym_info {
	unsigned long addr, size;
	const char *name, *module;
};
bool code_sym_lookup(unsigned long addr, struct code_sym_info *info);

/* Call @fn for every named piece of run-time code (for /proc/kallsyms). */
void code_syms_for_each(void (*fn)(void *arg, unsigned long addr, const char *name,
				   const char *module), void *arg);

/* Install the %pS formatter in lib/printf. */
void kallsyms_init(void);
/* Create /proc/kallsyms (once the pseudo-file tree exists). */
void kallsyms_proc_init(void);

/*
 * kallsyms_name_off - "sym" or "sym+0xoff" for @addr into @buf, objdump's
 * way of naming a branch target; false if no symbol covers @addr. Has the
 * shape of insn_sym_fn (asm/insn_print.h); @arg is unused. Context: any.
 */
bool kallsyms_name_off(uint64_t addr, char *buf, size_t size, void *arg);

#endif
