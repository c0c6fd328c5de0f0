// SPDX-License-Identifier: MIT
/*
 * Running fetch-args at a probe hit: from the saved registers (or the
 * entry arguments a return probe kept) to the bytes of a record.
 *
 * This runs inside kprobe, kretprobe and fprobe handlers: it never
 * sleeps, takes no lock, allocates nothing, and reads memory only through
 * copy_from_kernel_nofault(), so a bad pointer in a probed function costs
 * one (fault) in the output, not the kernel. The file is built notrace and
 * lives in .kprobes.text (trace/build.mk): a probe on it would recurse.
 *
 * An event without strings takes one pass, straight into the record. One
 * with strings takes two: the first finds each string and its length, so
 * that the record can be reserved at its exact size; the second copies.
 */
#include <trace/probe.h>
#include <asm/ptrace.h>
#include <kernel/nofault.h>
#include <lib/printf.h>
#include <lib/string.h>

#define CHUNK	16	/* strings are read in aligned chunks: never across a page */

static bool read_word(unsigned long addr, unsigned long *v)
{
	return !copy_from_kernel_nofault(v, (const void *)addr, sizeof(*v));
}

/*
 * fetch_base(), fetch_addr() and fetch_scalar() run for each argument at
 * every hit: they are __always_inline, which saves two calls and returns
 * per argument (under QEMU's TCG each return costs a block lookup).
 */

/* The value the argument starts from; false if memory could not be read. */
static __always_inline bool fetch_base(const struct probe_arg *a, const struct probe_fetch_ctx *ctx,
		       unsigned long *v)
{
	const struct pt_regs *regs = ctx->regs;

	switch (a->base) {
	case PROBE_BASE_REG:
		*v = regs_get_register(regs, a->param, a->width);
		return true;
	case PROBE_BASE_ARG:
		*v = ctx->entry_arg ? ctx->entry_arg(ctx->cookie, a->param) : regs_get_arg(regs, a->param);
		return true;
	case PROBE_BASE_RETVAL:
		*v = regs_return_value(regs);
		return true;
	case PROBE_BASE_STACK:
		*v = regs->sp;
		return true;
	case PROBE_BASE_STACKN:
		return read_word(regs_stack_nth_addr(regs, a->param), v);
	case PROBE_BASE_COMM:
		*v = (unsigned long)probe_current_comm();
		return true;
	default:
		*v = a->imm;
		return true;
	}
}

/*
 * Follow the dereferences but the last: *v becomes the address the last
 * one names (or the plain value when there is none). False on a fault.
 */
static __always_inline bool fetch_addr(const struct probe_arg *a, const struct probe_fetch_ctx *ctx,
		       unsigned long *v)
{
	unsigned i;

	if (!fetch_base(a, ctx, v))
		return false;
	for (i = 0; i + 1 < a->nderef; i++)
		if (!read_word(*v + a->deref[i], v))
			return false;
	if (a->nderef)
		*v += a->deref[a->nderef - 1];
	return true;
}

/* A scalar's value: the address's contents when there is a dereference. */
static __always_inline bool fetch_scalar(const struct probe_arg *a, const struct probe_fetch_ctx *ctx,
			 unsigned long *v)
{
	unsigned size = a->type.kind == PROBE_TYPE_SYMSTR ? 8 : a->type.size;
	unsigned long addr;

	if (!fetch_addr(a, ctx, &addr))
		return false;
	if (!a->nderef) {
		*v = addr;
		return true;
	}
	*v = 0;
	return !copy_from_kernel_nofault(v, (const void *)addr, size);
}

/* The W bits from bit S of @v, for a bW@S/C argument. */
static unsigned long bitfield(const struct probe_type *t, unsigned long v)
{
	v >>= t->bit_shift;
	return t->bit_width < 64 ? v & ((1UL << t->bit_width) - 1) : v;
}

/* Length of the string at @addr, at most @max; -1 on a fault. */
static long strnlen_nofault(unsigned long addr, size_t max)
{
	char chunk[CHUNK];
	size_t n = 0, j;

	while (n < max) {
		size_t take = CHUNK - ((addr + n) & (CHUNK - 1));

		if (copy_from_kernel_nofault(chunk, (const void *)(addr + n), take))
			return -1;
		for (j = 0; j < take && n + j < max; j++)
			if (!chunk[j])
				return (long)(n + j);
		n += take;
	}
	return (long)max;
}

static bool is_string(const struct probe_arg *a)
{
	return a->type.kind == PROBE_TYPE_STRING || a->type.kind == PROBE_TYPE_SYMSTR;
}

/* string[N]: the array of pointers at @addr */
static bool is_string_array(const struct probe_arg *a)
{
	return a->type.kind == PROBE_TYPE_STRING && a->type.count;
}

/* Bytes the strings of the string[N] at @addr take with their NULs, all
 * within @room; one that cannot be read takes none. */
static size_t string_array_size(const struct probe_arg *a, unsigned long addr, size_t room)
{
	size_t total = 0;
	unsigned j;

	for (j = 0; j < a->type.count; j++) {
		unsigned long str;
		long len;

		if (!read_word(addr + j * sizeof(long), &str))
			break;
		len = strnlen_nofault(str, PROBE_STRING_MAX - 1);
		if (len >= 0 && total + (size_t)len + 1 <= room)
			total += (size_t)len + 1;
	}
	return total;
}

/* vals[2i]: where the string is (an address, or the symbol's for symstr;
 * for string[N], the array's); vals[2i + 1]: its length with the NUL (for
 * string[N], all of theirs), 0 when it could not be read. */
size_t probe_fetch_dynamic_size(const struct probe_def *def, const struct probe_fetch_ctx *ctx,
				unsigned long *vals)
{
	size_t room = PROBE_DATA_MAX - def->fixed_size, total = 0;
	int i;

	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];
		unsigned long v;
		long len = -1;

		vals[2 * i] = vals[2 * i + 1] = 0;
		if (!is_string(a))
			continue;
		if (is_string_array(a)) {
			unsigned long first;

			if (fetch_addr(a, ctx, &v) && read_word(v, &first)) {
				vals[2 * i] = v;
				vals[2 * i + 1] = string_array_size(a, v, room - total);
				total += vals[2 * i + 1];
			}
			continue;
		}
		if (a->base == PROBE_BASE_IMMSTR) {
			v = (unsigned long)a->text + a->imm;	/* the literal, in the command */
			len = a->param;
		} else if (a->type.kind == PROBE_TYPE_SYMSTR) {
			if (fetch_scalar(a, ctx, &v))
				len = snprintf(NULL, 0, "%pS", (void *)v);
		} else if (fetch_addr(a, ctx, &v)) {
			len = strnlen_nofault(v, PROBE_STRING_MAX - 1);
		}
		if (len < 0 || total + 1 > room)
			continue;
		if ((size_t)len + 1 > room - total)
			len = (long)(room - total - 1);
		vals[2 * i] = v;
		vals[2 * i + 1] = (unsigned long)len + 1;
		total += (size_t)len + 1;
	}
	return total;
}

/* Copy a string found by the first pass; false if it can no longer be read. */
static bool store_string(const struct probe_arg *a, unsigned long where, size_t len, char *dst)
{
	if (a->type.kind == PROBE_TYPE_SYMSTR) {
		snprintf(dst, len, "%pS", (void *)where);
		return true;
	}
	if (len > 1 && copy_from_kernel_nofault(dst, (const void *)where, len - 1))
		return false;
	dst[len - 1] = '\0';
	return true;
}

/* The fixed slot of an array: N elements read from memory. */
static bool store_array(const struct probe_arg *a, const struct probe_fetch_ctx *ctx, u8 *dst)
{
	unsigned long addr;

	if (fetch_addr(a, ctx, &addr) && !copy_from_kernel_nofault(dst, (const void *)addr, a->size))
		return true;
	memset(dst, 0, a->size);
	return false;
}

/*
 * The location words of a string[N] whose pointers are at @addr (0: the
 * array could not be read), each string copied at *@dyn while it fits in
 * @size; one that cannot be read, or does not fit, gets length 0, which
 * prints as (fault), as Linux's does.
 */
static void store_string_array(const struct probe_arg *a, unsigned long addr, u8 *rec,
			       size_t *dyn, size_t size)
{
	unsigned j;

	for (j = 0; j < a->type.count; j++) {
		u32 loc = (u32)(*dyn << 16);
		unsigned long str;
		long len = -1;

		if (addr && read_word(addr + j * sizeof(long), &str))
			len = strnlen_nofault(str, PROBE_STRING_MAX - 1);
		if (len >= 0 && *dyn + (size_t)len + 1 <= size &&
		    !copy_from_kernel_nofault(rec + *dyn, (const void *)str, (size_t)len)) {
			rec[*dyn + (size_t)len] = '\0';
			loc |= (u32)len + 1;
			*dyn += (size_t)len + 1;
		}
		probe_store_scalar(rec + a->offset + j * sizeof(loc), loc, sizeof(loc));
	}
}

/*
 * Fill the record's argument area @data (@size bytes): each argument's
 * fixed slot, and strings after the slots, located by a (offset << 16 |
 * length) word as Linux's __data_loc. @vals holds what record_size()
 * measured for strings. Returns a bit per argument whose read faulted
 * (its slot then reads 0, and the line shows "(fault)"). Probe context:
 * reads memory only through the no-fault copies.
 */
u32 probe_fetch_store(const struct probe_def *def, const struct probe_fetch_ctx *ctx,
		      const unsigned long *vals, void *data, size_t size)
{
	size_t dyn = def->fixed_size;
	u8 *rec = data;
	u32 faults = 0;
	int i;

	for (i = 0; i < def->nargs; i++) {
		const struct probe_arg *a = &def->args[i];
		unsigned long v = 0;

		if (likely(a->fast != PROBE_FAST_NONE)) {
			/* Compiled by the parser: a register, as it is. */
			v = *(const unsigned long *)((const char *)ctx->regs + a->fast_off);
			v &= a->fast_mask;	/* REG32: the low 32 bits */
			probe_store_scalar(rec + a->offset, v, a->type.size);
		} else if (is_string_array(a)) {
			store_string_array(a, vals ? vals[2 * i] : 0, rec, &dyn, size);
			if (!vals || !vals[2 * i])
				faults |= 1u << i;
		} else if (is_string(a)) {
			size_t len = vals ? vals[2 * i + 1] : 0;
			u32 loc = (u32)(dyn << 16);

			if (len && dyn + len <= size && store_string(a, vals[2 * i], len, (char *)rec + dyn)) {
				loc |= (u32)len;
				dyn += len;
			} else {
				faults |= 1u << i;
			}
			probe_store_scalar(rec + a->offset, loc, sizeof(loc));
		} else if (a->type.count) {
			if (!store_array(a, ctx, rec + a->offset))
				faults |= 1u << i;
		} else {
			if (!fetch_scalar(a, ctx, &v))
				faults |= 1u << i, v = 0;
			if (a->type.kind == PROBE_TYPE_BITFIELD)
				v = bitfield(&a->type, v);
			probe_store_scalar(rec + a->offset, v, a->type.size);
		}
	}
	return faults;
}
