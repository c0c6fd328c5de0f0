// SPDX-License-Identifier: MIT
/*
 * Lookups in the kallsyms table that the link embeds (see
 * scripts/kallsyms.py for the layout). Addresses are sorted, so lookup by
 * address is a binary search; lookup by name is a linear scan, which is
 * fine for a console command.
 */
#include <kernel/kallsyms.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <kernel/shell.h>
#include <lib/bsearch.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addresses[];
extern const u32 kallsyms_sizes[];
extern const u32 kallsyms_name_offsets[];
extern const u8 kallsyms_types[];
extern const char kallsyms_names[];

unsigned long kallsyms_count(void)
{
	return kallsyms_num;
}

void kallsyms_get(unsigned long i, struct ksym *sym)
{
	sym->name = kallsyms_names + kallsyms_name_offsets[i];
	sym->addr = kallsyms_addresses[i];
	sym->size = kallsyms_sizes[i];
	sym->type = (char)kallsyms_types[i];
}

/* Index of the last symbol starting at or below @addr, or -1. */
static long find_floor(unsigned long addr)
{
	return bsearch_floor_u64(kallsyms_addresses, (long)kallsyms_num, addr);
}

/*
 * The symbol whose extent [addr, addr+size) covers @addr, and the offset
 * into it. False for an address no symbol covers (a gap, or code made at
 * run time: see code_sym_lookup()). Any context: the table is read-only.
 */
bool kallsyms_lookup_addr(unsigned long addr, struct ksym *sym, unsigned long *offset)
{
	long i = find_floor(addr);

	/* Several symbols may share an address; any zero-size one is an alias,
	 * so step back to one whose extent covers @addr. */
	for (; i >= 0 && kallsyms_addresses[i] == kallsyms_addresses[find_floor(addr)]; i--) {
		if (addr - kallsyms_addresses[i] < kallsyms_sizes[i]) {
			kallsyms_get((unsigned long)i, sym);
			if (offset)
				*offset = addr - sym->addr;
			return true;
		}
	}
	return false;
}

/* The symbol called @name, preferring a global over statics that share
 * the name; false if none. A linear scan: not for hot paths. */
bool kallsyms_lookup_name(const char *name, struct ksym *sym)
{
	unsigned long i;
	bool found = false;

	for (i = 0; i < kallsyms_num; i++) {
		if (strcmp(kallsyms_names + kallsyms_name_offsets[i], name))
			continue;
		kallsyms_get(i, sym);
		found = true;
		if (sym->type >= 'A' && sym->type <= 'Z')
			break;		/* a global wins */
	}
	return found;
}

/* How many symbols are called @name: more than one, and a probe by that
 * name is ambiguous (the parser then asks for an address). */
unsigned kallsyms_nr_named(const char *name)
{
	unsigned long i;
	unsigned n = 0;

	for (i = 0; i < kallsyms_num; i++)
		n += !strcmp(kallsyms_names + kallsyms_name_offsets[i], name);
	return n;
}

/* "name+0xoff/0xsize" for @addr, run-time code by its maker's name, or
 * the bare address; returns the length written. Any context. */
int sprint_symbol(char *buf, size_t size, unsigned long addr)
{
	struct ksym sym;
	unsigned long off;

	int n;

	if (kallsyms_lookup_addr(addr, &sym, &off))
		return scnprintf(buf, size, "%s+0x%lx/0x%lx", sym.name, off, sym.size);
	n = code_sym_sprint(buf, size, addr, 0, false);
	return n ? n : scnprintf(buf, size, "0x%lx", addr);
}

/*
 * sym or sym+0xoff, as objdump names a branch target; the callback of the
 * instruction printer (insn_sym_fn). @arg is unused.
 */
bool kallsyms_name_off(uint64_t addr, char *buf, size_t size, void *arg __always_unused)
{
	struct ksym sym;
	unsigned long off;

	struct code_sym_info code;

	/* Run-time code (a trampoline, a slot, a detour) by its maker's name. */
	if (!kallsyms_lookup_addr(addr, &sym, &off)) {
		if (!code_sym_lookup(addr, &code))
			return false;
		sym.name = code.name;
		off = addr - code.addr;
	}
	if (off)
		scnprintf(buf, size, "%s+0x%lx", sym.name, off);
	else
		scnprintf(buf, size, "%s", sym.name);
	return true;
}

/*
 * %pS: sym+off/size; %ps: just the name; %pB: a return address on a stack.
 * A call to a function that never returns can be a function's last
 * instruction, so its return address lies one past the end: %pB looks up
 * addr - 1, which is always inside the call, and prints the offset of addr.
 */
static int format_symbol(char *buf, size_t size, unsigned long addr, char kind)
{
	struct ksym sym;
	unsigned long off;

	int n;

	if (kind == 's' && kallsyms_lookup_addr(addr, &sym, &off))
		return scnprintf(buf, size, "%s", sym.name);
	if (kind == 's' && (n = code_sym_sprint(buf, size, addr, 0, true)))
		return n;
	if (kind == 'B' && kallsyms_lookup_addr(addr - 1, &sym, &off))
		return scnprintf(buf, size, "%s+0x%lx/0x%lx", sym.name, off + 1, sym.size);
	if (kind == 'B' && (n = code_sym_sprint(buf, size, addr - 1, 1, false)))
		return n;
	return sprint_symbol(buf, size, addr);
}

/* Boot: teach printf's %pS, %ps and %pB to name addresses. */
void kallsyms_init(void)
{
	printf_set_symbol_formatter(format_symbol);
}

/* `sym NAME` or `sym ADDR`: a symbol's address and size, or where an
 * address lies. */
static int cmd_sym(int argc, char **argv)
{
	unsigned long long addr;
	struct ksym sym;
	unsigned long off;

	if (argc != 2)
		return -EINVAL;
	/* Symbol names never start with a digit: anything that does is an address. */
	if (argv[1][0] >= '0' && argv[1][0] <= '9') {
		if (kstrtoull(argv[1], 0, &addr)) {
			console_printf("sym: '%s' is not an address\n", argv[1]);
			return 1;
		}
		if (!kallsyms_lookup_addr(addr, &sym, &off)) {
			char where[KSYM_NAME_LEN + 64];

			if (code_sym_sprint(where, sizeof(where), addr, 0, false)) {
				console_printf("%#llx: %s\n", addr, where);
				return 0;
			}
			console_printf("sym: %#llx: no symbol covers this address\n", addr);
			return 1;
		}
		console_printf("%#llx: %s+0x%lx/0x%lx [%c]\n", addr, sym.name, off, sym.size, sym.type);
		return 0;
	}
	if (!kallsyms_lookup_name(argv[1], &sym)) {
		console_printf("sym: no symbol named '%s'\n", argv[1]);
		return 1;
	}
	/* Static symbols may share a name: show each, since a probe on such
	 * a name is refused and must be given by address. */
	for (off = 0; off < kallsyms_num; off++) {
		kallsyms_get(off, &sym);
		if (!strcmp(sym.name, argv[1]))
			console_printf("%s: %#lx size %#lx [%c]\n", sym.name, sym.addr, sym.size,
				       sym.type);
	}
	return 0;
}
SHELL_COMMAND(SHELL_INSPECTION, "sym", "NAME|ADDR", "look up a kernel symbol by name or by address", cmd_sym);

/*
 * /proc/kallsyms as on Linux: "address type name" for every symbol of the
 * kernel image, then the code made at run time, each with its
 * pseudo-module in brackets as Linux shows [__builtin__kprobes].
 */
static void show_code_sym(void *arg, unsigned long addr, const char *name, const char *module)
{
	seq_printf(arg, "%016lx t %s\t[%s]\n", addr, name, module);
}

/* A console read of this long list stops on Ctrl-C between kernel
 * symbols; the run-time code, a short list, follows in one go. */
static int kallsyms_show(struct seq_out *s, void *data __always_unused)
{
	struct ksym sym;
	unsigned long i;

	for (i = 0; i < kallsyms_num && !seq_interrupted(s); i++) {
		kallsyms_get(i, &sym);
		seq_printf(s, "%016lx %c %s\n", sym.addr, sym.type, sym.name);
	}
	code_syms_for_each(show_code_sym, s);
	return 0;
}

static const struct pfs_file_ops kallsyms_ops = { .show = kallsyms_show };

void kallsyms_proc_init(void)
{
	struct pfs_node *proc = pfs_mkdir_p("/proc");

	if (!proc || !pfs_create_file(proc, "kallsyms", false, &kallsyms_ops, NULL))
		pr_warn("kallsyms: cannot create /proc/kallsyms\n");
}
