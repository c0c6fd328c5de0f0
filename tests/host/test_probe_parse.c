// SPDX-License-Identifier: MIT
/*
 * Host tests for trace/probe_parse.c: every form of the probe-event
 * grammar, the names it generates, the listing it writes back (which must
 * parse again to the same thing), and every error with where its caret
 * goes. The symbols come from tests/host/probe_host_env.h, found through
 * the pretend kallsyms of tests/host/kallsyms_host.c.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "probe_host_env.h"
#include <asm/ptrace.h>
#include <lib/compiler.h>

static struct probe_def *parse_ok(const char *cmd)
{
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_error err;
	int ret = probe_parse(cmd, def, &err);

	cr_assert_eq(ret, 0, "'%s' refused at %d: %s", cmd, err.pos, err.reason ? err.reason : "?");
	return def;
}

/* The listing of @cmd must be @want, and must itself list the same. */
static void check_listing(const char *cmd, const char *want)
{
	struct probe_def *def = parse_ok(cmd), *again;
	char buf[512], buf2[512];

	probe_def_show(buf, sizeof(buf), def);
	cr_expect_str_eq(buf, want, "'%s' listed as '%s'", cmd, buf);
	again = parse_ok(buf);
	probe_def_show(buf2, sizeof(buf2), again);
	cr_expect_str_eq(buf2, buf, "listing does not round-trip: '%s' -> '%s'", buf, buf2);
	free(def);
	free(again);
}

Test(probe_parse, kinds_and_generated_names)
{
	check_listing("p fib", "p:kprobes/p_fib_0 fib");
	check_listing("p fib+5", "p:kprobes/p_fib_5 fib+5");
	check_listing("p 0x1000", "p:kprobes/p_0x1000 0x1000");
	check_listing("r fib", "r:kprobes/r_fib_0 fib");
	check_listing("r fib+0", "r:kprobes/r_fib_0 fib");
	check_listing("p fib%return", "r:kprobes/r_fib_0 fib");
	check_listing("p fib+0%return", "r:kprobes/r_fib_0 fib");
	check_listing("r10 fib", "r10:kprobes/r_fib_0 fib");
	check_listing("f fib", "f:fprobes/fib__entry fib");
	check_listing("f fib%return", "f:fprobes/fib__exit fib%return");
	check_listing("f7 fib%return", "f7:fprobes/fib__exit fib%return");
	check_listing("p foo.isra.0", "p:kprobes/p_foo_isra_0_0 foo.isra.0");
}

Test(probe_parse, group_and_event_names)
{
	check_listing("p:myev fib", "p:kprobes/myev fib");
	check_listing("p:enabled/enable_x fib", "p:enabled/enable_x fib");
	check_listing("p high+0x10", "p:kprobes/p_high_16 high+16");
	check_listing("p fib x=@high-0x1000", "p:kprobes/p_fib_0 fib x=@high-0x1000");
	check_listing("p:grp/myev fib", "p:grp/myev fib");
	check_listing("p:grp/ fib", "p:grp/p_fib_0 fib");
	check_listing("r:grp/ev fib", "r:grp/ev fib");
	check_listing("f:g/e word_count", "f:g/e word_count");
	check_listing("  p:ev\tfib  ", "p:kprobes/ev fib");
}

Test(probe_parse, kinds_are_right)
{
	struct probe_def *d = parse_ok("p fib%return");

	cr_expect_eq(d->kind, PROBE_KRETPROBE);
	cr_expect_eq(d->addr, HOST_FIB);
	free(d);
	d = parse_ok("f3 word_count%return");
	cr_expect_eq(d->kind, PROBE_FEXIT);
	cr_expect_eq(d->maxactive, 3);
	free(d);
	/* Linux: an f: probe fetching $retval is FUNC%return. */
	d = parse_ok("f word_count x=+8($retval):u8");
	cr_expect_eq(d->kind, PROBE_FEXIT);
	free(d);
	check_listing("f word_count $retval", "f:fprobes/word_count__exit word_count%return arg1=$retval");
	check_listing("f:e word_count%return $retval", "f:fprobes/e word_count%return arg1=$retval");
	/* Linux: an f: glob probes every traceable function it matches. */
	d = parse_ok("f:x fib* n=$arg1");
	cr_expect(d->glob);
	cr_expect_eq(d->addr, 0);
	free(d);
	check_listing("f:x fib*", "f:fprobes/x fib*");
	check_listing("f fib?%return", "f:fprobes/fib___exit fib?%return");
	d = parse_ok("f word_count");
	cr_expect(!d->glob);
	free(d);
	d = parse_ok("p fib+12");
	cr_expect_eq(d->addr, HOST_FIB + 12);
	cr_expect_eq(d->offset, 12);
	free(d);
}

Test(probe_parse, delete)
{
	struct probe_def *d = parse_ok("-:myev");

	cr_expect_eq(d->kind, PROBE_DELETE);
	cr_expect_str_eq(d->event, "myev");
	cr_expect_str_eq(d->group, "");
	free(d);
	d = parse_ok("-:grp/myev");
	cr_expect_str_eq(d->group, "grp");
	cr_expect_eq(d->match_pos, 0);
	free(d);
	/* Linux's -:EVENT PLACE [FETCHES]: only the points that match go. */
	d = parse_ok("-:myev  fib a=%di");
	cr_expect_eq(d->match_pos, 8);
	free(d);
}

Test(probe_parse, registers)
{
	struct probe_def *d = parse_ok("p fib a=%di b=%rax c=%eax d=%r8d e=%r15 f=%ip g=%flags h=%sp");
	unsigned off, width;

	cr_assert_eq(d->nargs, 8);
	cr_expect_eq(d->args[0].base, PROBE_BASE_REG);
	cr_expect_eq(d->args[0].param, PTREGS_DI);
	cr_expect_eq(d->args[0].width, 8);
	cr_expect_eq(d->args[1].param, PTREGS_AX);
	cr_expect_eq(d->args[2].param, PTREGS_AX);
	cr_expect_eq(d->args[2].width, 4);
	cr_expect_eq(d->args[3].param, PTREGS_R8);
	cr_expect_eq(d->args[3].width, 4);
	cr_expect_eq(d->args[4].param, PTREGS_R15);
	cr_expect_eq(d->args[5].param, PTREGS_IP);
	cr_expect_eq(d->args[6].param, PTREGS_FLAGS);
	cr_expect_eq(d->args[7].param, PTREGS_SP);
	cr_expect(regs_query_register("rbp", 3, &off, &width) && off == PTREGS_BP);
	cr_expect(!regs_query_register("r16", 3, &off, &width));
	free(d);
}

Test(probe_parse, variables)
{
	struct probe_def *d = parse_ok("r fib a=$arg1 b=$arg6 r=$retval s=$stack s0=$stack0 "
				       "s9=$stack9 c=$comm");

	cr_expect_eq(d->args[0].base, PROBE_BASE_ARG);
	cr_expect_eq(d->args[0].param, 1);
	cr_expect_eq(d->args[1].param, 6);
	cr_expect_eq(d->args[2].base, PROBE_BASE_RETVAL);
	cr_expect_eq(d->args[3].base, PROBE_BASE_STACK);
	cr_expect_eq(d->args[4].base, PROBE_BASE_STACKN);
	cr_expect_eq(d->args[4].param, 0);
	cr_expect_eq(d->args[5].param, 9);
	cr_expect_eq(d->args[6].base, PROBE_BASE_COMM);
	cr_expect_eq(d->args[6].type.kind, PROBE_TYPE_STRING);
	cr_expect(d->uses_entry_args, "$argN in a return probe reads the entry arguments");
	free(d);
	d = parse_ok("p fib a=$arg2");
	cr_expect(!d->uses_entry_args);
	free(d);
}

Test(probe_parse, memory_immediates_and_derefs)
{
	struct probe_def *d = parse_ok("p fib a=@0x1234 b=@jiffies c=@jiffies+8 d=@jiffies-8 "
				       "e=\\123 f=\\-1 g=+8(%di) h=-8(+0(%si)) i=+0(+8(+16(%ax)))");
	const struct probe_arg *a = d->args;

	cr_expect_eq(a[0].base, PROBE_BASE_IMM);
	cr_expect_eq(a[0].imm, 0x1234);
	cr_expect_eq(a[0].nderef, 1);
	cr_expect_eq(a[1].imm, HOST_JIFFIES);
	cr_expect_eq(a[2].imm, HOST_JIFFIES + 8);
	cr_expect_eq(a[3].imm, HOST_JIFFIES - 8);
	cr_expect_eq(a[4].imm, 123);
	cr_expect_eq(a[4].nderef, 0);
	cr_expect_eq(a[5].imm, (unsigned long)-1);
	cr_expect_eq(a[6].nderef, 1);
	cr_expect_eq(a[6].deref[0], 8);
	cr_expect_eq(a[7].nderef, 2);
	cr_expect_eq(a[7].deref[0], 0);
	cr_expect_eq(a[7].deref[1], -8);
	cr_expect_eq(a[8].nderef, 3);
	cr_expect_eq(a[8].deref[0], 16);
	cr_expect_eq(a[8].deref[2], 0);
	free(d);
}

Test(probe_parse, types)
{
	static const struct { const char *t; u8 kind, size, count; } cases[] = {
		{ "u8", PROBE_TYPE_U, 1, 0 }, { "u16", PROBE_TYPE_U, 2, 0 },
		{ "u32", PROBE_TYPE_U, 4, 0 }, { "u64", PROBE_TYPE_U, 8, 0 },
		{ "s8", PROBE_TYPE_S, 1, 0 }, { "s16", PROBE_TYPE_S, 2, 0 },
		{ "s32", PROBE_TYPE_S, 4, 0 }, { "s64", PROBE_TYPE_S, 8, 0 },
		{ "x8", PROBE_TYPE_X, 1, 0 }, { "x16", PROBE_TYPE_X, 2, 0 },
		{ "x32", PROBE_TYPE_X, 4, 0 }, { "x64", PROBE_TYPE_X, 8, 0 },
		{ "char", PROBE_TYPE_CHAR, 1, 0 }, { "string", PROBE_TYPE_STRING, 4, 0 },
		{ "symbol", PROBE_TYPE_SYMBOL, 8, 0 }, { "symstr", PROBE_TYPE_SYMSTR, 4, 0 },
		{ "u8[4]", PROBE_TYPE_U, 1, 4 }, { "x32[64]", PROBE_TYPE_X, 4, 64 },
		{ "char[3]", PROBE_TYPE_CHAR, 1, 3 },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char cmd[64], name[32];
		struct probe_def *d;

		snprintf(cmd, sizeof(cmd), "p fib v=+0(%%di):%s", cases[i].t);
		d = parse_ok(cmd);
		cr_expect_eq(d->args[0].type.kind, cases[i].kind, "%s", cmd);
		cr_expect_eq(d->args[0].type.size, cases[i].size, "%s", cmd);
		cr_expect_eq(d->args[0].type.count, cases[i].count, "%s", cmd);
		probe_type_name(name, sizeof(name), &d->args[0].type);
		cr_expect_str_eq(name, cases[i].t);
		free(d);
	}
}

Test(probe_parse, default_type_arg_names_and_layout)
{
	struct probe_def *d = parse_ok("p fib %di x=%si:u8 $arg3 +0(%di):u32 s=+0(%si):string");

	cr_expect_str_eq(d->args[0].name, "arg1");
	cr_expect_str_eq(d->args[1].name, "x");
	cr_expect_str_eq(d->args[2].name, "arg3");
	cr_expect_str_eq(d->args[3].name, "arg4");
	cr_expect_eq(d->args[0].type.kind, PROBE_TYPE_X);
	cr_expect_eq(d->args[0].type.size, 8);
	cr_expect_eq(d->args[0].offset, 0);
	cr_expect_eq(d->args[1].offset, 8);
	cr_expect_eq(d->args[2].offset, 9, "packed as Linux: a u64 right after a u8");
	cr_expect_eq(d->args[3].offset, 17);
	cr_expect_eq(d->args[4].offset, 21);
	cr_expect_eq(d->fixed_size, 25);
	cr_expect(d->has_dynamic);
	free(d);
}

/* Linux's longest names and arguments are taken, and the new types. */
Test(probe_parse, linux_limits_and_newer_fetches)
{
	check_listing("p:g12345678901234567890123456789012345678901234567890123456789012/"
		      "e123456789012345678901234567890123456789012345678901234567890123 fib",
		      "p:g12345678901234567890123456789012345678901234567890123456789012/"
		      "e123456789012345678901234567890123456789012345678901234567890123 fib");
	check_listing("p fib a1234567890123456789012345678901=%di",
		      "p:kprobes/p_fib_0 fib a1234567890123456789012345678901=%di");
	check_listing("p fib x=+0(+0(+0(+0(+0(+0(+0(+0(%di)))))))):u8",
		      "p:kprobes/p_fib_0 fib x=+0(+0(+0(+0(+0(+0(+0(+0(%di)))))))):u8");
	check_listing("p fib x=+1234567(+1234567(+1234567(+1234567(+1234567(+1234567(@12))))))",
		      "p:kprobes/p_fib_0 fib x=+1234567(+1234567(+1234567(+1234567(+1234567(+1234567(@12))))))");
	check_listing("p fib x=+0(%di):b3@4/32 y=%si:b1@63/64",
		      "p:kprobes/p_fib_0 fib x=+0(%di):b3@4/32 y=%si:b1@63/64");
	check_listing("p fib s=\\\"hi\" t=\\\"a:b\":string",
		      "p:kprobes/p_fib_0 fib s=\\\"hi\" t=\\\"a:b\":string");
	check_listing("p:grp/ fib", "p:grp/p_fib_0 fib");
	check_listing("f fib%return r=$retval a=$arg1", "f:fprobes/fib__exit fib%return r=$retval a=$arg1");
}

Test(probe_parse, sixteen_arguments_fit)
{
	struct probe_def *d = parse_ok("p fib %di %di %di %di %di %di %di %di %di %di %di %di %di "
				       "%di %di %di");

	cr_expect_eq(d->nargs, 16);
	free(d);
}

struct bad_case {
	const char *cmd;
	const char *caret;	/* the command with ^ under the bad byte */
	const char *reason;	/* a part of the reason */
};

/* Every error the parser reports, and where its caret lands. */
static const struct bad_case bad[] = {
	{ "", "^", "Empty command" },
	{ "x fib", "^", "Unknown probe type (not p, r, f, t or -)" },
	{ "p", " ^", "No probe point (SYM[+OFFS] or ADDR)" },
	{ "p:ev", "    ^", "No probe point (SYM[+OFFS] or ADDR)" },
	{ "p5 fib", " ^", "Maxactive is only for function exit" },
	{ "f5 fib", " ^", "Maxactive is only for function exit" },
	{ "r0 fib", " ^", "Invalid maxactive number" },
	{ "r9999 fib", " ^", "Maxactive is too big" },
	{ "p;x fib", " ^", "Invalid maxactive number" },
	{ "p:1bad fib", "  ^", "Event name must follow the same rules as C identifiers" },
	{ "p:g-x/ev fib", "  ^", "Group name must follow the same rules as C identifiers" },
	{ "p:/ev fib", "  ^", "Group name is not specified" },
	{ "p:grp/e.v fib", "      ^", "Event name must follow the same rules as C identifiers" },
	{ "p:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa fib", "  ^", "Event name is too long" },
	{ "-", " ^", "Give the event: -:[GRP/]EVENT" },
	{ "-:", "  ^", "Event name is not specified" },
	{ "-:grp/", "      ^", "Give the event: -:[GRP/]EVENT" },
	{ "p nosuch", "  ^", "Invalid probed address or symbol" },
	{ "p fib+x", "  ^", "Invalid probed address or symbol" },
	{ "p fib+", "  ^", "Invalid probed address or symbol" },
	{ "p 0x10zz", "  ^", "Invalid probed address or symbol" },
	{ "r fib+4", "  ^", "Retprobe address must be an function entry" },
	{ "p fib+4%return", "  ^", "Retprobe address must be an function entry" },
	{ "r 0x1004", "  ^", "Retprobe address must be an function entry" },
	{ "r fib%return", "     ^", "%return on an r probe" },
	{ "p fib%ret", "     ^", "Invalid probed address suffix" },
	{ "p %return", "  ^", "No probe point (SYM[+OFFS] or ADDR)" },
	{ "f fib+4", "  ^", "An fprobe takes a function name, no offset" },
	{ "f 0x1000", "  ^", "An fprobe takes a function name, not an address" },
	{ "f nosuch", "  ^", "Invalid probed address or symbol" },
	{ "f fib*+4", "  ^", "An fprobe takes a function name, no offset" },
	{ "p fib x=%foo", "        ^", "Invalid register name" },
	{ "p fib x=%", "        ^", "Invalid register name" },
	{ "p fib x=$retval", "        ^", "$retval is not available on probe" },
	{ "f fib x=$retvalue", "        ^", "Invalid $-variable specified" },
	{ "p fib x=$arg0", "        ^", "Invalid argument number" },
	{ "p fib x=$arg7", "        ^", "Invalid argument number" },
	{ "p fib x=$argx", "        ^", "Invalid argument number" },
	{ "p fib+5 x=$arg1", "          ^", "$arg* can be used only on function entry" },
	{ "p fib x=$stackx", "        ^", "Invalid stack number" },
	{ "p fib x=$stack99999", "        ^", "Invalid stack number" },
	{ "p fib x=$foo", "        ^", "Invalid $-variable specified" },
	{ "p fib x=@", "        ^", "Invalid memory address" },
	{ "p fib x=@0xzz", "        ^", "Invalid memory address" },
	{ "p fib x=@nosuch", "         ^", "Unknown symbol" },
	{ "p fib x=@jiffies+q", "        ^", "Invalid memory address" },
	{ "p fib x=\\", "         ^", "Invalid immediate value" },
	{ "p fib x=\\abc", "         ^", "Invalid immediate value" },
	{ "p fib x=+8%di", "        ^", "Dereference needs a brace" },
	{ "p fib x=+q(%di)", "        ^", "Invalid dereference offset" },
	{ "p fib x=+8(%di", "              ^", "Dereference brace is not closed" },
	{ "p fib x=+8()", "           ^", "Invalid fetch argument" },
	{ "p fib x=+0(+0(+0(+0(+0(+0(+0(+0(+0(%di)))))))))", "", "Dereference is too much nested" },
	{ "p fib x=", "        ^", "No argument expression" },
	{ "p fib x=di", "        ^", "BTF is not available or not supported" },
	{ "p fib 1x=%di", "      ^", "Argument name must follow the same rules as C identifiers" },
	{ "p fib x=%di x=%si", "            ^", "This argument name is already used" },
	{ "p fib %di arg1=%si", "          ^", "This argument name is already used" },
	{ "p fib __probe_ip=%di", "      ^", "This argument name is already used" },
	{ "r fib __probe_ret_ip=%ax", "      ^", "This argument name is already used" },
	{ "f fib __probe_func=$arg1", "      ^", "This argument name is already used" },
	{ "p fib x=%di common_pid=%si", "            ^", "This argument name is already used" },
	{ "p fib common_preempt_count=%si", "      ^", "This argument name is already used" },
	{ "p fib x=%di:u7", "            ^", "Unknown type is specified" },
	{ "p fib x=%di:", "            ^", "Unknown type is specified" },
	{ "p fib x=+0(%di):u8[0]", "                   ^", "Invalid array size" },
	{ "p fib x=+0(%di):u8[65]", "                   ^", "Array number is too big" },
	{ "p fib x=+0(%di):u8[4", "                    ^", "Array is not closed" },
	{ "p fib x=+0(%di):symstr[2]", "                      ^", "No arrays of symstr" },
	{ "p fib x=%di:string[2]", "            ^", "An array needs a memory fetch (+OFFS(...) or @ADDR)" },
	{ "p fib x=%di:u8[4]", "            ^", "An array needs a memory fetch (+OFFS(...) or @ADDR)" },
	{ "p fib x=%di:string", "            ^", "String accepts only memory argument" },
	{ "p fib x=$comm:u32", "              ^", "$comm and immediate-string only accepts string type" },
	{ "p fib %di %di %di %di %di %di %di %di %di %di %di %di %di %di %di %di %si",
	  "                                                                      ^",
	  "Too many arguments are specified" },
	{ "p fib a=+0(%di):x64[64] b=+0(%di):x64[64]", "                        ^",
	  "Arguments too large for one record" },
	/* Names that events/ already gives to a file. */
	{ "p:enable/x fib", "  ^", "Group name is reserved" },
	{ "p:kprobes/enable fib", "          ^", "Event name is reserved" },
	{ "p:enable fib", "  ^", "Event name is reserved" },
	{ "f:enable/ fib", "  ^", "Group name is reserved" },
	/* A name two symbols share says nothing about which one. */
	{ "p twice", "  ^", "The symbol is not unique" },
	{ "r twice", "  ^", "The symbol is not unique" },
	{ "f twice%return", "  ^", "The symbol is not unique" },
	{ "p fib x=@twice", "         ^", "The symbol is not unique" },
	{ "p fib x=@twice+8", "         ^", "The symbol is not unique" },
	/* Linux's limits and classes the syntax-error table does not reach. */
	{ "p:", "  ^", "Event name is not specified" },
	{ "r-1:c fib", " ^", "Invalid maxactive number" },
	{ "f fib x=%di", "        ^", "Registers are not available on fprobe" },
	{ "f fib%return x=%ax", "               ^", "Registers are not available on fprobe" },
	{ "t fib", "  ^", "Tracepoint is not found" },
	{ "t5 fib", " ^", "Maxactive is only for function exit" },
	{ "t fib%return", "     ^", "Invalid probed address suffix" },
	{ "t fib x=%di", "        ^", "Registers are not available on fprobe" },
	{ "p fib x=@+8", "        ^", "File offset is not available with kprobe" },
	{ "p fib x=+0($comm)", "           ^", "$comm can not be dereferenced" },
	{ "p fib x=+0(\\\"ab\")", "           ^", "$comm can not be dereferenced" },
	{ "p fib x=\\\"ab", "            ^", "String is not closed" },
	{ "p fib x=\\\"ab\":u32", "              ^", "only accepts string type" },
	{ "p fib x=hoge", "        ^", "BTF is not available" },
	{ "p fib x=$comm:symstr", "              ^", "Symbol String doesn't accept" },
	{ "p fib x=\\\"ab\":symstr", "              ^", "Symbol String doesn't accept" },
	{ "p fib x=$arg*", "        ^", "BTF is not available" },
	{ "p fib x=%di:b0@0/8", "            ^", "Invalid bitfield" },
	{ "p fib x=%di:b4@5/8", "            ^", "Invalid bitfield" },
	{ "p fib x=%di:b4@0/12", "            ^", "Invalid bitfield" },
	{ "p fib x=%di:b4@0", "            ^", "Invalid bitfield" },
	{ "p fib x=+0(%di):b4@0/8[2]", "                ^", "Invalid bitfield" },
	{ "p fib x=+0(%di):u8[4]x", "                     ^", "Array has wrong suffix" },
	{ "p:g123456789012345678901234567890123456789012345678901234567890123/e fib", "  ^",
	  "Group name is too long" },
	{ "p:e12345678901234567890123456789012345678901234567890123456789012345 fib", "  ^",
	  "Event name is too long" },
	{ "p fib a12345678901234567890123456789012=%di", "      ^", "Argument name is too long" },
	{ "p fib x=+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(+0(%di))))))))))))))))))))",
	  "        ^", "Argument expression is too long" },
	/* SYM+OFFS that runs off the end (or start) of the address space. */
	{ "p high+0x7fffffff", "      ^", "Offset runs past the end of the address space" },
	{ "p fib x=@high+0x7fffffffffffffff", "             ^", "Offset runs past the end of the address space" },
	{ "p fib x=@fib-0x2000", "            ^", "Offset runs past the end of the address space" },
};

Test(probe_parse, every_error_with_its_caret)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct probe_def *def = calloc(1, sizeof(*def));
		struct probe_error err = { -1, NULL };
		int ret = probe_parse(bad[i].cmd, def, &err);

		cr_expect_eq(ret, -22, "'%s' was accepted", bad[i].cmd);
		if (ret) {
			cr_expect(err.reason && strstr(err.reason, bad[i].reason),
				  "'%s': reason '%s', wanted '%s'", bad[i].cmd, err.reason, bad[i].reason);
			if (bad[i].caret[0])
				cr_expect_eq(err.pos, (int)strlen(bad[i].caret) - 1,
					     "'%s' (%s): caret at %d, wanted %zu", bad[i].cmd,
					     err.reason, err.pos, strlen(bad[i].caret) - 1);
		}
		free(def);
	}
}

Test(probe_parse, too_long_a_command)
{
	char cmd[PROBE_CMD_LEN + 8];
	struct probe_def *def = calloc(1, sizeof(*def));
	struct probe_error err;

	memset(cmd, 'a', sizeof(cmd) - 1);
	cmd[0] = 'p';
	cmd[1] = ' ';
	cmd[sizeof(cmd) - 1] = '\0';
	cr_expect_eq(probe_parse(cmd, def, &err), -22);
	cr_expect(strstr(err.reason, "too long"));
	free(def);
}
