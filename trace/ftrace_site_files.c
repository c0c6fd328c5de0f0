// SPDX-License-Identifier: MIT
/*
 * The tracefs files that show the fentry sites themselves, line for line
 * Linux 6.12's:
 *
 *	enabled_functions	the sites that call something now, and what
 *	touched_functions	the sites that have called something since
 *				boot, in the same layout (Linux fills it only
 *				with CONFIG_FUNCTION_TRACER's "touched" debug
 *				bit; Debian's 6.12 has it)
 *	available_filter_functions_addrs	"ADDR NAME" for every site
 *	dyn_ftrace_total_info	how many sites, the pages their records
 *				take, and the groups they were allocated in
 *				(one here: all at boot)
 *
 * A line of enabled_functions: the function, how many ops trace it, the
 * flag columns (R: saves all registers, I: may change the ip, D: direct
 * call, O: call ops - Loupe has neither of these two - and M: modified,
 * here while an IPMODIFY ops has it), then what the site calls: with one
 * ops, its own trampoline and callback
 *
 *	fib (1)           	tramp: 0xffffffffc0001000 (function_trace_call+0x0/0x4e) ->function_trace_call+0x0/0x4e
 *
 * (the trampoline a bare address, as Linux's %pS prints its ftrace
 * trampolines; `sym ADDR` names it); with several, the list function
 * that calls each one's callback:
 *
 *	fib (2)            ->ftrace_ops_list_func+0x0/0x8e
 *
 * A touched site that calls nothing now shows (0) and no target: Linux
 * names its ftrace_stub there, which a NOP here does not call.
 */
#include <trace/trace.h>
#include <trace/ftrace.h>
#include <kernel/pseudofs.h>
#include <lib/printf.h>

static void print_site(struct seq_out *s, unsigned long ip, const struct ftrace_site_info *info)
{
	seq_printf(s, "%ps (%u)%s%s%s%s%s", (void *)ip, info->nr_ops, info->regs ? " R" : "  ",
		   info->ipmodify ? " I" : "  ", "  ", "  ", info->ipmodify ? " M " : "   ");
	if (info->nr_ops == 1 && info->target)
		seq_printf(s, "\ttramp: 0x%lx (%pS) ->%pS", info->target, (void *)info->func,
			   (void *)info->func);
	else if (info->nr_ops > 1)
		seq_printf(s, " ->%pS", (void *)ftrace_ops_list_func);
	seq_puts(s, "\n");
}

/* Every site that calls something now (@data NULL), or ever did. */
static int sites_show(struct seq_out *s, void *data)
{
	bool touched = data != NULL;
	unsigned long ip;
	unsigned i;

	for (i = 0; ftrace_rec_ip(i, &ip) && !seq_interrupted(s); i++) {
		struct ftrace_site_info info;

		ftrace_site_info(i, &info);
		if (touched ? info.touched : info.target != 0)
			print_site(s, ip, &info);
	}
	return 0;
}

static int addrs_show(struct seq_out *s, void *data __always_unused)
{
	unsigned long ip;
	unsigned i;

	for (i = 0; ftrace_rec_ip(i, &ip) && !seq_interrupted(s); i++)
		seq_printf(s, "%lx %ps\n", ip, (void *)ip);
	return 0;
}

static int total_info_show(struct seq_out *s, void *data __always_unused)
{
	seq_printf(s, "%u pages:%u groups: %u\n", ftrace_rec_count(), ftrace_rec_pages(), 1);
	return 0;
}

static const struct pfs_file_ops sites_ops = { .show = sites_show };
static const struct pfs_file_ops addrs_ops = { .show = addrs_show };
static const struct pfs_file_ops total_info_ops = { .show = total_info_show };
static int touched_flag = 1;

void ftrace_site_files_init(struct pfs_node *tracefs)
{
	pfs_create_file(tracefs, "enabled_functions", false, &sites_ops, NULL);
	pfs_create_file(tracefs, "touched_functions", false, &sites_ops, &touched_flag);
	pfs_create_file(tracefs, "available_filter_functions_addrs", false, &addrs_ops, NULL);
	pfs_create_file(tracefs, "dyn_ftrace_total_info", false, &total_info_ops, NULL);
}
