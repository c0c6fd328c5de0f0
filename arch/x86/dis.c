// SPDX-License-Identifier: MIT
/*
 * `dis SYM|ADDR [N]`: show N instructions as the decoder sees them:
 * address, sym+off, raw bytes, length, kind, and a branch's target.
 * It is how a student watches a probe's patch appear: an int3, a call to
 * a trampoline, a jump to a detour.
 */
#include <asm/insn.h>
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

/* Read up to 15 bytes at @addr, fewer if the mapping ends; returns count. */
static size_t read_code(unsigned long addr, u8 *buf)
{
	size_t n;

	for (n = INSN_MAX_LEN; n; n--)
		if (!copy_from_kernel_nofault(buf, (void *)addr, n))
			return n;
	return 0;
}

static void print_insn(unsigned long addr, const u8 *buf, const struct insn *in)
{
	char bytes[3 * INSN_MAX_LEN + 1] = "", where[96] = "<";
	size_t i, pos = 0;
	u64 target;

	for (i = 0; i < in->length; i++)
		pos += scnprintf(bytes + pos, sizeof(bytes) - pos, "%02x ", buf[i]);
	pos = 1 + sprint_symbol(where + 1, sizeof(where) - 2, addr);
	where[pos++] = '>';
	where[pos] = '\0';
	console_printf("%016lx %-26s %-30s %2u  %s", addr, where, bytes, in->length,
		       insn_kind_name(in->kind));
	if (!insn_branch_target(in, addr, &target))
		console_printf(" -> %pS", (void *)target);
	else if (in->rip_relative && !insn_rip_target(in, addr, &target))
		console_printf(" [rip -> %pS]", (void *)target);
	console_printf("\n");
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

	if (argc < 2 || argc > 3)
		return -EINVAL;
	if (parse_where(argv[1], &addr))
		return 1;
	if (argc == 3 && (shell_parse_u64("dis", "N", argv[2], &count) || !count || count > DIS_MAX)) {
		console_printf("dis: N must be 1..%d\n", DIS_MAX);
		return 1;
	}
	for (i = 0; i < count; i++) {
		u8 buf[INSN_MAX_LEN];
		struct insn in;
		size_t n = read_code(addr, buf);

		if (!n) {
			console_printf("%016lx: not mapped\n", addr);
			return i ? 0 : 1;
		}
		if (insn_decode(&in, buf, n)) {
			console_printf("%016lx: %02x ... not a valid instruction\n", addr, buf[0]);
			return 0;
		}
		print_insn(addr, buf, &in);
		addr += in.length;
	}
	return 0;
}
SHELL_COMMAND("dis", "SYM[+OFF]|ADDR [N]", "decode N instructions (default 16): bytes, length, kind", cmd_dis);
