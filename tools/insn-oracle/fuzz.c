// SPDX-License-Identifier: MIT
/*
 * insn-fuzz: feed Loupe's instruction decoder (arch/x86/insn.c) millions of
 * random byte strings and check what must hold for every one of them:
 *
 *  bounds     it never reads past the buffer: each buffer ends right at an
 *             inaccessible page, so a stray read kills the process;
 *  limit      it never reads past 15 bytes, even when told the buffer is
 *             longer (the 16th byte is the inaccessible page);
 *  fields     a decoded instruction fits in its length, its parts lie
 *             inside it, the same bytes decode the same with exactly
 *             `length` bytes available, and one byte fewer is -EILSEQ;
 *  capstone   whenever capstone decodes the bytes, we decode them too and
 *             to the same length, unless the case is one of the known
 *             differences listed in known_diffs[] with its reason.
 *
 *   build/tools/insn-fuzz [-n CASES] [-s SEED] [-c CASE] [-v] [-a]
 *
 * -v prints every case, -a every failure (not only the first 30).
 *
 * The inputs are not uniform bytes: most are built like instructions
 * (prefixes, REX, VEX/EVEX/XOP, escapes, ModRM/SIB biased to the forms
 * with a SIB byte or a displacement) with a random tail, so that every
 * path of the decoder is reached. Case i depends only on the seed and i;
 * a failure prints both, and `-s SEED -c CASE` replays just that case.
 * Ends with "N passed, M failed" over the four properties above.
 */
#include <asm/insn.h>
#include <lib/compiler.h>
#include <capstone/capstone.h>

#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPORTS	30

enum { P_BOUNDS, P_LIMIT, P_FIELDS, P_CAPSTONE, NR_PROPS };
static const char *const prop_names[NR_PROPS] = {
	"bounds", "limit", "fields", "capstone",
};

static unsigned long failures[NR_PROPS];
static unsigned long nr_ours, nr_capstone, nr_agree;	/* decoded by ... */
static uint64_t seed;
static uint64_t case_no;
static uint8_t case_bytes[INSN_MAX_LEN];
static unsigned int case_len;
static uint8_t *guard;		/* first byte of the inaccessible page */
static csh cs;
static bool verbose;
static unsigned long max_reports = MAX_REPORTS;

/* ---------------------------------------------------------------- random */

static uint64_t rng;

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	rng = splitmix64(rng);
	return rng;
}

static unsigned int below(unsigned int n)
{
	return rnd() % n;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ---------------------------------------------------------------- inputs */

static const uint8_t legacy_prefixes[] = {
	0x66, 0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x2e, 0x3e, 0x26, 0x36, 0x64, 0x65,
};

static unsigned int gen_prefixes(uint8_t *p)
{
	unsigned int n = 0, want;

	if (chance(50))
		return 0;
	want = chance(3) ? 4 + below(11) : 1 + below(3);
	while (n < want)
		p[n++] = legacy_prefixes[below(sizeof(legacy_prefixes))];
	return n;
}

/* A VEX/EVEX/XOP prefix, usually with a valid map; returns its size. */
static unsigned int gen_vex(uint8_t *p)
{
	static const uint8_t evex_maps[] = { 1, 2, 3, 5, 6 };
	unsigned int r = below(100);

	if (r < 30) {
		p[0] = 0xc5;
		p[1] = rnd();
		return 2;
	}
	if (r < 85) {
		p[0] = r < 60 ? 0xc4 : 0x62;
		p[1] = rnd();
		p[2] = rnd();
		if (p[0] == 0xc4 && chance(90))
			p[1] = (p[1] & 0xe0) | (1 + below(3));
		if (p[0] == 0xc4)
			return 3;
		p[3] = rnd();
		if (chance(90)) {
			p[1] = (p[1] & 0xf0) | evex_maps[below(5)];
			p[2] |= 0x04;
		}
		return 4;
	}
	p[0] = 0x8f;			/* XOP */
	p[1] = (rnd() & 0xe0) | (8 + below(3));
	p[2] = rnd();
	return 3;
}

/* Escape bytes and opcode of a legacy instruction; returns their count. */
static unsigned int gen_opcode(uint8_t *p)
{
	unsigned int r = below(100);

	p[0] = rnd();
	if (r < 50)
		return 1;
	p[0] = 0x0f;
	p[1] = rnd();
	if (r < 75)
		return 2;
	p[1] = r < 88 ? 0x38 : 0x3a;
	p[2] = rnd();
	return 3;
}

/* ModRM (and SIB), biased to forms that carry more bytes. */
static unsigned int gen_modrm(uint8_t *p)
{
	p[0] = rnd();
	p[1] = rnd();
	if (chance(50))
		return 2;
	switch (below(4)) {
	case 0: p[0] = (p[0] & 0x38) | 0x05; break;		/* rip + disp32 */
	case 1: p[0] = (p[0] & 0xf8) | 0x04; break;		/* SIB */
	case 2: p[0] = (p[0] & 0x38) | 0x04;			/* SIB, no base */
		p[1] = (p[1] & 0xf8) | 0x05; break;
	default: p[0] |= 0xc0; break;				/* register */
	}
	return 2;
}

/* Fill case_bytes with one input and choose how many of them to offer. */
static void gen_case(void)
{
	uint8_t *p = case_bytes;
	unsigned int n = 0;

	rng = splitmix64(seed ^ splitmix64(case_no));
	for (n = 0; n < INSN_MAX_LEN; n++)
		p[n] = rnd();
	if (chance(90)) {
		uint8_t head[64];

		n = gen_prefixes(head);
		if (chance(40))
			head[n++] = 0x40 | below(16);
		if (chance(25))
			n += gen_vex(head + n);
		n += gen_opcode(head + n);
		n += gen_modrm(head + n);
		memcpy(p, head, n < INSN_MAX_LEN ? n : INSN_MAX_LEN);
	}
	case_len = chance(70) ? INSN_MAX_LEN : 1 + below(INSN_MAX_LEN);
}

/* ---------------------------------------------------------------- checks */

static void print_case(FILE *f)
{
	unsigned int i;

	fprintf(f, "seed %" PRIu64 " case %" PRIu64 " bytes", seed, case_no);
	for (i = 0; i < case_len; i++)
		fprintf(f, " %02x", case_bytes[i]);
}

static void fail(int prop, const char *what)
{
	if (failures[P_BOUNDS] + failures[P_LIMIT] + failures[P_FIELDS] +
	    failures[P_CAPSTONE] < max_reports) {
		printf("FAIL %s: ", prop_names[prop]);
		print_case(stdout);
		printf(": %s\n", what);
	}
	failures[prop]++;
}

/* A stray read hits the guard page: say which case did it. */
static void on_segv(int sig)
{
	(void)sig;
	printf("FAIL bounds: ");
	print_case(stdout);
	printf(": read outside the buffer or past 15 bytes "
	       "(replay with -s %" PRIu64 " -c %" PRIu64 ")\n", seed, case_no);
	printf("%d passed, %d failed\n", NR_PROPS - 1, 1);
	fflush(stdout);
	_exit(1);
}

/* Decode @len bytes of the case placed so that they end at the guard page. */
static int decode_at_end(struct insn *insn, unsigned int len, size_t claim)
{
	uint8_t *p = guard - len;

	memcpy(p, case_bytes, len);
	return insn_decode(insn, p, claim);
}

static bool field_inside(const struct insn_field *f, unsigned int len)
{
	return !f->size || f->offset + f->size <= len;
}

/* What is wrong with a successful decode, or NULL if nothing is. */
static const char *fields_problem(const struct insn *insn)
{
	struct insn again;
	unsigned int len = insn->length;

	if (len < 1 || len > case_len)
		return "length out of range";
	if (!field_inside(&insn->disp, len) || !field_inside(&insn->imm, len) ||
	    !field_inside(&insn->imm2, len) ||
	    insn->opcode.offset + insn->opcode.nr > len ||
	    (insn->modrm.present && insn->modrm.offset >= len) ||
	    (insn->sib.present && insn->sib.offset >= len))
		return "a field lies outside the instruction";
	if (insn->rip_relative &&
	    (insn->disp.size != 4 || insn->rip_disp_offset != insn->disp.offset))
		return "rip-relative without its disp32";
	if (decode_at_end(&again, len, len) || again.length != len ||
	    again.kind != insn->kind || again.rip_relative != insn->rip_relative)
		return "decodes differently with exactly length bytes";
	/* The decoder never looks at the buffer size except to stop. */
	if (!decode_at_end(&again, len - 1, len - 1))
		return "one byte short still decodes";
	return NULL;
}

/*
 * Where capstone 4 and we knowingly differ. Each entry says why we are the
 * ones to believe.
 */
struct known_diff {
	const char *name;
	const char *reason;
	bool (*match)(const uint8_t *b, unsigned int n, int ours,
		      const cs_insn *ci);
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

/* Is there a 66 prefix that a REX.W right before the opcode does not override? */
static bool has_opsize(const uint8_t *b, unsigned int i)
{
	unsigned int j;

	if (i && (b[i - 1] & 0xf8) == 0x48)
		return false;
	for (j = 0; j < i; j++)
		if (b[j] == 0x66)
			return true;
	return false;
}

/* ud0 (0f ff) and ud1 (0f b9): capstone 4 stops after the opcode. */
static bool ud_modrm(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	(void)ours;
	return (ci->id == X86_INS_UD0 || ci->id == X86_INS_UD2B) &&
	       i + 1 < n && b[i] == 0x0f && (b[i + 1] == 0xff || b[i + 1] == 0xb9);
}

/* 66 e8/e9/0f 8x: capstone reads Intel's rel32, we refuse (AMD: rel16). */
static bool rel16_branch(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	(void)ci;
	return ours && i < n && has_opsize(b, i) &&
	       (b[i] == 0xe8 || b[i] == 0xe9 ||
		(b[i] == 0x0f && i + 1 < n && (b[i + 1] & 0xf0) == 0x80));
}

/* 66, f2, f3, lock or REX before VEX/EVEX: #UD, capstone accepts it. */
static bool prefix_before_vex(const uint8_t *b, unsigned int n, int ours,
			      const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n), j;

	(void)ci;
	if (!ours || i >= n || (b[i] != 0xc4 && b[i] != 0xc5 && b[i] != 0x62 &&
				b[i] != 0x8f))
		return false;
	for (j = 0; j < i; j++)
		if ((b[j] & 0xf0) == 0x40 || b[j] == 0x66 || b[j] == 0xf0 ||
		    b[j] == 0xf2 || b[j] == 0xf3)
			return true;
	return false;
}

/* 8c/8e with segment register 6 or 7, 8e loading cs: #UD. */
static bool bad_sreg(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n), reg;

	(void)ci;
	if (!ours || i + 1 >= n || (b[i] != 0x8c && b[i] != 0x8e))
		return false;
	reg = (b[i + 1] >> 3) & 7;
	return reg >= 6 || (b[i] == 0x8e && reg == 1);
}

/*
 * Do the bytes, with the prefixes in @drop removed and those in @swap
 * replaced by @to, decode to capstone's length? That is how capstone read
 * them. False if there was nothing to edit.
 */
static bool decodes_as(const uint8_t *b, unsigned int n, const cs_insn *ci,
		       const char *drop, const char *swap, uint8_t to)
{
	unsigned int i = skip_prefixes(b, n), j, m = 0;
	uint8_t edited[INSN_MAX_LEN];
	bool changed = false;
	struct insn insn;

	for (j = 0; j < n; j++) {
		if (j < i && b[j] && strchr(drop, b[j])) {
			changed = true;
			continue;
		}
		if (j < i && b[j] && strchr(swap, b[j])) {
			changed = true;
			edited[m++] = to;
			continue;
		}
		edited[m++] = b[j];
	}
	return changed && !insn_decode(&insn, edited, m) &&
	       insn.length + (n - m) == ci->size;
}

static bool has_byte(const uint8_t *b, unsigned int i, uint8_t x)
{
	return memchr(b, x, i) != NULL;
}

/*
 * An MMX/SSE opcode with a 66, f2 or f3 prefix it has no form for: we
 * refuse it (so does objdump), capstone drops the prefix.
 */
static bool reserved_prefix(const uint8_t *b, unsigned int n, int ours,
			    const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	return ours && i < n && b[i] == 0x0f &&
	       (decodes_as(b, n, ci, "\x66\xf2\xf3", "", 0) ||
		decodes_as(b, n, ci, "\xf2\xf3", "", 0));
}

/*
 * capstone 4 takes a 67 prefix for the 66 that an SSE opcode needs (and
 * then ignores f2/f3), and reads call/jmp/jcc with 67 as rel16.
 */
static bool addr_as_opsize(const uint8_t *b, unsigned int n, int ours,
			   const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	if (i >= n || !has_byte(b, i, 0x67))
		return false;
	/* call/jmp rel16 (i + 3 bytes), jcc rel16 (i + 4 bytes) */
	if ((b[i] == 0xe8 || b[i] == 0xe9) && ci->size == i + 3)
		return true;
	if (b[i] == 0x0f && i + 1 < n && (b[i + 1] & 0xf0) == 0x80 &&
	    ci->size == i + 4)
		return true;
	return ours && b[i] == 0x0f && !has_opsize(b, i) &&
	       (decodes_as(b, n, ci, "", "\x67", 0x66) ||
		decodes_as(b, n, ci, "\xf2\xf3", "\x67", 0x66));
}

/* capstone 4 decodes an EVEX ModRM after 67 with 16-bit addressing. */
static bool evex_addr32(const uint8_t *b, unsigned int n, int ours,
			const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	(void)ours;
	(void)ci;
	return i < n && b[i] == 0x62 && has_byte(b, i, 0x67);
}

/*
 * EVEX register forms that capstone 4 takes for static rounding (vaddss,
 * vmulss ... whatever EVEX.b says): it reads one byte more.
 */
static bool evex_rounding(const uint8_t *b, unsigned int n, int ours,
			  const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);
	struct insn insn;

	return !ours && i < n && b[i] == 0x62 && !insn_decode(&insn, b, n) &&
	       insn.modrm.mod == 3 && ci->size == insn.length + 1;
}

/* 0f 0f with a last byte that is no 3DNow! opcode: capstone 4 says femms. */
static bool femms_suffix(const uint8_t *b, unsigned int n, int ours,
			 const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	return ours && ci->id == X86_INS_FEMMS && i + 1 < n &&
	       b[i] == 0x0f && b[i + 1] == 0x0f;
}

/* capstone 4 drops a 66 prefix when f2/f3 are also there (push imm16 ...). */
static bool opsize_dropped(const uint8_t *b, unsigned int n, int ours,
			   const cs_insn *ci)
{
	return !ours && decodes_as(b, n, ci, "\x66", "", 0);
}

/* ret/retf imm16 with REX.W: capstone 4 reads an imm32. */
static bool ret_imm32(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);
	struct insn insn;

	return !ours && i < n && (b[i] == 0xc2 || b[i] == 0xca) &&
	       !insn_decode(&insn, b, n) && ci->size == insn.length + 2;
}

/*
 * 66/f2 0f 78/79: AMD's extrq/insertq; capstone 4 reads Intel's
 * vmread/vmwrite there, and extrq after 67 or f3.
 */
static bool sse4a(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);

	(void)ours;
	(void)ci;
	if (i + 1 >= n || b[i] != 0x0f || (b[i + 1] != 0x78 && b[i + 1] != 0x79))
		return false;
	return has_byte(b, i, 0x66) || has_byte(b, i, 0xf2) ||
	       has_byte(b, i, 0xf3) || has_byte(b, i, 0x67);
}

/* Undocumented x87 register forms the SDM leaves blank (fstp1, fxch4 ...). */
static bool x87_alias(const uint8_t *b, unsigned int n, int ours, const cs_insn *ci)
{
	unsigned int i = skip_prefixes(b, n);
	uint8_t m;

	(void)ci;
	if (!ours || i + 1 >= n || b[i] < 0xd8 || b[i] > 0xdf || b[i + 1] < 0xc0)
		return false;
	m = b[i + 1];
	switch (b[i]) {
	case 0xd9: return m >= 0xd8 && m <= 0xdf;
	case 0xdc: return m >= 0xd0 && m <= 0xdf;
	case 0xdd: return m >= 0xc8 && m <= 0xcf;
	case 0xde: return m >= 0xd0 && m <= 0xd7;
	case 0xdf: return m >= 0xc8 && m <= 0xdf;
	}
	return false;
}

static const struct known_diff known_diffs[] = {
	{ "ud-modrm", "ud0/ud1 take a ModRM byte (Intel SDM); capstone 4 "
	  "decodes them as two bytes", ud_modrm },
	{ "66-rel32", "call/jmp/jcc rel32 with 66: Intel reads rel32, AMD "
	  "rel16; we refuse to guess, capstone takes Intel's", rel16_branch },
	{ "prefix-vex", "66/f2/f3/lock/REX before VEX/EVEX/XOP is #UD; "
	  "capstone ignores the rule", prefix_before_vex },
	{ "bad-sreg", "mov to/from segment register 6/7 or mov to cs is #UD; "
	  "capstone accepts it", bad_sreg },
	{ "reserved-prefix", "66/f2/f3 on an MMX/SSE opcode without that form "
	  "is reserved (SDM vol. 2, 2.1.1); objdump rejects it too, capstone "
	  "drops the prefix", reserved_prefix },
	{ "x87-alias", "undocumented x87 alias encodings are blank in the SDM "
	  "opcode map; objdump rejects them too", x87_alias },
	{ "addr-as-opsize", "capstone 4 takes a 67 prefix for the 66 an SSE "
	  "opcode needs (objdump rejects these too) and makes rel32 rel16",
	  addr_as_opsize },
	{ "evex-addr32", "capstone 4 decodes an EVEX ModRM after 67 with "
	  "16-bit addressing, which 64-bit mode does not have", evex_addr32 },
	{ "evex-rounding", "EVEX register forms that capstone 4 takes for "
	  "static rounding: it reads one byte too many, objdump agrees with us",
	  evex_rounding },
	{ "3dnow-suffix", "0f 0f with a last byte that names no 3DNow! "
	  "instruction; capstone 4 calls it femms", femms_suffix },
	{ "opsize-dropped", "capstone 4 ignores 66 when f2/f3 are present "
	  "(66 f2 68 is push imm16, as objdump agrees)", opsize_dropped },
	{ "ret-imm32", "ret/retf take imm16 whatever REX.W says; capstone 4 "
	  "reads imm32", ret_imm32 },
	{ "sse4a", "66/f2 0f 78/79 are AMD's extrq/insertq (with their "
	  "immediates); capstone 4 reads vmread/vmwrite", sse4a },
	{ NULL, NULL, NULL },
};

static unsigned long known_hits[ARRAY_SIZE(known_diffs)];

static bool known_difference(int ours, const cs_insn *ci)
{
	unsigned int i;

	for (i = 0; known_diffs[i].name; i++) {
		if (known_diffs[i].match(case_bytes, case_len, ours, ci)) {
			known_hits[i]++;
			return true;
		}
	}
	return false;
}

static void check_capstone(const struct insn *insn, int ours, cs_insn *ci)
{
	const uint8_t *code = case_bytes;
	size_t size = case_len;
	uint64_t addr = 0x1000;
	char detail[256];

	if (!cs_disasm_iter(cs, &code, &size, &addr, ci))
		return;
	nr_capstone++;
	if (!ours && insn->length == ci->size) {
		nr_agree++;
		return;
	}
	if (known_difference(ours, ci))
		return;
	snprintf(detail, sizeof(detail), "ours %s%u, capstone %u \"%s %s\"",
		 ours ? "error/" : "", ours ? 0 : insn->length, ci->size,
		 ci->mnemonic, ci->op_str);
	fail(P_CAPSTONE, detail);
}

static void run_case(cs_insn *ci)
{
	struct insn insn, wide;
	const char *problem;
	int ours, again;

	gen_case();
	ours = decode_at_end(&insn, case_len, case_len);
	if (case_len == INSN_MAX_LEN) {
		/* Claim a longer buffer: byte 16 is the guard page. */
		again = decode_at_end(&wide, INSN_MAX_LEN, INSN_MAX_LEN + 1 + below(64));
		if (again != ours || (!ours && wide.length != insn.length))
			fail(P_LIMIT, "result changes with a longer buffer");
	}
	nr_ours += !ours;
	if (!ours && (problem = fields_problem(&insn)))
		fail(P_FIELDS, problem);
	check_capstone(&insn, ours, ci);
	if (verbose) {
		print_case(stdout);
		printf(": %s %u\n", ours ? "error" : "len", ours ? 0 : insn.length);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: insn-fuzz [-n CASES] [-s SEED] [-c CASE] [-v] [-a]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t cases = 2000000, only = UINT64_MAX;
	long page = sysconf(_SC_PAGESIZE);
	unsigned int i, failed = 0;
	cs_insn *ci;
	uint8_t *mem;
	int opt;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((opt = getopt(argc, argv, "n:s:c:va")) != -1) {
		switch (opt) {
		case 'a': max_reports = ULONG_MAX; break;
		case 'n': cases = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'c': only = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = true; break;
		default: usage();
		}
	}
	mem = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem + page, page, PROT_NONE)) {
		perror("insn-fuzz: guard page");
		return 1;
	}
	guard = mem + page;
	signal(SIGSEGV, on_segv);
	signal(SIGBUS, on_segv);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		fprintf(stderr, "insn-fuzz: cannot open capstone\n");
		return 1;
	}
	ci = cs_malloc(cs);
	printf("insn-fuzz: seed %" PRIu64 ", %" PRIu64 " cases "
	       "(replay one with -s SEED -c CASE)\n", seed, cases);
	if (only != UINT64_MAX) {
		verbose = true;
		case_no = only;
		run_case(ci);
	} else {
		for (case_no = 0; case_no < cases; case_no++)
			run_case(ci);
	}
	cs_free(ci, 1);
	cs_close(&cs);
	printf("decoded: by us %lu, by capstone %lu, by both to the same length %lu\n",
	       nr_ours, nr_capstone, nr_agree);
	for (i = 0; known_diffs[i].name; i++)
		if (known_hits[i])
			printf("known difference %s: %lu (%s)\n", known_diffs[i].name,
			       known_hits[i], known_diffs[i].reason);
	for (i = 0; i < NR_PROPS; i++) {
		printf("%s: %lu failures\n", prop_names[i], failures[i]);
		failed += failures[i] != 0;
	}
	printf("%u passed, %u failed\n", NR_PROPS - failed, failed);
	return failed ? 1 : 0;
}
