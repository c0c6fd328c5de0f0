// SPDX-License-Identifier: MIT
/*
 * insn-oracle: check Loupe's instruction decoder (arch/x86/insn.c) against
 * independent decoders, instruction by instruction, on real binaries.
 *
 *   build/tools/insn-oracle [-v] ELF...
 *
 * For each ELF file it runs `objdump -d -w --insn-width=15` (binutils) and
 * takes every instruction objdump prints: the bytes are decoded on their
 * own by insn_decode() and the length must match objdump's. objdump's text
 * also says whether the instruction is RIP-relative ("(%rip)") and which
 * control transfer it is (call, jmp, jcc, ret, int3 ...), and both must
 * match. capstone gives a second opinion on the RIP-relative flag and the
 * exact kind (rel8 or rel32, ret or ret imm16) wherever it decodes the same
 * bytes to the same length; capstone 4 cannot decode some AVX-512, mask
 * register and CET instructions, and those are counted, not mismatches.
 *
 * Lines objdump cannot decode itself ("(bad)", ".byte", a prefix printed
 * alone) are skipped and counted. objdump prints fwait (9b) and the x87
 * instruction after it as one ("fstcw" = fwait + fnstcw); such a line
 * passes when its two pieces decode back to back.
 *
 * Where we refuse an encoding that objdump prints, the line is a mismatch
 * unless it belongs to one of the known classes below (known_classes[]),
 * each with the reason objdump is the one that is wrong; those are counted
 * and listed by class. In the binaries we test they only occur in data
 * that OpenSSL keeps in .text, which objdump disassembles as if it were code.
 *
 * Prints each mismatch (address, bytes, ours, theirs), per-file counts,
 * "N passed, M failed" over the files (for scripts/test-step.sh), and last
 * "files N, instructions N, mismatches N, skipped N". Exits non-zero if
 * anything mismatched or a file could not be read.
 */
#include <asm/insn.h>
#include <lib/compiler.h>
#include <capstone/capstone.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Print at most this many mismatches per file; all are counted. */
#define MAX_REPORTS	200

struct line {			/* one instruction as objdump printed it */
	unsigned long addr;
	uint8_t bytes[INSN_MAX_LEN];
	unsigned int n;
	char text[256];
};

/*
 * Encodings objdump decodes but the processor rejects with #UD, and so do
 * we. A line that we refuse and that matches one of these is not counted
 * as a mismatch.
 */
struct known_class {
	const char *name;
	const char *reason;
	bool (*match)(const uint8_t *b, unsigned int n);
};

static bool is_legacy_prefix(uint8_t b)
{
	return b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x26 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 || b == 0x66 ||
	       b == 0x67;
}

/* Index of the first byte after legacy and REX prefixes (n if none). */
static unsigned int skip_prefixes(const uint8_t *b, unsigned int n)
{
	unsigned int i = 0;

	while (i < n && (is_legacy_prefix(b[i]) || (b[i] & 0xf0) == 0x40))
		i++;
	return i;
}

static bool has_prefix(const uint8_t *b, unsigned int end, uint8_t p)
{
	unsigned int i;

	for (i = 0; i < end; i++)
		if (b[i] == p)
			return true;
	return false;
}

/* 8c/8e naming segment register 6 or 7 (which do not exist), or 8e /1. */
static bool bad_sreg(const uint8_t *b, unsigned int n)
{
	unsigned int i = skip_prefixes(b, n), reg;

	if (i + 1 >= n || (b[i] != 0x8c && b[i] != 0x8e))
		return false;
	reg = (b[i + 1] >> 3) & 7;
	return reg >= 6 || (b[i] == 0x8e && reg == 1);
}

/* 66 e8/e9/0f 8x (no REX.W): objdump takes AMD's rel16, Intel reads rel32. */
static bool rel16_branch(const uint8_t *b, unsigned int n)
{
	unsigned int i = skip_prefixes(b, n);

	if (i >= n || !has_prefix(b, i, 0x66) || (i && (b[i - 1] & 0xf8) == 0x48))
		return false;
	return b[i] == 0xe8 || b[i] == 0xe9 ||
	       (b[i] == 0x0f && i + 1 < n && (b[i + 1] & 0xf0) == 0x80);
}

/* REX, 66, f2, f3 or lock before a VEX/EVEX prefix. */
static bool prefix_before_vex(const uint8_t *b, unsigned int n)
{
	unsigned int i = skip_prefixes(b, n), j;

	if (i >= n || (b[i] != 0xc4 && b[i] != 0xc5 && b[i] != 0x62))
		return false;
	for (j = 0; j < i; j++)
		if ((b[j] & 0xf0) == 0x40 || b[j] == 0x66 || b[j] == 0xf0 ||
		    b[j] == 0xf2 || b[j] == 0xf3)
			return true;
	return false;
}

static const struct known_class known_classes[] = {
	{ "bad-sreg", "mov to/from segment register 6/7, or mov to %cs: "
	  "#UD on every CPU, objdump prints %? or %cs", bad_sreg },
	{ "66-rel32", "call/jmp/jcc rel32 with 66: objdump decodes AMD's rel16, "
	  "Intel ignores 66 and reads rel32; we refuse to guess", rel16_branch },
	{ "prefix-vex", "REX/66/f2/f3/lock before VEX: #UD, objdump prints "
	  "the prefix as part of the instruction", prefix_before_vex },
};
#define NR_KNOWN (ARRAY_SIZE(known_classes))

struct counts {
	unsigned long insns, mismatches, skipped, fused, cs_undecoded;
	unsigned long known[NR_KNOWN];
};

static csh cs;
static bool verbose;

/* ---------------------------------------------------------------- objdump */

/* Start objdump on @path; returns a stream of its output and its pid. */
static FILE *objdump_open(const char *path, pid_t *pid)
{
	const char *tool = getenv("OBJDUMP") ? getenv("OBJDUMP") : "objdump";
	int fd[2];

	if (pipe(fd))
		return NULL;
	*pid = fork();
	if (*pid < 0)
		return NULL;
	if (*pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		setenv("LC_ALL", "C", 1);
		execlp(tool, tool, "-d", "-w", "--insn-width=15", path, (char *)NULL);
		perror(tool);
		_exit(127);
	}
	close(fd[1]);
	return fdopen(fd[0], "r");
}

/*
 * Parse "  addr:\tbytes\ttext". Returns false for anything else: headers,
 * symbol labels, "..." for skipped zeros, blank lines.
 */
static bool parse_line(const char *s, struct line *l)
{
	const char *tab;
	char *end;
	unsigned int v;
	int used;

	l->addr = strtoul(s, &end, 16);
	if (end == s || end[0] != ':' || end[1] != '\t')
		return false;
	s = end + 2;
	tab = strchr(s, '\t');
	l->n = 0;
	while (l->n < INSN_MAX_LEN && (!tab || s < tab) &&
	       sscanf(s, "%2x%n", &v, &used) == 1 && used == 2) {
		l->bytes[l->n++] = v;
		s += 2;
		while (*s == ' ')
			s++;
	}
	snprintf(l->text, sizeof(l->text), "%s", tab ? tab + 1 : "");
	l->text[strcspn(l->text, "\n")] = 0;
	return l->n > 0;
}

static const char *const prefix_words[] = {
	"lock", "rep", "repz", "repnz", "repe", "repne", "data16", "data32",
	"addr16", "addr32", "cs", "ds", "es", "fs", "gs", "ss", "bnd",
	"notrack", "xacquire", "xrelease", "{vex}", "{vex3}", "{evex}", NULL,
};

/* Is @w (up to @len chars) a prefix objdump prints before a mnemonic? */
static bool is_prefix_word(const char *w, size_t len)
{
	int i;

	if (len >= 3 && !strncmp(w, "rex", 3))
		return true;
	for (i = 0; prefix_words[i]; i++)
		if (strlen(prefix_words[i]) == len && !strncmp(w, prefix_words[i], len))
			return true;
	return false;
}

/* Skip the prefix words; returns the mnemonic (NULL if there is none). */
static const char *mnemonic_of(const char *text)
{
	const char *w = text;
	size_t len;

	for (;;) {
		while (*w == ' ')
			w++;
		len = strcspn(w, " ");
		if (!len)
			return NULL;
		if (!is_prefix_word(w, len))
			return w;
		w += len;
	}
}

/* Lines objdump itself could not decode: not a test of our decoder. */
static bool objdump_gave_up(const struct line *l)
{
	return strstr(l->text, "(bad)") || !strncmp(l->text, ".byte", 5) ||
	       !strncmp(l->text, ".word", 5) || !mnemonic_of(l->text);
}

/*
 * AT&T mnemonics and the kinds they imply. A name ending in '*' matches any
 * mnemonic it starts (callq, retw, loopel, sysretq ...). @star is the kind
 * when the operand starts with '*' (an indirect call or jump).
 */
static const struct {
	const char *name;
	enum insn_kind kind, star;
} mnemonic_kinds[] = {
	{ "call*", INSN_CALL_REL32, INSN_CALL_INDIRECT },
	{ "lcall*", INSN_CALL_INDIRECT, INSN_CALL_INDIRECT },
	{ "jmp*", INSN_JMP_REL32, INSN_JMP_INDIRECT },
	{ "ljmp*", INSN_JMP_INDIRECT, INSN_JMP_INDIRECT },
	{ "jo", INSN_JCC_REL32, 0 }, { "jno", INSN_JCC_REL32, 0 },
	{ "jb", INSN_JCC_REL32, 0 }, { "jae", INSN_JCC_REL32, 0 },
	{ "je", INSN_JCC_REL32, 0 }, { "jne", INSN_JCC_REL32, 0 },
	{ "jbe", INSN_JCC_REL32, 0 }, { "ja", INSN_JCC_REL32, 0 },
	{ "js", INSN_JCC_REL32, 0 }, { "jns", INSN_JCC_REL32, 0 },
	{ "jp", INSN_JCC_REL32, 0 }, { "jnp", INSN_JCC_REL32, 0 },
	{ "jl", INSN_JCC_REL32, 0 }, { "jge", INSN_JCC_REL32, 0 },
	{ "jle", INSN_JCC_REL32, 0 }, { "jg", INSN_JCC_REL32, 0 },
	{ "loop*", INSN_LOOP, 0 }, { "jrcxz", INSN_LOOP, 0 },
	{ "jecxz", INSN_LOOP, 0 }, { "xbegin*", INSN_XBEGIN, 0 },
	{ "ret*", INSN_RET, 0 }, { "lret*", INSN_RET, 0 },
	{ "int3", INSN_INT3, 0 }, { "int1", INSN_INT1, 0 },
	{ "icebp", INSN_INT1, 0 }, { "int", INSN_INT_N, 0 },
	{ "iret*", INSN_IRET, 0 }, { "syscall", INSN_SYSCALL, 0 },
	{ "sysenter", INSN_SYSCALL, 0 }, { "sysret*", INSN_SYSRET, 0 },
	{ "sysexit*", INSN_SYSRET, 0 }, { "pushf*", INSN_PUSHF, 0 },
	{ "popf*", INSN_POPF, 0 }, { "cli", INSN_CLI, 0 }, { "sti", INSN_STI, 0 },
	{ "hlt", INSN_HLT, 0 }, { "ud0", INSN_UD2, 0 }, { "ud1", INSN_UD2, 0 },
	{ "ud2", INSN_UD2, 0 },
};

/* Does the mnemonic @m (@len chars) match the table's @name? */
static bool mnemonic_is(const char *m, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (name[n - 1] == '*')
		return len >= n - 1 && !strncmp(m, name, n - 1);
	return len == n && !strncmp(m, name, n);
}

/*
 * The kind objdump's AT&T text implies. Relative jumps come back as
 * INSN_JMP_REL32 and jcc as INSN_JCC_REL32 whatever their size: objdump
 * does not say, capstone does (see family()).
 */
static enum insn_kind objdump_kind(const char *text)
{
	const char *m = mnemonic_of(text);
	size_t len = strcspn(m, " ,");	/* "jne,pn" carries a hint */
	const char *ops = m + strcspn(m, " ");
	unsigned int i;

	while (*ops == ' ')
		ops++;
	for (i = 0; i < ARRAY_SIZE(mnemonic_kinds); i++) {
		if (!mnemonic_is(m, len, mnemonic_kinds[i].name))
			continue;
		if (*ops == '*')
			return mnemonic_kinds[i].star;
		/* "ret $0x8" but not "ret    # comment" */
		if (mnemonic_kinds[i].kind == INSN_RET && *ops && *ops != '#')
			return INSN_RET_IMM;
		return mnemonic_kinds[i].kind;
	}
	return INSN_ORDINARY;
}

/* Kinds that objdump cannot tell apart by their text. */
static enum insn_kind family(enum insn_kind k)
{
	if (k == INSN_JMP_REL8)
		return INSN_JMP_REL32;
	if (k == INSN_JCC_REL8)
		return INSN_JCC_REL32;
	return k;
}

/* ---------------------------------------------------------------- capstone */

/* The kind capstone's decoding implies. */
static enum insn_kind capstone_kind(const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;
	bool imm = x->op_count && x->operands[0].type == X86_OP_IMM;
	bool two_byte = x->opcode[0] == 0x0f;

	switch (ci->id) {
	case X86_INS_CALL: return imm ? INSN_CALL_REL32 : INSN_CALL_INDIRECT;
	case X86_INS_LCALL: return INSN_CALL_INDIRECT;
	case X86_INS_JMP:
		if (!imm)
			return INSN_JMP_INDIRECT;
		return x->opcode[0] == 0xeb ? INSN_JMP_REL8 : INSN_JMP_REL32;
	case X86_INS_LJMP: return INSN_JMP_INDIRECT;
	case X86_INS_JAE: case X86_INS_JA: case X86_INS_JBE: case X86_INS_JB:
	case X86_INS_JE: case X86_INS_JGE: case X86_INS_JG: case X86_INS_JLE:
	case X86_INS_JL: case X86_INS_JNE: case X86_INS_JNO: case X86_INS_JNP:
	case X86_INS_JNS: case X86_INS_JO: case X86_INS_JP: case X86_INS_JS:
		return two_byte ? INSN_JCC_REL32 : INSN_JCC_REL8;
	case X86_INS_LOOP: case X86_INS_LOOPE: case X86_INS_LOOPNE:
	case X86_INS_JRCXZ: case X86_INS_JECXZ: case X86_INS_JCXZ:
		return INSN_LOOP;
	case X86_INS_XBEGIN: return INSN_XBEGIN;
	case X86_INS_RET: case X86_INS_RETF: case X86_INS_RETFQ:
		return x->op_count ? INSN_RET_IMM : INSN_RET;
	case X86_INS_INT3: return INSN_INT3;
	case X86_INS_INT1: return INSN_INT1;
	case X86_INS_INT: return INSN_INT_N;
	case X86_INS_INTO: return INSN_INTO;
	case X86_INS_IRET: case X86_INS_IRETD: case X86_INS_IRETQ:
		return INSN_IRET;
	case X86_INS_SYSCALL: case X86_INS_SYSENTER: return INSN_SYSCALL;
	case X86_INS_SYSRET: case X86_INS_SYSEXIT: return INSN_SYSRET;
	case X86_INS_PUSHF: case X86_INS_PUSHFD: case X86_INS_PUSHFQ:
		return INSN_PUSHF;
	case X86_INS_POPF: case X86_INS_POPFD: case X86_INS_POPFQ:
		return INSN_POPF;
	case X86_INS_CLI: return INSN_CLI;
	case X86_INS_STI: return INSN_STI;
	case X86_INS_HLT: return INSN_HLT;
	case X86_INS_UD0: case X86_INS_UD2: case X86_INS_UD2B: return INSN_UD2;
	default: return INSN_ORDINARY;
	}
}

static bool capstone_rip_relative(const cs_insn *ci)
{
	const cs_x86 *x = &ci->detail->x86;
	int i;

	for (i = 0; i < x->op_count; i++)
		if (x->operands[i].type == X86_OP_MEM &&
		    (x->operands[i].mem.base == X86_REG_RIP ||
		     x->operands[i].mem.base == X86_REG_EIP))
			return true;
	return false;
}

/* ---------------------------------------------------------------- checking */

static void print_bytes(const uint8_t *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", b[i]);
}

static void describe_ours(const struct line *l, const uint8_t *more,
			  unsigned int nmore)
{
	uint8_t buf[2 * INSN_MAX_LEN];
	struct insn insn;
	unsigned int n = l->n;

	if (!insn_decode(&insn, l->bytes, l->n)) {
		printf("len %u %s%s", insn.length, insn_kind_name(insn.kind),
		       insn.rip_relative ? " rip" : "");
		return;
	}
	printf("error");
	/* What we would take given the bytes that follow, to help debugging. */
	memcpy(buf, l->bytes, n);
	if (nmore > sizeof(buf) - n)
		nmore = sizeof(buf) - n;
	memcpy(buf + n, more, nmore);
	if (nmore && !insn_decode(&insn, buf, n + nmore))
		printf(" (len %u with the following bytes)", insn.length);
}

static void report(const char *file, const struct line *l, const char *what,
		   const uint8_t *more, unsigned int nmore, const char *theirs,
		   struct counts *c)
{
	c->mismatches++;
	if (c->mismatches > MAX_REPORTS)
		return;
	printf("MISMATCH %s %lx: ", file, l->addr);
	print_bytes(l->bytes, l->n);
	printf(" | %s | ours: ", what);
	describe_ours(l, more, nmore);
	printf(" | objdump: len %u \"%s\"%s%s\n", l->n, l->text,
	       theirs ? " | capstone: " : "", theirs ? theirs : "");
}

/* Is this line, which we refuse, one of the known objdump errors? */
static bool known_objdump_error(const struct line *l, struct counts *c)
{
	unsigned int i;

	for (i = 0; i < NR_KNOWN; i++) {
		if (known_classes[i].match(l->bytes, l->n)) {
			c->known[i]++;
			if (verbose)
				printf("known %s %lx: %s\n", known_classes[i].name,
				       l->addr, l->text);
			return true;
		}
	}
	return false;
}

/* objdump's "fstcw" etc. are fwait plus the no-wait x87 instruction. */
static bool fused_fwait(const struct line *l)
{
	struct insn a, b;

	return l->n > 1 && l->bytes[0] == 0x9b &&
	       !insn_decode(&a, l->bytes, 1) &&
	       !insn_decode(&b, l->bytes + 1, l->n - 1) && b.length == l->n - 1;
}

/* Compare with capstone where it decodes these bytes to the same length. */
static void check_capstone(const char *file, const struct line *l,
			   const struct insn *insn, struct counts *c)
{
	const uint8_t *code = l->bytes;
	size_t size = l->n;
	uint64_t addr = l->addr;
	cs_insn *ci = cs_malloc(cs);
	char theirs[200];
	enum insn_kind k;
	bool rip;

	if (!cs_disasm_iter(cs, &code, &size, &addr, ci) || ci->size != l->n) {
		c->cs_undecoded++;
		if (verbose)
			printf("capstone cannot decode %lx: %s\n", l->addr, l->text);
		cs_free(ci, 1);
		return;
	}
	k = capstone_kind(ci);
	rip = capstone_rip_relative(ci);
	if (k != insn->kind || rip != insn->rip_relative) {
		snprintf(theirs, sizeof(theirs), "\"%s %s\" %s%s", ci->mnemonic,
			 ci->op_str, insn_kind_name(k), rip ? " rip" : "");
		report(file, l, k != insn->kind ? "kind" : "rip-relative",
		       NULL, 0, theirs, c);
	}
	cs_free(ci, 1);
}

/* Check one objdump line; @more/@nmore are the bytes of the line after it. */
static void check_line(const char *file, const struct line *l,
		       const uint8_t *more, unsigned int nmore, struct counts *c)
{
	struct insn insn;
	bool rip;

	if (objdump_gave_up(l)) {
		c->skipped++;
		if (verbose)
			printf("skip %lx: %s\n", l->addr, l->text);
		return;
	}
	c->insns++;
	if (insn_decode(&insn, l->bytes, l->n) || insn.length != l->n) {
		if (fused_fwait(l)) {
			c->fused++;
			return;
		}
		if (insn_decode(&insn, l->bytes, l->n) && known_objdump_error(l, c))
			return;
		report(file, l, "length", more, nmore, NULL, c);
		return;
	}
	rip = strstr(l->text, "(%rip)") || strstr(l->text, "(%eip)");
	if (rip != insn.rip_relative) {
		report(file, l, "rip-relative", NULL, 0, NULL, c);
		return;
	}
	if (family(insn.kind) != objdump_kind(l->text)) {
		report(file, l, "kind", NULL, 0, NULL, c);
		return;
	}
	check_capstone(file, l, &insn, c);
}

/* Run objdump on one file and check every instruction it prints. */
static int check_file(const char *file, struct counts *c)
{
	struct line lines[2];
	int cur = 0, have = 0, status;
	char buf[1024];
	pid_t pid;
	FILE *f = objdump_open(file, &pid);

	if (!f) {
		perror("objdump");
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		if (!parse_line(buf, &lines[cur]))
			continue;
		/* Check the previous line, now that the bytes after it are known. */
		if (have)
			check_line(file, &lines[!cur], lines[cur].bytes, lines[cur].n, c);
		have = 1;
		cur = !cur;
	}
	if (have)
		check_line(file, &lines[!cur], NULL, 0, c);
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "insn-oracle: objdump failed on %s\n", file);
		return -1;
	}
	return 0;
}

/* Check one file, print its counts, add them to @total; true if it failed. */
static bool check_and_report(const char *file, struct counts *total)
{
	struct counts c = { 0 };
	int err = check_file(file, &c);
	unsigned long known = 0;
	unsigned int k;

	for (k = 0; k < NR_KNOWN; k++) {
		known += c.known[k];
		total->known[k] += c.known[k];
	}
	printf("%s: instructions %lu, mismatches %lu, skipped %lu, "
	       "known objdump errors %lu, fwait+x87 pairs %lu, "
	       "not decoded by capstone %lu\n", file, c.insns, c.mismatches,
	       c.skipped, known, c.fused, c.cs_undecoded);
	total->insns += c.insns;
	total->mismatches += c.mismatches;
	total->skipped += c.skipped;
	return err || c.mismatches || !c.insns;
}

static void usage(void)
{
	fprintf(stderr, "usage: insn-oracle [-v] ELF...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct counts total = { 0 };
	int opt, nfiles = 0, failed = 0;
	unsigned int i, k;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt != 'v')
			usage();
		verbose = true;
	}
	if (optind >= argc)
		usage();
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK ||
	    cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK) {
		fprintf(stderr, "insn-oracle: cannot open capstone\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = optind; i < (unsigned int)argc; i++) {
		nfiles++;
		if (check_and_report(argv[i], &total))
			failed++;
	}
	for (k = 0; k < NR_KNOWN; k++)
		if (total.known[k])
			printf("known objdump error %s: %lu (%s)\n",
			       known_classes[k].name, total.known[k],
			       known_classes[k].reason);
	cs_close(&cs);
	printf("%d passed, %d failed\n", nfiles - failed, failed);
	printf("files %d, instructions %lu, mismatches %lu, skipped %lu\n",
	       nfiles, total.insns, total.mismatches, total.skipped);
	return failed ? 1 : 0;
}
