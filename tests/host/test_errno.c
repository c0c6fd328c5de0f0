// SPDX-License-Identifier: MIT
/*
 * Host tests for lib/errno.c.
 *
 * Every error number in lib/errno.h must have its own name and message,
 * negative and positive values must read the same, and unknown numbers
 * must say so. Because the values are meant to be Linux's, each name is
 * also checked against the host C library's own name for that number
 * (glibc's strerrorname_np).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include <lib/compiler.h>
#include <lib/errno.h>

/* Each value in lib/errno.h with its name, spelled once via the macro. */
#define E(x)	{ x, #x }

static const struct {
	int value;
	const char *name;
} errors[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST),
	E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENOSPC), E(ESPIPE),
	E(EROFS), E(ERANGE), E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(ENODATA), E(ETIME), E(EOVERFLOW), E(EILSEQ),
	E(EOPNOTSUPP), E(ETIMEDOUT), E(EALREADY), E(ECANCELED),
};

#define N_ERRORS	ARRAY_SIZE(errors)

Test(errno, every_value_has_its_own_name)
{
	for (size_t i = 0; i < N_ERRORS; i++) {
		cr_assert_str_eq(errno_name(errors[i].value), errors[i].name);
		cr_assert_str_eq(errno_name(-errors[i].value), errors[i].name);
	}
}

Test(errno, every_value_has_a_distinct_message)
{
	for (size_t i = 0; i < N_ERRORS; i++) {
		const char *msg = errno_message(errors[i].value);

		cr_assert_not_null(msg);
		cr_assert_str_neq(msg, "Unknown error", "%s has no message", errors[i].name);
		cr_assert_str_eq(errno_message(-errors[i].value), msg);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(errno_message(errors[j].value), msg,
					  "%s and %s share a message",
					  errors[j].name, errors[i].name);
	}
	cr_assert_str_eq(errno_message(-EINVAL), "Invalid argument");
	cr_assert_str_eq(errno_message(ENOMEM), "Out of memory");
}

Test(errno, values_are_linux_values)
{
	for (size_t i = 0; i < N_ERRORS; i++) {
		const char *host = strerrorname_np(errors[i].value);

		cr_assert_not_null(host, "%s = %d unknown to the host", errors[i].name,
				   errors[i].value);
		cr_assert_str_eq(host, errors[i].name, "%s = %d is %s on the host",
				 errors[i].name, errors[i].value, host);
	}
}

Test(errno, unknown_values_say_so)
{
	static const int unknown[] = { 10, 41, 4095, 4096, -4096, INT_MAX, INT_MIN };

	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
		cr_assert_str_eq(errno_message(unknown[i]), "Unknown error", "%d", unknown[i]);
		cr_assert_str_eq(errno_name(unknown[i]), "E?", "%d", unknown[i]);
	}
}

Test(errno, zero_is_success)
{
	cr_assert_str_eq(errno_message(0), "Success");
	cr_assert_str_eq(errno_name(0), "0");
}

Test(errno, err_ptr_round_trips)
{
	void *p = ERR_PTR(-ENOENT);

	cr_assert(IS_ERR(p));
	cr_assert_eq(PTR_ERR(p), -ENOENT);
	cr_assert_not(IS_ERR(&p));
	cr_assert(IS_ERR_OR_NULL(NULL));
	cr_assert(IS_ERR(ERR_PTR(-MAX_ERRNO)));
	cr_assert_not(IS_ERR(ERR_PTR(-MAX_ERRNO - 1)));
}
