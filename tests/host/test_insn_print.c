// SPDX-License-Identifier: MIT
/*
 * Host tests for the instruction printer (arch/x86/insn_print.c): one
 * instruction of each operand shape and prefix rule, with the exact text
 * objdump -d prints for it (padding included), symbol names for branch and
 * RIP-relative targets, and "(unknown)" for a class the printer leaves out.
 * tools/insn-oracle/print-oracle.c compares whole binaries with objdump.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <asm/insn.h>
#include <asm/insn_print.h>
#include <lib/compiler.h>
#include <lib/errno.h>

#define ADDR	0xffffffff80100000ull

struct print_case {
	uint8_t bytes[INSN_MAX_LEN];
	unsigned int len;
	const char *text;
};

#define P(t, ...) { { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), t }

/* Names every address as fib+off, from ADDR. */
static bool fake_sym(uint64_t addr, char *buf, size_t size, void *arg)
{
	(void)arg;
	if (addr < ADDR)
		return false;
	if (addr == ADDR)
		snprintf(buf, size, "fib");
	else
		snprintf(buf, size, "fib+0x%llx", (unsigned long long)(addr - ADDR));
	return true;
}

static const struct print_case cases[] = {
	P("mov    %rsp,%rbp", 0x48, 0x89, 0xe5),
	P("push   %r12", 0x41, 0x54),
	P("shr    $0x10,%edx", 0xc1, 0xea, 0x10),
	P("sbb    $0xffffffff,%ebx", 0x83, 0xdb, 0xff),
	P("push   $0xffffffffffffffff", 0x6a, 0xff),
	P("movb   $0x1,(%rsp)", 0xc6, 0x04, 0x24, 0x01),
	P("shll   %cl,(%rax)", 0xd3, 0x20),
	P("ror    %eax", 0xd1, 0xc8),
	P("movzbl %al,%eax", 0x0f, 0xb6, 0xc0),
	P("movslq %eax,%rdx", 0x48, 0x63, 0xd0),
	P("cltq", 0x48, 0x98),
	P("lea    0x0(%rsi,%riz,1),%esi", 0x8d, 0x74, 0x26, 0x00),
	P("mov    0x8(,%rax,8),%eax", 0x8b, 0x04, 0xc5, 0x08, 0, 0, 0),
	P("mov    0xffffffffffffff80,%eax", 0x8b, 0x04, 0x25, 0x80, 0xff, 0xff, 0xff),
	P("mov    %gs:0x28,%rax", 0x65, 0x48, 0x8b, 0x04, 0x25, 0x28, 0, 0, 0),
	P("mov    -0x2a(%rbp),%eax", 0x8b, 0x45, 0xd6),
	P("mov    (%eax),%eax", 0x67, 0x8b, 0x00),
	P("call   *0x28(%rax)", 0xff, 0x50, 0x28),
	P("notrack jmp *%rax", 0x3e, 0xff, 0xe0),
	P("lock xadd %edx,0x10(%rip)        # ffffffff80100018 <fib+0x18>",
	  0xf0, 0x0f, 0xc1, 0x15, 0x10, 0, 0, 0),
	P("call   ffffffff80100000 <fib>", 0xe8, 0xfb, 0xff, 0xff, 0xff),
	P("jne    ffffffff80100010 <fib+0x10>", 0x75, 0x0e),
	P("rep stos %rax,%es:(%rdi)", 0xf3, 0x48, 0xab),
	P("movsb  %ds:(%rsi),%es:(%rdi)", 0xa4),
	P("repz cmpsb %es:(%rdi),%ds:(%rsi)", 0xf3, 0xa6),
	P("data16 cs nopw 0x0(%rax,%rax,1)", 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0),
	P("xchg   %ax,%ax", 0x66, 0x90),
	P("xchg   %eax,%r8d", 0x41, 0x90),
	P("nop", 0x90),
	P("rex.W nop", 0x48, 0x90),
	P("pause", 0xf3, 0x90),
	P("repz ret", 0xf3, 0xc3),
	P("bnd ret", 0xf2, 0xc3),
	P("endbr64", 0xf3, 0x0f, 0x1e, 0xfa),
	P("enter  $0x10,$0x0", 0xc8, 0x10, 0x00, 0x00),
	P("in     $0x60,%al", 0xe4, 0x60),
	P("out    %al,(%dx)", 0xee),
	P("mov    %cr3,%rax", 0x0f, 0x20, 0xd8),
	P("mov    %eax,%ds", 0x8e, 0xd8),
	P("ltr    %ax", 0x0f, 0x00, 0xd8),
	P("lgdt   -0x2a(%rbp)", 0x0f, 0x01, 0x55, 0xd6),
	P("swapgs", 0x0f, 0x01, 0xf8),
	P("lfence", 0x0f, 0xae, 0xe8),
	P("cmpxchg16b (%rax)", 0x48, 0x0f, 0xc7, 0x08),
	P("iretq", 0x48, 0xcf),
	P("sete   %dil", 0x40, 0x0f, 0x94, 0xc7),
	P("cmovne %rdx,%rax", 0x48, 0x0f, 0x45, 0xc2),
	P("movabs $0x123456789,%rax", 0x48, 0xb8, 0x89, 0x67, 0x45, 0x23, 0x01, 0, 0, 0),
	P("movbe  (%rax),%eax", 0x0f, 0x38, 0xf0, 0x00),
	P("crc32  %rcx,%rax", 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xc1),
	P("crc32b (%rax),%eax", 0xf2, 0x0f, 0x38, 0xf0, 0x00),
	P("crc32  %cx,%eax", 0x66, 0xf2, 0x0f, 0x38, 0xf1, 0xc1),
	P("adcx   %rcx,%rax", 0x66, 0x48, 0x0f, 0x38, 0xf6, 0xc1),
	P("adox   (%rax),%eax", 0xf3, 0x0f, 0x38, 0xf6, 0x00),
	P("jecxz  ffffffff80100003 <fib+0x3>", 0x67, 0xe3, 0x00),
};

Test(insn_print, objdump_text)
{
	char buf[192];
	struct insn insn;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		cr_assert_eq(insn_decode(&insn, cases[i].bytes, cases[i].len), 0,
			     "%s: does not decode", cases[i].text);
		cr_assert_eq(insn.length, cases[i].len, "%s: length", cases[i].text);
		cr_assert_eq(insn_print(buf, sizeof(buf), &insn, ADDR, fake_sym, NULL),
			     (int)strlen(cases[i].text), "%s: printed \"%s\"",
			     cases[i].text, buf);
		cr_assert_str_eq(buf, cases[i].text);
	}
}

Test(insn_print, target_without_symbol_is_bare)
{
	static const uint8_t call[] = { 0xe8, 0xfb, 0xff, 0xff, 0xff };
	char buf[64];
	struct insn insn;

	cr_assert_eq(insn_decode(&insn, call, sizeof(call)), 0);
	insn_print(buf, sizeof(buf), &insn, ADDR, NULL, NULL);
	cr_assert_str_eq(buf, "call   ffffffff80100000");
}

/* SSE and VEX are decoded but not printed: the kernel has none. */
Test(insn_print, unknown_classes)
{
	static const uint8_t movaps[] = { 0x0f, 0x28, 0xc1 };
	static const uint8_t vzeroupper[] = { 0xc5, 0xf8, 0x77 };
	char buf[64];
	struct insn insn;

	cr_assert_eq(insn_decode(&insn, movaps, sizeof(movaps)), 0);
	cr_assert_eq(insn_print(buf, sizeof(buf), &insn, ADDR, NULL, NULL), -EOPNOTSUPP);
	cr_assert_str_eq(buf, "(unknown)");
	cr_assert_eq(insn_decode(&insn, vzeroupper, sizeof(vzeroupper)), 0);
	cr_assert_eq(insn_print(buf, sizeof(buf), &insn, ADDR, NULL, NULL), -EOPNOTSUPP);
}

Test(insn_print, small_buffer_is_cut_and_terminated)
{
	static const uint8_t mov[] = { 0x48, 0x89, 0xe5 };
	char buf[8];
	struct insn insn;

	cr_assert_eq(insn_decode(&insn, mov, sizeof(mov)), 0);
	insn_print(buf, sizeof(buf), &insn, ADDR, NULL, NULL);
	cr_assert_str_eq(buf, "mov    ");
}
