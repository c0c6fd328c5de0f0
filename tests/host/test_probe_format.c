// SPDX-License-Identifier: MIT
/*
 * Host tests for trace/probe_fetch.c and trace/probe_format.c: fetch-args
 * run against a made-up struct pt_regs and host memory, stored into a
 * record and printed back, one test per kind of fetch and type, faults
 * included, and damaged records that must print (fault), not crash.
 *
 * Here copy_from_kernel_nofault() "faults" below 64 KiB (where the host
 * maps nothing) and the current task is called "tester".
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "probe_host_env.h"
#include <asm/ptrace.h>
#include <kernel/nofault.h>

#define BAD_BELOW	0x10000UL

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	if ((unsigned long)src < BAD_BELOW)
		return -14;
	memcpy(dst, src, size);
	return 0;
}

const char *probe_current_comm(void)
{
	return "tester";
}

static unsigned long entry_args[7] = { 0, 101, 102, 103, 104, 105, 106 };

static unsigned long fake_entry_arg(const void *cookie, unsigned n)
{
	(void)cookie;
	return entry_args[n];
}

/* Parse @cmd, fetch against @regs (return events: entry args from above),
 * format; returns the text (static). */
static const char *run(const char *cmd, struct pt_regs *regs)
{
	static char out[2048];
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_fetch_ctx ctx = { .regs = regs };
	unsigned long vals[2 * PROBE_MAX_ARGS];
	struct probe_error err;
	u8 data[PROBE_DATA_MAX];
	size_t size;
	u32 faults;

	printf_set_symbol_formatter(host_symbol_fmt);
	cr_assert_eq(probe_parse(cmd, def, &err), 0, "%s: %s", cmd, err.reason);
	if (probe_def_is_return(def)) {
		ctx.entry_arg = fake_entry_arg;
		ctx.cookie = def;
	}
	memset(data, 0xa5, sizeof(data));
	size = def->fixed_size + (def->has_dynamic ? probe_fetch_dynamic_size(def, &ctx, vals) : 0);
	cr_assert_leq(size, PROBE_DATA_MAX);
	faults = probe_fetch_store(def, &ctx, def->has_dynamic ? vals : NULL, data, size);
	probe_format_args(out, sizeof(out), def, data, size, faults);
	free(def);
	return out;
}

static struct pt_regs regs_with(unsigned long di, unsigned long si)
{
	struct pt_regs r;

	memset(&r, 0, sizeof(r));
	r.di = di;
	r.si = si;
	r.dx = 3;
	r.ax = 0xfffffffffffffffeUL;
	r.r8 = 0x1122334455667788UL;
	r.ip = HOST_FIB + 4;
	return r;
}

Test(probe_format, registers_and_widths)
{
	struct pt_regs r = regs_with(6, 7);

	cr_expect_str_eq(run("p fib a=%di b=%r8 c=%r8d d=%ax:s64 e=%eax:s32", &r),
			 " a=0x6 b=0x1122334455667788 c=0x55667788 d=-2 e=-2");
}

/*
 * The short way's word stores (probe_fetch_store_fast()) give the record
 * the interpreter gives, whatever the sizes and widths, and write no more
 * than PROBE_FAST_SPILL bytes past the arguments.
 */
Test(probe_format, fast_stores_match_the_full_fetch)
{
	static const char *const cmds[] = {
		"p fib a=%di:u8 b=%si:x16 c=%r8d:u64 d=%ax:s32 e=%r8 f=%di:s8",
		"p fib a=%r8:u8",
		"p fib a=%eax b=%r8d:x32",
		"r fib r=$retval:u16 x=%r8d",
	};
	struct pt_regs r = regs_with(0x8877665544332211UL, 0x99aabbccddeeff00UL);
	struct probe_fetch_ctx ctx = { .regs = &r };
	struct probe_def *def = calloc(1, sizeof(*def));
	u8 full[PROBE_DATA_MAX + 8], fast[PROBE_DATA_MAX + 8];
	struct probe_error err;
	unsigned i;
	size_t j;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(def, 0, sizeof(*def));
		cr_assert_eq(probe_parse(cmds[i], def, &err), 0, "%s: %s", cmds[i], err.reason);
		cr_assert(def->all_fast, "%s: not all plain registers", cmds[i]);
		memset(full, 0xa5, sizeof(full));
		memset(fast, 0xa5, sizeof(fast));
		cr_expect_eq(probe_fetch_store(def, &ctx, NULL, full, def->fixed_size), 0);
		cr_expect_eq(probe_fetch_store_fast(def, &r, fast), 0);
		cr_expect_eq(memcmp(full, fast, def->fixed_size), 0, "%s: the records differ", cmds[i]);
		for (j = def->fixed_size + PROBE_FAST_SPILL; j < sizeof(fast); j++)
			cr_expect_eq(fast[j], 0xa5, "%s: byte %zu written", cmds[i], j);
	}
	free(def);
}

Test(probe_format, integer_types)
{
	struct pt_regs r = regs_with(0x1ff, 0);

	cr_expect_str_eq(run("p fib a=%di:u8 b=%di:s8 c=%di:x16 d=%di:u32 e=%di:s64 f=%di:x8", &r),
			 " a=255 b=-1 c=0x1ff d=511 e=511 f=0xff");
	r.di = 'A';
	cr_expect_str_eq(run("p fib c=%di:char", &r), " c='A'");
	r.di = 7;
	cr_expect_str_eq(run("p fib c=%di:char", &r), " c='\\x07'");
}

Test(probe_format, arguments_variables_and_immediates)
{
	struct pt_regs r = regs_with(1, 2);
	unsigned long stack[4] = { 0xaa, 0xbb, 0xcc, 0xdd };

	r.sp = (unsigned long)stack;
	cr_expect_str_eq(run("p fib a=$arg1:u8 b=$arg2:u8 c=$arg3:u8 s1=$stack1 i=\\42:u32 j=\\-3:s32",
			     &r), " a=1 b=2 c=3 s1=0xbb i=42 j=-3");
	cr_expect_str_eq(run("p fib c=$comm", &r), " c=\"tester\"");
	cr_expect_str_eq(run("p fib c=$comm:string", &r), " c=\"tester\"");
	r.sp = 8;
	cr_expect_str_eq(run("p fib s=$stack s2=$stack2", &r), " s=0x8 s2=(fault)");
}

Test(probe_format, immediate_strings_and_bitfields)
{
	struct pt_regs r = regs_with(0xf0f0, 0);
	u32 word = 0xabcd1234;

	cr_expect_str_eq(run("p fib s=\\\"hello\" e=\\\"\" t=\\\"a:b\":string", &r),
			 " s=\"hello\" e=\"\" t=\"a:b\"");
	cr_expect_str_eq(run("p fib lo=%di:b4@0/8 hi=%di:b4@4/8 mid=%di:b8@4/16 all=%di:b64@0/64", &r),
			 " lo=0 hi=15 mid=15 all=61680");
	r.di = (unsigned long)&word;
	cr_expect_str_eq(run("p fib a=+0(%di):b12@8/32 b=+0(%di):b1@31/32", &r), " a=3346 b=1");
}

Test(probe_format, return_events_read_entry_arguments)
{
	struct pt_regs r = regs_with(1, 2);

	cr_expect_str_eq(run("r fib a=$arg1:u32 f=$arg6:u32 rv=$retval:s32", &r),
			 " a=101 f=106 rv=-2");
	cr_expect_str_eq(run("f fib%return a=$arg2:u32", &r), " a=102");
}

Test(probe_format, memory_and_nested_dereference)
{
	struct node { unsigned long pad; struct node *next; unsigned int val; } c = { 0, NULL, 33 },
		b = { 0, &c, 22 }, a = { 0, &b, 11 };
	struct pt_regs r = regs_with((unsigned long)&a, 0);

	cr_expect_str_eq(run("p fib v=+16(%di):u32 w=+16(+8(%di)):u32 x=+16(+8(+8(%di))):u32", &r),
			 " v=11 w=22 x=33");
	cr_expect_str_eq(run("p fib n=+16(+8(+8(+8(%di)))):u32", &r), " n=(fault)");
	r.di = (unsigned long)&a.val + 8;
	cr_expect_str_eq(run("p fib v=-8(%di):u32", &r), " v=11");
}

Test(probe_format, strings)
{
	const char *s = "hello world";
	struct pt_regs r = regs_with((unsigned long)s, 12);
	char big[600];

	cr_expect_str_eq(run("p fib s=+0(%di):string t=+6(%di):string", &r),
			 " s=\"hello world\" t=\"world\"");
	cr_expect_str_eq(run("p fib s=+0(%si):string n=%si:u8", &r), " s=(fault) n=12");
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	r.di = (unsigned long)big;
	cr_expect_eq(strlen(run("p fib s=+0(%di):string", &r)), strlen(" s=\"\"") + PROBE_STRING_MAX - 1,
		     "a long string is cut at PROBE_STRING_MAX");
}

Test(probe_format, arrays)
{
	unsigned char bytes[4] = { 1, 2, 3, 250 };
	short words[3] = { -1, 2, -3 };
	struct pt_regs r = regs_with((unsigned long)bytes, (unsigned long)words);

	cr_expect_str_eq(run("p fib a=+0(%di):u8[4] b=+0(%si):s16[3] c=+1(%di):x8[2]", &r),
			 " a={1,2,3,250} b={-1,2,-3} c={0x2,0x3}");
	r.di = 16;
	cr_expect_str_eq(run("p fib a=+0(%di):u8[4]", &r), " a=(fault)");
}

Test(probe_format, string_arrays)
{
	const char *strs[3] = { "ab", "cde", (const char *)16 };
	struct pt_regs r = regs_with((unsigned long)strs, 12);

	/* Linux's string[N]: N pointers, each string printed, or (fault). */
	cr_expect_str_eq(run("p fib s=+0(%di):string[3] t=+8(%di):string[1] n=%si:u8", &r),
			 " s={\"ab\",\"cde\",(fault)} t={\"cde\"} n=12");
	cr_expect_str_eq(run("p fib s=+0(%si):string[2]", &r), " s=(fault)");
}

Test(probe_format, symbols)
{
	unsigned long where = HOST_FIB + 0x10;
	struct pt_regs r = regs_with(HOST_WORDS + 4, (unsigned long)&where);

	cr_expect_str_eq(run("p fib a=%di:symbol b=+0(%si):symbol c=%di:symstr d=+0(%si):symstr", &r),
			 " a=word_count+0x4/0x40 b=fib+0x10/0x40 c=\"word_count+0x4/0x40\" "
			 "d=\"fib+0x10/0x40\"");
}

Test(probe_format, at_address_and_symbol)
{
	static unsigned long value = 77;
	struct pt_regs r = regs_with(0, 0);
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "p fib v=@0x%lx:u64", (unsigned long)&value);
	cr_expect_str_eq(run(cmd, &r), " v=77");
	cr_expect_str_eq(run("p fib v=@jiffies:u64", &r), " v=(fault)", "jiffies is at 0x3000 here");
}

Test(probe_format, damaged_records_print_fault)
{
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_error err;
	char out[256];
	u8 data[8] = { 0 };
	u32 loc = (200u << 16) | 5;

	cr_assert_eq(probe_parse("p fib s=+0(%di):string v=%si:x32", def, &err), 0);
	memcpy(data, &loc, 4);
	probe_format_args(out, sizeof(out), def, data, sizeof(data), 0);
	cr_expect_str_eq(out, " s=(fault) v=0x0");
	probe_format_args(out, sizeof(out), def, data, 4, 0);
	cr_expect_str_eq(out, " s=(fault) v=(fault)", "a field past the record's end");
	loc = (4u << 16) | 4;
	memcpy(data, &loc, 4);
	memcpy(data + 4, "abcd", 4);
	probe_format_args(out, sizeof(out), def, data, sizeof(data), 0);
	cr_expect_str_eq(out, " s=(fault) v=0x64636261", "a string without its NUL");
	cr_expect_eq(probe_format_args(out, 4, def, data, sizeof(data), 0), (int)strlen(" s=(fault) v=0x64636261"));
	cr_expect_str_eq(out, " s=");
	free(def);
}
