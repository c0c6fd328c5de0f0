// SPDX-License-Identifier: MIT
/*
 * The benchmark's scale figures: how long the big operations take.
 *
 *	ftrace_boot_nop		NOPing every fentry site at boot
 *	function_all_on/off	the function tracer on every function, and off
 *	kprobes_register_1000	registering 1,000 kprobes on distinct instructions
 *	kprobes_unregister_1000	and removing them in one batch
 *	fprobe_all_register	an fprobe (entry + exit) on every traceable
 *				function: filter, node pool, patching
 *	fprobe_all_unregister	and removing it
 */
#include <trace/bench.h>
#include <trace/dis.h>
#include <trace/fprobe.h>
#include <trace/ftrace.h>
#include <trace/kprobes_arch.h>
#include <trace/trace.h>
#include <trace/tracefs.h>
#include <kernel/console.h>
#include <kernel/kallsyms.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include <lib/errno.h>

#define SCALE_KPROBES	1000

extern u64 ftrace_boot_nop_ns;

/* One "BENCH kind=... count=... ms=..." line, the form that
 * scripts/bench-table.py reads to build BENCH.md. */
static void print_ms(const char *kind, u64 ns, unsigned long count)
{
	console_printf("BENCH kind=%s count=%lu ms=%llu.%03llu\n", kind, count,
		       (unsigned long long)(ns / NSEC_PER_MSEC),
		       (unsigned long long)(ns % NSEC_PER_MSEC / NSEC_PER_USEC));
}

/* The function tracer on every function (an empty filter), then off:
 * one patching batch each way over every fentry site. */
static void time_function_tracer(void)
{
	u64 t0;

	ftrace_set_filter(&trace_ops, "", true);
	t0 = clock_ns();
	if (trace_set_tracer("function"))
		return;
	print_ms("function_all_on", clock_ns() - t0, ftrace_rec_count());
	t0 = clock_ns();
	trace_set_tracer("nop");
	print_ms("function_all_off", clock_ns() - t0, ftrace_rec_count());
}

/*
 * Candidate addresses: the second and later instructions of traceable
 * kernel functions (not fentry sites: those go through ftrace).
 * Registration refuses some (blacklisted, not probe-able): we skip those.
 */
static unsigned collect_addresses(unsigned long *addrs, unsigned max)
{
	unsigned long i, n = kallsyms_count();
	unsigned count = 0;

	for (i = 0; i < n && count < max; i++) {
		struct ksym sym;
		unsigned long pc;

		kallsyms_get(i, &sym);
		if (!ksym_is_text(&sym) || !sym.size || !ftrace_location(sym.addr))
			continue;
		for (pc = sym.addr + MCOUNT_INSN_SIZE; pc < sym.addr + sym.size && count < max;) {
			u8 buf[INSN_MAX_LEN];
			struct dis_insn in;

			/* The original code: probes already placed must not
			 * split the decoding (arch_recover_text()). */
			if (arch_recover_text(pc, buf, sizeof(buf), NULL) ||
			    arch_dis_decode(&in, pc, buf, sizeof(buf)))
				break;
			addrs[count++] = pc;
			pc += in.length;
		}
	}
	return count;
}

/* Register up to @want disabled kprobes one by one (timing only the
 * successful calls), then remove them all in one batch, which waits a
 * single grace period. Sleeps. */
static void time_kprobes(unsigned want)
{
	unsigned long *addrs = kcalloc(4 * want, sizeof(*addrs));
	struct kprobe *kps = kcalloc(want, sizeof(*kps));
	struct kprobe **ptrs = kcalloc(want, sizeof(*ptrs));
	unsigned n = 0, i, cand;
	u64 spent = 0, t0;

	if (!addrs || !kps || !ptrs)
		goto out;
	cand = collect_addresses(addrs, 4 * want);
	for (i = 0; i < cand && n < want; i++) {
		kps[n] = (struct kprobe){ .addr = addrs[i], .flags = KPROBE_FLAG_DISABLED };
		t0 = clock_ns();
		if (!register_kprobe(&kps[n])) {
			spent += clock_ns() - t0;
			ptrs[n] = &kps[n];
			n++;
		}
	}
	print_ms("kprobes_register_1000", spent, n);
	t0 = clock_ns();
	unregister_kprobes(ptrs, n);
	print_ms("kprobes_unregister_1000", clock_ns() - t0, n);
out:
	kfree(addrs);
	kfree(kps);
	kfree(ptrs);
}

static int fp_all_entry(struct fprobe *fp __always_unused, unsigned long ip __always_unused,
			unsigned long ret_ip __always_unused,
			struct pt_regs *regs __always_unused, void *entry_data __always_unused)
{
	return 0;
}

static void fp_all_exit(struct fprobe *fp __always_unused, unsigned long ip __always_unused,
			unsigned long ret_ip __always_unused,
			struct pt_regs *regs __always_unused, void *entry_data __always_unused)
{
}

/* An fprobe on "*" with both handlers (the handlers do nothing: only the
 * set-up and tear-down are timed). */
static void time_fprobe_all(void)
{
	static struct fprobe fp;
	unsigned n;
	u64 t0;
	int err;

	fp = (struct fprobe){ .entry_handler = fp_all_entry, .exit_handler = fp_all_exit };
	t0 = clock_ns();
	err = register_fprobe(&fp, "*", NULL);
	if (err) {
		console_printf("bench: fprobe_all: %s\n", errno_message(err));
		return;
	}
	n = fprobe_nr_functions(&fp);
	print_ms("fprobe_all_register", clock_ns() - t0, n);
	t0 = clock_ns();
	unregister_fprobe(&fp);
	print_ms("fprobe_all_unregister", clock_ns() - t0, n);
}

/* Every scale figure in turn; @quick registers 50 kprobes, not 1000. */
void bench_scale_figures(bool quick)
{
	print_ms("ftrace_boot_nop", ftrace_boot_nop_ns, ftrace_rec_count());
	time_function_tracer();
	time_kprobes(quick ? 50 : SCALE_KPROBES);
	time_fprobe_all();
}
