// SPDX-License-Identifier: MIT
/*
 * `dis SYM|ADDR [N]`: show N instructions as the decoder sees them:
 * address, sym+off, raw bytes, length, kind, a branch's target, and the
 * instruction as objdump -d prints it. The decoding itself is the arch's
 * (arch_dis_decode(), trace/dis.h); the rest is generic.
 *
 * It decodes the code as it is at rest, with no probe and no tracer
 * (arch_recover_text()): an int3 or a jmp over the start of an instruction
 * would split everything after it into garbage. Under an instruction
 * someone has patched, a second line shows what the CPU really finds there
 * now, and whose patch it is:
 *
 *	... <fib+0x13/0x36>  76 19  2  jcc_rel8  jbe    ffff... <fib+0x2e>  -> fib+0x2e/0x36
 *	    ^ now (kprobe)   cc     1  int3      int3   ; int3 of kprobe fib+0x13 ...
 *
 * which is how a student watches a probe's patch appear: an int3, a call
 * to an ftrace trampoline over a fentry site's NOP, a jmp to a detour.
 * The "now" line ends with a note saying whose patch it is
 * (arch_kprobe_patch_note(), ftrace_site_info_at()):
 *
 *	; ftrace: ops function_trace_call -> ftrace_trampoline
 *	; int3 of kprobe fib+0x13 [BOOSTED] (original: jbe ffff... <fib+0x2e>)
 *	; kprobe fib+0x5 [OPTIMIZED]
 *	; replaced by the jump of kprobe fib+0x5 [OPTIMIZED]
 *
 * the last under each instruction a jmp covers, whose bytes are then the
 * jmp's displacement and are shown "covered", not decoded. In a kprobe's
 * slot or an optimized probe's detour each instruction's note says what
 * that part does (arch_kprobe_code_note()).
 */
#include <trace/dis.h>
#include <trace/kprobes_arch.h>
#include <kernel/console.h>
#include <kernel/kallsyms.h>
#include <kernel/nofault.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <trace/ftrace.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define DIS_DEFAULT	16
#define DIS_MAX		256
#define DIS_NOTE_LEN	160
#define DIS_LABEL_MIN	46	/* "ffffffff8011a5f0 <fib+0x0/0x36>" and room */

/* What one `dis` carries from line to line. */
struct dis_state {
	int label_width;		/* the address column: wide enough for the
					 * symbol dis starts in, so columns line up */
	char last_note[DIS_NOTE_LEN];	/* the previous slot/detour part's note */
};

/* Read up to 15 bytes at @addr, fewer if the mapping ends; returns count.
 * @orig gets the original code, @live what is in memory now. */
static size_t read_code(unsigned long addr, u8 *orig, u8 *live)
{
	size_t n;

	for (n = INSN_MAX_LEN; n; n--)
		if (!arch_recover_text(addr, orig, n, NULL) &&
		    !copy_from_kernel_nofault(live, (void *)addr, n))
			return n;
	return 0;
}

/* Who patched the @len bytes at @addr (TEXT_PATCH_*). */
static unsigned patch_kinds(unsigned long addr, size_t len)
{
	u8 orig[INSN_MAX_LEN];
	unsigned patched = 0;

	arch_recover_text(addr, orig, len, &patched);
	return patched;
}

/* The bytes column: @len bytes of @buf in hex. */
static void hex_bytes(char *out, size_t size, const u8 *buf, size_t len)
{
	size_t i, pos = 0;

	out[0] = '\0';
	for (i = 0; i < len; i++)
		pos += scnprintf(out + pos, size - pos, "%02x ", buf[i]);
}

/*
 * One line: @label (an address and sym+off, or the "now" line's owner),
 * the bytes, the length, the kind, the instruction as objdump -d prints
 * it, then a branch's target and @note (may be NULL):
 *
 *	... <fib+0x13/0x36>  76 19   2  jcc_rel8   jbe    ffff... <fib+0x2e>   -> fib+0x2e/0x36
 *
 * Every column has a fixed width, so the assembly lines up whatever the
 * kind; the target and the note come last, where their length moves
 * nothing. The kind comes before the assembly because scripts and tests
 * read it.
 */
static void print_line(const struct dis_state *ds, const char *label,
		       const u8 *buf, const struct dis_insn *in, const char *note)
{
	char bytes[3 * INSN_MAX_LEN + 1], tail[192] = "";
	size_t pos = 0;

	hex_bytes(bytes, sizeof(bytes), buf, in->length);
	if (in->has_target)
		pos = scnprintf(tail, sizeof(tail), "  -> %pS", (void *)in->target);
	if (note)
		scnprintf(tail + pos, sizeof(tail) - pos, "  ; %s", note);
	if (tail[0])
		console_printf("%-*s %-30s %2u  %-13s  %-44s%s\n", ds->label_width, label, bytes, in->length,
			       in->kind, in->text, tail);
	else
		console_printf("%-*s %-30s %2u  %-13s  %s\n", ds->label_width, label, bytes, in->length,
			       in->kind, in->text);
}

/* "ffffffff8011a5f0 <fib+0x0/0x36>"; run-time code without its "(for
 * ...)": the notes say what it is for. Returns the length. */
static int make_label(char *label, size_t size, unsigned long addr)
{
	struct code_sym_info cs;
	char where[96];

	if (code_sym_lookup(addr, &cs))
		scnprintf(where, sizeof(where), "%s+0x%lx/0x%lx", cs.name, addr - cs.addr, cs.size);
	else
		sprint_symbol(where, sizeof(where), addr);
	return scnprintf(label, size, "%016lx <%s>", addr, where);
}

/* The widest label of the symbol @addr is in (its last byte's), at least
 * DIS_LABEL_MIN: every line of a function then has its columns in place. */
static int label_width(unsigned long addr)
{
	struct code_sym_info cs;
	struct ksym sym;
	char label[128];
	unsigned long last = addr;
	int w;

	if (kallsyms_lookup_addr(addr, &sym, NULL))
		last = sym.addr + sym.size - 1;
	else if (code_sym_lookup(addr, &cs))
		last = cs.addr + cs.size - 1;
	w = make_label(label, sizeof(label), last);
	return w > DIS_LABEL_MIN ? w : DIS_LABEL_MIN;
}

/*
 * An instruction as it is at rest. In a probe's slot or detour, the note
 * says what the part it begins is for; ds->last_note is the previous one,
 * so that a part's later instructions print none.
 */
static void print_insn(struct dis_state *ds, unsigned long addr, const u8 *buf,
		       const struct dis_insn *in)
{
	char label[128], note[DIS_NOTE_LEN];
	bool new_part;

	make_label(label, sizeof(label), addr);
	if (!arch_kprobe_code_note(addr, note, sizeof(note)))
		note[0] = '\0';
	new_part = strcmp(note, ds->last_note);
	memcpy(ds->last_note, note, DIS_NOTE_LEN);
	print_line(ds, label, buf, in, note[0] && new_part ? note : NULL);
}

static const char *patch_owner(unsigned patched)
{
	if (patched & TEXT_PATCH_OPTPROBE)
		return "optimized kprobe";
	if (patched & TEXT_PATCH_KPROBE)
		return "kprobe";
	return "ftrace";
}

/* "ftrace: ops function_trace_call -> ftrace_trampoline": who calls @ip's site. */
static void ftrace_note(unsigned long ip, char *buf, size_t size)
{
	struct ftrace_site_info info;
	char tramp[KSYM_NAME_LEN + 24];
	size_t pos, i;

	if (!ftrace_site_info_at(ip, &info) || !info.target) {
		scnprintf(buf, size, "ftrace: being patched");
		return;
	}
	if (!kallsyms_name_off(info.target, tramp, sizeof(tramp), NULL))
		scnprintf(tramp, sizeof(tramp), "%#lx", info.target);
	pos = scnprintf(buf, size, info.nr_ops == 1 ? "ftrace: ops " : "ftrace: %u ops (",
			info.nr_ops);
	for (i = 0; i < info.nr_ops && i < FTRACE_SITE_FUNCS; i++)
		pos += scnprintf(buf + pos, size - pos, "%s%ps", i ? ", " : "",
				 (void *)info.funcs[i]);
	scnprintf(buf + pos, size - pos, "%s%s -> %s", info.nr_ops > FTRACE_SITE_FUNCS ? ", ..." : "",
		  info.nr_ops == 1 ? "" : ")", tramp);
}

/*
 * What the CPU finds at @addr now, when it differs from the original
 * instruction @orig there: the live
 * instruction and whose patch it is. Bytes inside an optimized probe's
 * jmp are shown as they are, not decoded: they are the jmp's displacement.
 */
static void print_patch(const struct dis_state *ds, unsigned long addr, const u8 *live, size_t n,
			const struct dis_insn *orig)
{
	const char *orig_text = orig->text;
	char label[64], note[256], bytes[3 * INSN_MAX_LEN + 1];
	unsigned patched = patch_kinds(addr, orig->length);
	enum kprobe_patch_note kind = KPROBE_NOTE_NONE;
	struct dis_insn now;
	size_t pos;

	scnprintf(label, sizeof(label), "%16s ^ now (%s)", "", patch_owner(patched));
	if (patched & TEXT_PATCH_FTRACE)
		ftrace_note(addr, note, sizeof(note));
	else
		kind = arch_kprobe_patch_note(addr, note, sizeof(note));
	if (kind == KPROBE_NOTE_COVERED) {
		hex_bytes(bytes, sizeof(bytes), live, orig->length);
		console_printf("%-*s %-30s %2u  %-13s  %-44s  ; %s\n", ds->label_width, label, bytes,
			       orig->length, "covered", "", note);
		return;
	}
	if (arch_dis_decode(&now, addr, live, n)) {
		console_printf("%-*s %02x ... not a valid instruction\n", ds->label_width, label, live[0]);
		return;
	}
	if (kind == KPROBE_NOTE_INT3) {
		pos = strlen(note);
		pos += scnprintf(note + pos, sizeof(note) - pos, " (original: ");
		/* objdump's padding after the mnemonic is one space in prose */
		for (; *orig_text && pos + 2 < sizeof(note); orig_text++)
			if (*orig_text != ' ' || note[pos - 1] != ' ')
				note[pos++] = *orig_text;
		scnprintf(note + pos, sizeof(note) - pos, ")");
	}
	print_line(ds, label, live, &now, (patched & TEXT_PATCH_FTRACE) || kind ? note : NULL);
}

/* ADDR, SYM or SYM+OFF (as kprobe_events and kprobes/list write it). */
static int parse_where(const char *arg, unsigned long *addr)
{
	char name[KSYM_NAME_LEN];
	const char *plus = strchr(arg, '+');
	unsigned long long a, off = 0;
	size_t len = plus ? (size_t)(plus - arg) : strlen(arg);
	struct ksym sym;

	if (arg[0] >= '0' && arg[0] <= '9') {
		if (kstrtoull(arg, 0, &a)) {
			console_printf("dis: '%s' is not an address\n", arg);
			return -EINVAL;
		}
		*addr = a;
		return 0;
	}
	if (plus && kstrtoull(plus + 1, 0, &off)) {
		console_printf("dis: '%s' is not an offset\n", plus + 1);
		return -EINVAL;
	}
	if (len >= sizeof(name)) {
		console_printf("dis: no symbol named '%s'\n", arg);
		return -ENOENT;
	}
	memcpy(name, arg, len);
	name[len] = '\0';
	if (!kallsyms_lookup_name(name, &sym)) {
		console_printf("dis: no symbol named '%s'\n", name);
		return -ENOENT;
	}
	/* The kernel sits at the top: fib+0x7fffffff would wrap to a small address. */
	if (__builtin_add_overflow(sym.addr, off, addr)) {
		console_printf("dis: %s runs past the end of the address space\n", arg);
		return -ERANGE;
	}
	return 0;
}

static int cmd_dis(int argc, char **argv)
{
	unsigned long addr;
	u64 count = DIS_DEFAULT, i;
	struct dis_state ds = { .last_note = "" };

	if (argc < 2 || argc > 3)
		return -EINVAL;
	if (parse_where(argv[1], &addr))
		return 1;
	if (argc == 3 && (shell_parse_u64("dis", "N", argv[2], &count) || !count || count > DIS_MAX)) {
		console_printf("dis: N must be 1..%d\n", DIS_MAX);
		return 1;
	}
	ds.label_width = label_width(addr);
	for (i = 0; i < count; i++) {
		u8 orig[INSN_MAX_LEN], live[INSN_MAX_LEN];
		struct dis_insn in;
		size_t n = read_code(addr, orig, live);

		if (!n) {
			console_printf("%016lx: not mapped\n", addr);
			return i ? 0 : 1;
		}
		if (arch_dis_decode(&in, addr, orig, n)) {
			console_printf("%016lx: %02x ... not a valid instruction\n", addr, orig[0]);
			return 0;
		}
		print_insn(&ds, addr, orig, &in);
		if (memcmp(orig, live, in.length))
			print_patch(&ds, addr, live, n, &in);
		addr += in.length;
	}
	return 0;
}
/*
 * `help dis`: a walk through every mechanism, in lines to type. Command
 * lines are indented six spaces, and what to look for follows two or more
 * spaces (tests/e2e/probe_text.py types them, so keep that shape).
 */
static const char dis_tour[] =
"Watch each probe mechanism patch fib (cd /sys/kernel/tracing first):\n"
"\n"
" 1. ftrace: the fentry NOP becomes a call to a trampoline\n"
"      echo fib > set_ftrace_filter\n"
"      echo function > current_tracer\n"
"      dis fib 1   under the NOP, \"^ now (ftrace)\": the call, and which ops it serves\n"
"      echo nop > current_tracer\n"
" 2. kprobe: an int3 over the instruction; the handler runs it from a slot\n"
"      echo 0 > /proc/sys/debug/kprobes-optimization\n"
"      echo 'p:a fib+5' >> kprobe_events\n"
"      echo 1 > events/kprobes/a/enable\n"
"      dis fib+5 1   \"^ now (kprobe)\": int3 of kprobe fib+0x5 (original: push %rbp)\n"
"      cat /sys/kernel/debug/kprobes/list   [BOOSTED], and the address of its slot\n"
"      dis SLOT 2   the copy of push %rbp, then the jump back to fib+0x6\n"
" 3. boosting: [BOOSTED] means the copy jumps back by itself: one trap a hit.\n"
"    An instruction that may fault on purpose is single-stepped instead\n"
"    (int3, run the copy with TF set, #DB, back): copy_from_kernel_nofault's load.\n"
"      dis copy_from_kernel_nofault 24   find mov (%rsi),%rax at +OFF\n"
"      echo 'p:b copy_from_kernel_nofault+OFF' >> kprobe_events\n"
"      echo 1 > events/kprobes/b/enable\n"
"      cat /sys/kernel/debug/kprobes/list   b: no [BOOSTED]\n"
"      dis SLOT 1   \"a hit single-steps it here\"\n"
" 4. optimization: a jmp to a detour replaces the int3, no trap at all\n"
"      echo 1 > /proc/sys/debug/kprobes-optimization\n"
"      sleep 500   the optimizer's turn\n"
"      dis fib+5 3   a jmp to optprobe_detour; the bytes it covers are \"covered\"\n"
"      cat /sys/kernel/debug/kprobes/list   a: [OPTIMIZED] and its detour\n"
"      dis DETOUR 80   save pt_regs, call the handlers, restore, the moved code, jump back\n"
" 5. kretprobe: rethook's trampoline takes the return address\n"
"      echo 'r:r fib' >> kprobe_events\n"
"      echo 1 > events/kprobes/r/enable\n"
"      run -c 0 fib 40 &   on the shell's CPU (ps), so that it waits while you look\n"
"      cat /proc/PID/rethook   each pending call's real return address, newest first\n"
"      bt PID   the frames marked [rethook] show the real caller\n"
"      kill PID\n"
"      echo 0 > events/enable\n"
"      echo > kprobe_events\n";

SHELL_COMMAND_MORE(SHELL_INSPECTION, "dis", "SYM[+OFF]|ADDR [N]",
		   "decode N instructions (default 16): bytes, length, kind, assembly, who patched them",
		   dis_tour, cmd_dis);
