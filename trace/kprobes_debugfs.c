// SPDX-License-Identifier: MIT
/*
 * /sys/kernel/debug/kprobes, as on Linux:
 *
 *	list		every probe: address, k (kprobe) or r (kretprobe),
 *			sym+off, and its state: [DISABLED] [FTRACE] [OPTIMIZED],
 *			plus Loupe's [BOOSTED] and [EMULATED], hits, misses,
 *			the slot holding its copy and an optimized probe's
 *			detour, by address and name (see them with `dis`)
 *	enabled		1 or 0: write 0 to disarm every probe, 1 to re-arm
 *	blacklist	the address ranges no probe may touch
 */
#include <trace/kprobes.h>
#include <trace/tracefs.h>
#include <kernel/kallsyms.h>
#include <kernel/nokprobe.h>
#include <kernel/pseudofs.h>
#include <lib/errno.h>
#include <lib/string.h>

/*
 * "  slot 0xffffffffc0000000 <kprobe_insn_slot [kprobes]>": run-time code
 * by address (what `dis` takes) and by the name kallsyms gives it.
 */
static void show_code(struct seq_out *s, const char *what, unsigned long addr)
{
	struct code_sym_info cs;

	if (!addr)
		return;
	if (code_sym_lookup(addr, &cs))
		seq_printf(s, "  %s %#lx <%s [%s]>", what, addr, cs.name, cs.module);
	else
		seq_printf(s, "  %s %#lx", what, addr);
}

/* One line of kprobes/list. Runs under kprobe_mutex (kprobes_for_each()),
 * so the probe's point, slot and detour cannot go while it prints. */
static void show_probe(struct kprobe *p, void *arg)
{
	struct seq_out *s = arg;
	unsigned long slot = kprobe_slot_address(p), off = 0;
	struct ksym sym = { .name = "?" };
	unsigned long state = __kprobe_state(p);

	kallsyms_lookup_addr(p->addr, &sym, &off);
	seq_printf(s, "%016lx  %c  %s+0x%lx", p->addr, kprobe_is_return(p) ? 'r' : 'k',
		   sym.name, off);
	seq_printf(s, "%s%s%s%s%s", p->flags & KPROBE_FLAG_DISABLED ? " [DISABLED]" : "",
		   state & KPROBE_FLAG_FTRACE ? " [FTRACE]" : "",
		   state & KPROBE_FLAG_OPTIMIZED ? " [OPTIMIZED]" : "",
		   state & KPROBE_FLAG_BOOSTED ? " [BOOSTED]" : "",
		   state & KPROBE_FLAG_EMULATED ? " [EMULATED]" : "");
	seq_printf(s, "  hits %lu misses %lu", kprobe_nhit(p), p->nmissed);
	show_code(s, "slot", slot);
	show_code(s, "detour", kprobe_detour_address(p));
	seq_puts(s, "\n");
}

static int list_show(struct seq_out *s, void *data __always_unused)
{
	kprobes_for_each(show_probe, s);
	return 0;
}

static int enabled_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%d\n", kprobes_all_enabled());
	return 0;
}

/* kprobes/enabled: 0 disarms every probe, 1 re-arms those enabled.
 * Returns 0, -EINVAL for a word other than 0/1, or the arming error. */
static int enabled_write(const char *text, size_t len, bool append __always_unused,
			 void *data __always_unused)
{
	bool on;

	if (tracefs_get_bool(text, len, &on))
		return -EINVAL;
	return kprobes_set_enabled(on);
}

static void show_range(struct seq_out *s, unsigned long start, unsigned long end, const char *what)
{
	seq_printf(s, "0x%016lx-0x%016lx\t%s\n", start, end, what);
}

/*
 * kprobes/blacklist: the two sections no probe may enter, then each
 * function NOKPROBE_SYMBOL() lists, as "start-end name" as on Linux -
 * the same places kprobe_blacklisted() refuses.
 */
static int blacklist_show(struct seq_out *s, void *data __always_unused)
{
	const unsigned long *e;

	show_range(s, (unsigned long)__entry_text_start, (unsigned long)__entry_text_end,
		   "[entry and trampoline text]");
	show_range(s, (unsigned long)__kprobes_text_start, (unsigned long)__kprobes_text_end,
		   "[.kprobes.text: the int3/debug path]");
	for (e = __start_kprobe_blacklist; e < __stop_kprobe_blacklist; e++) {
		struct ksym sym;

		if (kallsyms_lookup_addr(*e, &sym, NULL))
			show_range(s, sym.addr, sym.addr + sym.size, sym.name);
	}
	return 0;
}

static int optimization_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%d\n", kprobes_optimization());
	return 0;
}

/* /proc/sys/debug/kprobes-optimization: 0 takes every jump-optimized
 * probe back to an int3, 1 lets the optimizer work again. */
static int optimization_write(const char *text, size_t len, bool append __always_unused,
			      void *data __always_unused)
{
	bool on;

	if (tracefs_get_switch(text, len, &on))
		return -EINVAL;
	kprobes_set_optimization(on);
	return 0;
}

static const struct pfs_file_ops optimization_ops = {
	.show = optimization_show, .write = optimization_write };
static const struct pfs_file_ops list_ops = { .show = list_show };
static const struct pfs_file_ops enabled_ops = { .show = enabled_show, .write = enabled_write };
static const struct pfs_file_ops blacklist_ops = { .show = blacklist_show };

/* Boot: the files, then the optimizer's thread (it needs the scheduler,
 * which runs by the time this is called). */
void kprobes_debugfs_init(void)
{
	struct pfs_node *dir = pfs_mkdir_p("/sys/kernel/debug/kprobes");

	if (!dir)
		return;
	pfs_create_file(dir, "list", false, &list_ops, NULL);
	pfs_create_file(dir, "enabled", true, &enabled_ops, NULL);
	pfs_create_file(dir, "blacklist", false, &blacklist_ops, NULL);
	dir = pfs_mkdir_p("/proc/sys/debug");
	if (dir)
		pfs_create_file(dir, "kprobes-optimization", true, &optimization_ops, NULL);
	kprobes_start_optimizer();
}
