/* SPDX-License-Identifier: MIT */
/*
 * Error numbers. Every function in Loupe that can fail returns 0 or one of
 * these, negated (-EINVAL ...), all the way up to the console, which turns
 * it into a message with errno_message(). The values match Linux's so that
 * a number printed here means the same thing there.
 */
#ifndef LIB_ERRNO_H
#define LIB_ERRNO_H

#define EPERM		1	/* Operation not permitted */
#define ENOENT		2	/* No such file or directory */
#define ESRCH		3	/* No such process */
#define EINTR		4	/* Interrupted system call */
#define EIO		5	/* I/O error */
#define ENXIO		6	/* No such device or address */
#define E2BIG		7	/* Argument list too long */
#define ENOEXEC		8	/* Exec format error */
#define EBADF		9	/* Bad file number */
#define EAGAIN		11	/* Try again */
#define ENOMEM		12	/* Out of memory */
#define EACCES		13	/* Permission denied */
#define EFAULT		14	/* Bad address */
#define EBUSY		16	/* Device or resource busy */
#define EEXIST		17	/* File exists */
#define ENODEV		19	/* No such device */
#define ENOTDIR		20	/* Not a directory */
#define EISDIR		21	/* Is a directory */
#define EINVAL		22	/* Invalid argument */
#define ENOSPC		28	/* No space left on device */
#define ESPIPE		29	/* Illegal seek */
#define EROFS		30	/* Read-only file system */
#define ERANGE		34	/* Math result not representable */
#define ENAMETOOLONG	36	/* File name too long */
#define ENOSYS		38	/* Function not implemented */
#define ENOTEMPTY	39	/* Directory not empty */
#define ELOOP		40	/* Too many symbolic links / recursion */
#define ENODATA		61	/* No data available */
#define ETIME		62	/* Timer expired */
#define EOVERFLOW	75	/* Value too large for defined data type */
#define EILSEQ		84	/* Illegal byte sequence */
#define EOPNOTSUPP	95	/* Operation not supported */
#define ETIMEDOUT	110	/* Connection timed out */
#define EALREADY	114	/* Operation already in progress */
#define ECANCELED	125	/* Operation canceled */

#define MAX_ERRNO	4095

/* Pointers that can fail carry the errno in the top page of the address space. */
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline int IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline int IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE(ptr); }

/*
 * errno_message - what an error number means, for a person
 * @err: a positive or negative errno value
 *
 * Returns a constant string such as "Invalid argument"; never NULL.
 */
const char *errno_message(int err);

/* errno_name - the symbolic name ("EINVAL"), or "E?" for an unknown value. */
const char *errno_name(int err);

#endif /* LIB_ERRNO_H */
