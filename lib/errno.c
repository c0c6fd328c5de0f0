// SPDX-License-Identifier: MIT
/*
 * Names and messages for the error numbers in lib/errno.h.
 *
 * Every layer of Loupe passes failures upwards as negative errno values;
 * the console is where they finally meet a person. errno_message() turns a
 * number into a sentence fragment ("Invalid argument") and errno_name()
 * into its symbol ("EINVAL"), so that "echo p:foo bar > kprobe_events"
 * can answer with something more useful than "-22".
 *
 * One table holds both strings. It is searched linearly: it is short, and
 * nobody prints errors in a hot path.
 */
#include <stddef.h>

#include <lib/compiler.h>
#include <lib/errno.h>

struct errno_entry {
	int err;
	const char *name;
	const char *message;
};

#define ERRNO_ENTRY(e, msg)	{ e, #e, msg }

static const struct errno_entry errno_table[] = {
	ERRNO_ENTRY(EPERM,		"Operation not permitted"),
	ERRNO_ENTRY(ENOENT,		"No such file or directory"),
	ERRNO_ENTRY(ESRCH,		"No such process"),
	ERRNO_ENTRY(EINTR,		"Interrupted system call"),
	ERRNO_ENTRY(EIO,		"I/O error"),
	ERRNO_ENTRY(ENXIO,		"No such device or address"),
	ERRNO_ENTRY(E2BIG,		"Argument list too long"),
	ERRNO_ENTRY(ENOEXEC,		"Exec format error"),
	ERRNO_ENTRY(EBADF,		"Bad file descriptor"),
	ERRNO_ENTRY(EAGAIN,		"Try again"),
	ERRNO_ENTRY(ENOMEM,		"Out of memory"),
	ERRNO_ENTRY(EACCES,		"Permission denied"),
	ERRNO_ENTRY(EFAULT,		"Bad address"),
	ERRNO_ENTRY(EBUSY,		"Device or resource busy"),
	ERRNO_ENTRY(EEXIST,		"File exists"),
	ERRNO_ENTRY(ENODEV,		"No such device"),
	ERRNO_ENTRY(ENOTDIR,		"Not a directory"),
	ERRNO_ENTRY(EISDIR,		"Is a directory"),
	ERRNO_ENTRY(EINVAL,		"Invalid argument"),
	ERRNO_ENTRY(ENOSPC,		"No space left on device"),
	ERRNO_ENTRY(ESPIPE,		"Illegal seek"),
	ERRNO_ENTRY(EROFS,		"Read-only file system"),
	ERRNO_ENTRY(ERANGE,		"Result out of range"),
	ERRNO_ENTRY(ENAMETOOLONG,	"File name too long"),
	ERRNO_ENTRY(ENOSYS,		"Function not implemented"),
	ERRNO_ENTRY(ENOTEMPTY,		"Directory not empty"),
	ERRNO_ENTRY(ELOOP,		"Too many levels of recursion"),
	ERRNO_ENTRY(ENODATA,		"No data available"),
	ERRNO_ENTRY(ETIME,		"Timer expired"),
	ERRNO_ENTRY(EOVERFLOW,		"Value too large for defined data type"),
	ERRNO_ENTRY(EILSEQ,		"Illegal byte sequence"),
	ERRNO_ENTRY(EOPNOTSUPP,		"Operation not supported"),
	ERRNO_ENTRY(ETIMEDOUT,		"Timed out"),
	ERRNO_ENTRY(EALREADY,		"Operation already in progress"),
	ERRNO_ENTRY(ECANCELED,		"Operation canceled"),
};

/*
 * Find the entry for @err, which may be negative. The sign is dropped
 * with unsigned arithmetic so that INT_MIN does not overflow.
 */
static const struct errno_entry *errno_lookup(int err)
{
	unsigned int value = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errno_table); i++)
		if ((unsigned int)errno_table[i].err == value)
			return &errno_table[i];
	return NULL;
}

/*
 * errno_message - what an error number means, for a person
 * @err: a positive or negative errno value
 *
 * Returns a constant string such as "Invalid argument", "Success" for 0,
 * or "Unknown error" for a number lib/errno.h does not define. Never NULL;
 * safe in any context.
 */
const char *errno_message(int err)
{
	const struct errno_entry *e;

	if (err == 0)
		return "Success";
	e = errno_lookup(err);
	return e ? e->message : "Unknown error";
}

/*
 * errno_name - the symbolic name of an error number
 * @err: a positive or negative errno value
 *
 * Returns "EINVAL" for 22 or -22, "0" for 0 and "E?" for a number
 * lib/errno.h does not define. Never NULL; safe in any context.
 */
const char *errno_name(int err)
{
	const struct errno_entry *e;

	if (err == 0)
		return "0";
	e = errno_lookup(err);
	return e ? e->name : "E?";
}
