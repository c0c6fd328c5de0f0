/* SPDX-License-Identifier: MIT */
/*
 * Compiler helpers shared by every part of Loupe: attribute shorthands,
 * single-access loads and stores (READ_ONCE/WRITE_ONCE), the compiler
 * barrier, container_of, compile-time checks, and a few arithmetic macros
 * (min/max/clamp, ALIGN, DIV_ROUND_UP).
 *
 * Nothing here knows the architecture and nothing here emits an instruction
 * of its own: it only tells GCC what we mean. It builds freestanding for the
 * kernel and unchanged for the host tests, so it may be included before or
 * after libc headers. CPU-level ordering (fences, atomics) is in
 * lib/atomic.h.
 */
#ifndef LIB_COMPILER_H
#define LIB_COMPILER_H

#include <stddef.h>

/* ---------------------------------------------------------- attributes */

/*
 * glibc's <sys/cdefs.h> also defines __always_inline (to the same effect);
 * replace whichever definition came first so the order of includes does
 * not matter.
 */
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
/* __section(".name"): place a function or object in that ELF section. */
#define __section(s)		__attribute__((__section__(s)))
/* Keep a symbol even if nothing refers to it (tables in linker sections). */
#define __used			__attribute__((__used__))
#define __maybe_unused		__attribute__((__unused__))
/*
 * __always_unused: a parameter the signature must keep (a file-op table,
 * a probe handler type, an arch hook) that this function never reads. We
 * build with -Wextra; a parameter no interface needs is removed instead.
 * (Linux's name; a plain __unused is a field name in the host's headers.)
 */
#define __always_unused		__attribute__((__unused__))
/* A default that another file may replace with a strong definition. */
#define __weak			__attribute__((__weak__))
/* Check printf-style arguments: fmt is argument a, the values start at b. */
#define __printf(a, b)		__attribute__((__format__(__printf__, a, b)))

/*
 * notrace: no `call __fentry__` at the top of this function, even in a file
 * built with -pg -mfentry. For code the tracer itself runs.
 */
#define notrace			__attribute__((__no_instrument_function__))

/* Branch hints: the condition is (un)likely to be true. */
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* ------------------------------------------------------ compiler barrier */

/*
 * barrier - stop the compiler moving memory accesses across this point.
 *
 * The CPU may still reorder; use smp_mb() and friends (lib/atomic.h) for
 * that. A signal fence is exactly a compiler-only fence, and it lets us do
 * without inline assembly.
 */
#define barrier()		__atomic_signal_fence(__ATOMIC_SEQ_CST)

/* ------------------------------------------------- compile-time checks */

/* The C11 spelling, without needing libc's <assert.h>. */
#ifndef static_assert
#define static_assert		_Static_assert
#endif

/* True if a and b have the same type (qualifiers aside). */
#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))

/* BUILD_BUG_ON(cond): a statement that fails to compile if cond is true. */
#define BUILD_BUG_ON(cond)						\
	do {								\
		_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")");	\
	} while (0)

/*
 * BUILD_BUG_ON_ZERO(cond): an int expression worth 0 that fails to compile
 * if cond is true, for checks inside other macros' expressions. A struct
 * may hold a static assertion, and sizeof() gives us an expression.
 */
#define BUILD_BUG_ON_ZERO(cond)						\
	((int)(0 * sizeof(struct {					\
		_Static_assert(!(cond), "BUILD_BUG_ON_ZERO(" #cond ")"); \
		char __bbz;						\
	})))

/* 0, or a compile error if a is a pointer rather than an array. */
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))

/* Number of elements of an array (not a pointer: that would not compile). */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]) + __must_be_array(a))

/* ------------------------------------------------- single-copy accesses */

/* Objects the CPU can load or store in one access. */
#define __is_scalar_size(x)						\
	(sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 || sizeof(x) == 8)

/*
 * READ_ONCE(x) / WRITE_ONCE(x, val) - one whole load or store of x.
 *
 * For data another CPU (or an interrupt handler) may change under us: the
 * compiler must not tear the access, repeat it, cache it in a register
 * across a loop, or invent it. This is a volatile access of the object's
 * own size; it implies no ordering against other addresses on the CPU
 * (see lib/atomic.h for that).
 */
#define READ_ONCE(x) ({							\
	_Static_assert(__is_scalar_size(x), "READ_ONCE: not a scalar");	\
	*(const volatile __typeof__(x) *)&(x);				\
})

#define WRITE_ONCE(x, val)						\
	do {								\
		_Static_assert(__is_scalar_size(x), "WRITE_ONCE: not a scalar"); \
		*(volatile __typeof__(x) *)&(x) = (val);		\
	} while (0)

/* ------------------------------------------------------- container_of */

/*
 * container_of - from a pointer to a member back to the enclosing struct
 * @ptr:    pointer to the member
 * @type:   type of the enclosing struct
 * @member: name of the member within @type
 *
 * Refuses to compile if @ptr does not point to something of the member's
 * type, which catches passing the wrong member name.
 */
#define container_of(ptr, type, member) ({				\
	void *__cof_ptr = (void *)(ptr);				\
	_Static_assert(__same_type(*(ptr), ((type *)0)->member) ||	\
		       __same_type(*(ptr), void),			\
		       "container_of: pointer does not match member");	\
	(type *)((char *)__cof_ptr - offsetof(type, member));		\
})

/* ------------------------------------------------------- arithmetic */

/*
 * min/max evaluate each argument once. Mixing types (say int and unsigned
 * long) draws a "comparison of distinct pointer types" warning from the
 * pointer comparison, because mixed signedness in a comparison is a classic
 * bug; use min_t/max_t to say which type you mean.
 */
#define __pick(a, b, op) ({						\
	__typeof__(a) __pick_a = (a);					\
	__typeof__(b) __pick_b = (b);					\
	(void)(&__pick_a == &__pick_b);					\
	__pick_a op __pick_b ? __pick_a : __pick_b;			\
})

#define min(a, b)		__pick(a, b, <)
#define max(a, b)		__pick(a, b, >)
#define min_t(type, a, b)	__pick((type)(a), (type)(b), <)
#define max_t(type, a, b)	__pick((type)(a), (type)(b), >)

/* val limited to [lo, hi]; all three of one type. */
#define clamp(val, lo, hi)	min(max(val, lo), hi)

/*
 * Alignment of x to a, which must be a power of two. The mask is built in
 * x's type, so aligning a 64-bit address by an int constant keeps its top
 * bits.
 */
#define __align_mask(x, a)	((__typeof__(x))(a) - 1)
#define ALIGN(x, a)		(((x) + __align_mask(x, a)) & ~__align_mask(x, a))
#define ALIGN_DOWN(x, a)	((x) & ~__align_mask(x, a))
#define IS_ALIGNED(x, a)	(((x) & __align_mask(x, a)) == 0)

/* n / d rounded up, for positive n and d. */
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif /* LIB_COMPILER_H */
