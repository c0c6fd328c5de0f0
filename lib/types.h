/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width integer types and the address types used everywhere.
 *
 * Physical addresses are integers (phys_addr_t); virtual addresses are
 * pointers, or unsigned long when arithmetic is the point. The two never
 * mix without going through __pa()/__va() (arch/x86/include/asm/page.h).
 */
#ifndef LIB_TYPES_H
#define LIB_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

#ifndef LOUPE_HOST
typedef long ssize_t;
#endif

/* A physical address: never dereference one. */
typedef u64 phys_addr_t;

#endif /* LIB_TYPES_H */
