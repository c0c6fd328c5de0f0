// SPDX-License-Identifier: MIT
/*
 * Reading kernel memory that may not be there.
 *
 * Probe fetch-args, the console's memory commands and the unwinder read
 * addresses nobody has vouched for. Each load here has an exception-table
 * entry: if it faults (#PF, or #GP for a non-canonical address), the fault
 * handler resumes at the `fault` label and the caller gets -EFAULT.
 */
#include <asm/extable.h>
#include <asm/layout.h>
#include <kernel/nofault.h>
#include <lib/errno.h>

/* One 8-byte load that may fault. Returns 0 or -EFAULT. */
static int load_u64_nofault(const void *src, u64 *val)
{
	u64 v;

	asm goto("1: movq (%1), %0\n"
		 _ASM_EXTABLE(1b, %l[fault])
		 : "=r"(v) : "r"(src) : "memory" : fault);
	*val = v;
	return 0;
fault:
	return -EFAULT;
}

static int load_u8_nofault(const void *src, u8 *val)
{
	u8 v;

	asm goto("1: movb (%1), %0\n"
		 _ASM_EXTABLE(1b, %l[fault])
		 : "=q"(v) : "r"(src) : "memory" : fault);
	*val = v;
	return 0;
fault:
	return -EFAULT;
}

/* Only the kernel half of the address space is ever read this way. */
static bool kernel_range_ok(unsigned long addr, size_t size)
{
	return addr >= 0xffff800000000000UL && addr + size >= addr;
}

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	unsigned long s = (unsigned long)src;
	u8 *d = dst;

	if (!kernel_range_ok(s, size))
		return -EFAULT;
	while (size >= 8 && !(s & 7)) {
		u64 v;
		if (load_u64_nofault((const void *)s, &v))
			return -EFAULT;
		__builtin_memcpy(d, &v, 8);
		d += 8, s += 8, size -= 8;
	}
	while (size) {
		if (load_u8_nofault((const void *)s, d))
			return -EFAULT;
		d++, s++, size--;
	}
	return 0;
}

/* One byte store that may fault (write-protected or unmapped). */
static int store_u8_nofault(void *dst, u8 val)
{
	asm goto("1: movb %0, (%1)\n"
		 _ASM_EXTABLE(1b, %l[fault])
		 : : "q"(val), "r"(dst) : "memory" : fault);
	return 0;
fault:
	return -EFAULT;
}

long copy_to_kernel_nofault(void *dst, const void *src, size_t size)
{
	unsigned long d = (unsigned long)dst;
	const u8 *s = src;

	if (!kernel_range_ok(d, size))
		return -EFAULT;
	for (; size; size--, d++, s++)
		if (store_u8_nofault((void *)d, *s))
			return -EFAULT;
	return 0;
}
