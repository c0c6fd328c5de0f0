// SPDX-License-Identifier: MIT
/*
 * `dis SYM|ADDR [N]`: show N instructions as the decoder sees them:
 * address, sym+off, raw bytes, length, kind, a branch's target, and the
 * instruction in AT&T syntax as objdump -d prints it (insn_print()).
 *
 * It decodes the code as it is at rest, with no probe and no tracer
 * (arch_recover_text()): an int3 or a jmp over the start of an instruction
 * would split everything after it into garbage. Under an instruction
 * someone has patched, a second line shows what the CPU really finds there
 * now, and whose patch it is:
 *
 *	... <fib+0x13/0x36>   76 19            2  jcc_rel8 -> fib+0x2e/0x36
 *	    ^ now (kprobe)    cc               1  int3
 *
 * which is how a student watches a probe's patch appear: an int3, a call
 * to an ftrace trampoline over a fentry site's NOP, a jmp to a detour -
 * whose later bytes cover the next instructions ("inside the jmp above").
 */
#include <asm/insn.h>
#include <asm/insn_print.h>
#include <asm/kprobes.h>
#include <kernel/console.h>
#include <kernel/kallsyms.h>
#include <kernel/nofault.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <lib/errno.h>
#include <lib/kstrtox.h>
#include <lib/printf.h>
#include <lib/string.h>

#define DIS_DEFAULT	16
#define DIS_MAX		256

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

/*
 * One line: @label (an address and sym+off, or the note's owner), the
 * bytes, the length, the kind (with a branch's or RIP operand's target),
 * then the instruction as objdump -d prints it:
 *
 *	... <fib+0x5/0x36>  48 89 fb   3  ordinary          mov    %rdi,%rbx
 *
 * The kind column comes first because scripts and tests read it.
 */
static void print_line(const char *label, unsigned long addr, const u8 *buf,
		       const struct insn *in)
{
	char bytes[3 * INSN_MAX_LEN + 1] = "", kind[128], text[192];
	size_t i, pos = 0;
	u64 target;

	for (i = 0; i < in->length; i++)
		pos += scnprintf(bytes + pos, sizeof(bytes) - pos, "%02x ", buf[i]);
	pos = scnprintf(kind, sizeof(kind), "%s", insn_kind_name(in->kind));
	if (!insn_branch_target(in, addr, &target))
		scnprintf(kind + pos, sizeof(kind) - pos, " -> %pS", (void *)target);
	else if (in->rip_relative && !insn_rip_target(in, addr, &target))
		scnprintf(kind + pos, sizeof(kind) - pos, " [rip -> %pS]", (void *)target);
	insn_print(text, sizeof(text), in, addr, kallsyms_name_off, NULL);
	console_printf("%-43s %-30s %2u  %-16s  %s\n", label, bytes, in->length, kind, text);
}

static void print_insn(unsigned long addr, const u8 *buf, const struct insn *in)
{
	char label[128], where[96];

	sprint_symbol(where, sizeof(where), addr);
	scnprintf(label, sizeof(label), "%016lx <%s>", addr, where);
	print_line(label, addr, buf, in);
}

static const char *patch_owner(unsigned patched)
{
	if (patched & TEXT_PATCH_OPTPROBE)
		return "optimized kprobe";
	if (patched & TEXT_PATCH_KPROBE)
		return "kprobe";
	return "ftrace";
}

/*
 * What the CPU finds at @addr now, when it differs from the original
 * instruction there; @patched says whose patch it is. @patch_end is where
 * the last live instruction shown ended: bytes before it belong to that
 * patch (the tail of a jmp over several instructions).
 */
static void print_patch(unsigned long addr, const u8 *live, size_t n, unsigned patched,
			unsigned long *patch_end)
{
	char label[64];
	struct insn now;

	scnprintf(label, sizeof(label), "%16s ^ now (%s)", "", patch_owner(patched));
	if (addr < *patch_end) {
		console_printf("%-43s inside the patch above\n", label);
		return;
	}
	if (insn_decode(&now, live, n)) {
		console_printf("%-43s %02x ... not a valid instruction\n", label, live[0]);
		return;
	}
	print_line(label, addr, live, &now);
	*patch_end = addr + now.length;
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
	unsigned long patch_end = 0;

	if (argc < 2 || argc > 3)
		return -EINVAL;
	if (parse_where(argv[1], &addr))
		return 1;
	if (argc == 3 && (shell_parse_u64("dis", "N", argv[2], &count) || !count || count > DIS_MAX)) {
		console_printf("dis: N must be 1..%d\n", DIS_MAX);
		return 1;
	}
	for (i = 0; i < count; i++) {
		u8 orig[INSN_MAX_LEN], live[INSN_MAX_LEN];
		struct insn in;
		size_t n = read_code(addr, orig, live);

		if (!n) {
			console_printf("%016lx: not mapped\n", addr);
			return i ? 0 : 1;
		}
		if (insn_decode(&in, orig, n)) {
			console_printf("%016lx: %02x ... not a valid instruction\n", addr, orig[0]);
			return 0;
		}
		print_insn(addr, orig, &in);
		if (memcmp(orig, live, in.length))
			print_patch(addr, live, n, patch_kinds(addr, in.length), &patch_end);
		addr += in.length;
	}
	return 0;
}
SHELL_COMMAND("dis", "SYM[+OFF]|ADDR [N]", "decode N instructions (default 16): bytes, length, kind, assembly", cmd_dis);
