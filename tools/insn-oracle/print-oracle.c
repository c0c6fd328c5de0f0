// SPDX-License-Identifier: MIT
/*
 * insn-print-oracle: check Loupe's instruction printer (arch/x86/insn_print.c)
 * against objdump, line by line, on real binaries.
 *
 *   build/tools/insn-print-oracle [-v] --full ELF      every line, symbols too
 *   build/tools/insn-print-oracle [-v] ELF...           the printer's classes
 *
 * Runs `objdump -d -w --insn-width=15` and, for each instruction it prints,
 * decodes objdump's bytes with insn_decode() and prints them with
 * insn_print(); the two texts must be equal once runs of blanks are
 * squeezed. Where objdump prints "(bad)" the decoder must refuse the bytes.
 *
 * --full (the kernel): every line counts, and branch targets and
 * RIP-relative comments are named from the ELF's symbols (read with readelf)
 * as objdump names them: the nearest symbol at or below the address
 * (see name_of() for the choice among several at one address).
 *
 * Otherwise (foreign binaries, e.g. libc): only instructions of the classes
 * the printer knows are compared, the integer and system instructions a
 * kernel built with -mgeneral-regs-only can contain. Excluded, and counted
 * by encoding: x87 (-mno-80387), MMX and SSE (-mno-mmx -mno-sse), and
 * everything VEX, EVEX or XOP encoded - AVX, AVX-512 and mask registers,
 * and also the VEX-encoded integer instructions of BMI1/BMI2 (andn, bzhi,
 * sarx, shlx, mulx ...), which gcc only emits for -mbmi/-mbmi2 or an
 * -march that has them, and the kernel is built for baseline x86-64.
 * Symbol names ("<memcpy+0x10>") are dropped from both sides: objdump
 * names PLT entries and versioned symbols from tables we do not read; the
 * addresses are still compared.
 *
 * Prints each difference, per-file counts, "N passed, M failed" for
 * scripts/test-step.sh, and exits non-zero on any difference.
 */
#include <asm/insn.h>
#include <asm/insn_print.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTS	100

struct sym {
	unsigned long addr;
	int rank;		/* 2: FUNC or OBJECT, +1: global */
	char name[120];
};

static struct sym *syms;
static size_t nsyms;
static bool verbose;

/*
 * By address; at one address the symbol objdump names first: a function
 * or object before a bare label, global before local, then by name
 * ("__kernel_start" over "__text_start"). Observed, not documented.
 */
static int sym_cmp(const void *pa, const void *pb)
{
	const struct sym *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->rank != b->rank)
		return b->rank - a->rank;
	return strcmp(a->name, b->name);
}

/* Read @elf's symbols with readelf (which gives their types). */
static int read_symbols(const char *elf)
{
	char cmd[1024], line[512], type[16], bind[16], vis[16], ndx[16];
	size_t cap = 0;
	unsigned long size;
	FILE *f;
	struct sym s;

	snprintf(cmd, sizeof(cmd), "LC_ALL=C ${READELF:-readelf} -sW '%s'", elf);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*[0-9]: %lx %lu %15s %15s %15s %15s %119s", &s.addr,
			   &size, type, bind, vis, ndx, s.name) != 7)
			continue;
		if (!strcmp(ndx, "UND") || !strcmp(ndx, "ABS") ||
		    !strcmp(type, "SECTION") || !strcmp(type, "FILE"))
			continue;
		s.rank = 2 * (!strcmp(type, "FUNC") || !strcmp(type, "OBJECT")) +
			 !strcmp(bind, "GLOBAL");
		if (nsyms == cap) {
			cap = cap ? 2 * cap : 4096;
			syms = realloc(syms, cap * sizeof(*syms));
		}
		syms[nsyms++] = s;
	}
	qsort(syms, nsyms, sizeof(*syms), sym_cmp);
	return pclose(f) ? -1 : 0;
}

/* The symbol objdump names for @addr: "name" or "name+0xoff". */
static bool name_of(uint64_t addr, char *buf, size_t size, void *arg)
{
	size_t lo = 0, hi = nsyms, best;

	(void)arg;
	while (lo < hi) {		/* first symbol above @addr */
		size_t mid = (lo + hi) / 2;

		if (syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	/* The first of the symbols at that address, in sym_cmp()'s order. */
	for (best = lo - 1; best > 0 && syms[best - 1].addr == syms[lo - 1].addr; best--)
		;
	if (addr == syms[best].addr)
		snprintf(buf, size, "%s", syms[best].name);
	else
		snprintf(buf, size, "%s+0x%lx", syms[best].name,
			 (unsigned long)(addr - syms[best].addr));
	return true;
}

/* Squeeze blanks to one space, trim; with @drop_syms remove "<...>". */
static void normalize(const char *in, char *out, size_t size, bool drop_syms)
{
	size_t n = 0;
	bool space = false, in_sym = false;

	for (; *in && *in != '\n' && n + 2 < size; in++) {
		if (drop_syms && *in == '<')
			in_sym = true;
		if (in_sym) {
			in_sym = *in != '>';
			continue;
		}
		if (*in == ' ' || *in == '\t') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = *in;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

struct counts {
	unsigned long insns, diffs, bad, undecoded, excluded[5];
};

static const char *const enc_names[5] = {
	"legacy (x87/MMX/SSE)", "VEX2", "VEX3", "EVEX", "XOP",
};

/* Parse "addr:\tbytes\ttext"; false for headers, labels, blank lines. */
static bool parse_line(const char *s, unsigned long *addr, uint8_t *bytes,
		       unsigned int *n, const char **text)
{
	char *end;
	unsigned int v;
	int used;
	const char *tab;

	*addr = strtoul(s, &end, 16);
	if (end == s || end[0] != ':' || end[1] != '\t')
		return false;
	s = end + 2;
	tab = strchr(s, '\t');
	*n = 0;
	while (*n < INSN_MAX_LEN && (!tab || s < tab) &&
	       sscanf(s, "%2x%n", &v, &used) == 1 && used == 2) {
		bytes[(*n)++] = v;
		s += 2;
		while (*s == ' ')
			s++;
	}
	*text = tab ? tab + 1 : "";
	return *n > 0;
}

static void report(struct counts *c, const char *file, unsigned long addr,
		   const char *ours, const char *theirs)
{
	if (++c->diffs <= MAX_REPORTS)
		printf("DIFF %s %lx: ours \"%s\" | objdump \"%s\"\n", file, addr,
		       ours, theirs);
}

/* Compare one objdump line with our decoding and printing of its bytes. */
static void check_line(struct counts *c, const char *file, bool full,
		       unsigned long addr, const uint8_t *bytes, unsigned int n,
		       const char *text)
{
	char ours[256] = "(bad)", theirs[256], tmp[256];
	struct insn insn;
	int len = 0;

	normalize(text, theirs, sizeof(theirs), !full);
	/* objdump prints a prefix it cannot attach as its own line. */
	if (!strcmp(theirs, "(bad)")) {
		c->bad++;
		if (!insn_decode(&insn, bytes, n))
			report(c, file, addr, "decodes", theirs);
		return;
	}
	if (insn_decode(&insn, bytes, n) || insn.length != n) {
		/* Lengths are tools/insn-oracle's business, but not here. */
		if (full) {
			c->insns++;
			report(c, file, addr, "(bad)", theirs);
		} else {
			c->undecoded++;
		}
		return;
	}
	len = insn_print(tmp, sizeof(tmp), &insn, addr, full ? name_of : NULL, NULL);
	if (len < 0 && !full) {
		c->excluded[insn.encoding]++;
		if (verbose)
			printf("excluded %lx: %s\n", addr, theirs);
		return;
	}
	c->insns++;
	normalize(tmp, ours, sizeof(ours), !full);
	if (strcmp(ours, theirs))
		report(c, file, addr, ours, theirs);
}

static int check_file(const char *file, bool full, struct counts *c)
{
	char cmd[1024], line[1024];
	const char *text;
	unsigned long addr;
	uint8_t bytes[INSN_MAX_LEN];
	unsigned int n;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
		 "LC_ALL=C ${OBJDUMP:-objdump} -d -w --insn-width=15 '%s'", file);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (parse_line(line, &addr, bytes, &n, &text))
			check_line(c, file, full, addr, bytes, n, text);
	return pclose(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0, files = 0;
	bool full = false;

	for (i = 1; i < argc; i++) {
		struct counts c = { 0 };
		unsigned int e;

		if (!strcmp(argv[i], "-v")) {
			verbose = true;
			continue;
		}
		if (!strcmp(argv[i], "--full")) {
			full = true;
			continue;
		}
		files++;
		if ((full && read_symbols(argv[i])) || check_file(argv[i], full, &c)) {
			fprintf(stderr, "insn-print-oracle: cannot read %s\n", argv[i]);
			failed++;
			continue;
		}
		printf("%s: %s, instructions %lu, differences %lu, (bad) %lu",
		       argv[i], full ? "every line" : "printer's classes",
		       c.insns, c.diffs, c.bad);
		for (e = 0; e < 5; e++)
			if (c.excluded[e])
				printf(", excluded %s %lu", enc_names[e], c.excluded[e]);
		if (c.undecoded)
			printf(", not decoded %lu (see insn-oracle)", c.undecoded);
		printf("\n");
		if (c.diffs || !c.insns)
			failed++;
		full = false;		/* --full applies to the next file only */
	}
	if (!files) {
		fprintf(stderr, "usage: insn-print-oracle [-v] [--full ELF] [ELF...]\n");
		return 2;
	}
	printf("%d passed, %d failed\n", files - failed, failed);
	return failed ? 1 : 0;
}
