/* SPDX-License-Identifier: MIT */
/*
 * Memory and string functions for a kernel that has no C library.
 *
 * The kernel calls these by their standard names, and gcc itself emits
 * calls to memcpy, memmove, memset and memcmp (for structure copies and
 * initialisers) even in freestanding code, so lib/string.c must define
 * exactly those symbols in the kernel build. On top of the C functions
 * there are a few kernel-flavoured ones: strscpy() (bounded copy that
 * reports truncation), strsep(), skip_spaces(), strim() and
 * str_has_prefix(), which the command and probe parsers lean on.
 *
 * Host builds (LOUPE_HOST): the unit-test binary links lib/string.o next
 * to the C library, which Criterion and the tests themselves use. To keep
 * both, every name that libc also defines is renamed with a "lib_" prefix
 * by the macros below: "memcpy" in this header and in lib/string.c becomes
 * lib_memcpy, so the host object defines lib_memcpy and never replaces
 * libc's memcpy. Generic code compiled for the host (lib/, parsers) keeps
 * writing memcpy() and gets ours, exactly as in the kernel.
 *
 * A test that compares ours with libc's defines LOUPE_HOST_LIBC_NAMES
 * before including this header. The lib_ declarations stay, the renaming
 * macros are removed again at the end, and the test calls lib_strlen()
 * for ours and strlen() for libc's. The same switch works for lib/ctype.h
 * and lib/printf.h. On the host, include system headers before lib/
 * headers: a libc header read after the renaming would declare our names.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stdbool.h>
#include <stddef.h>

#ifdef LOUPE_HOST
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcasecmp
#undef strncasecmp
#undef strchr
#undef strchrnul
#undef strrchr
#undef strstr
#undef strpbrk
#undef strspn
#undef strcspn
#undef strsep
#undef strlcat
#define memcpy		lib_memcpy
#define memmove		lib_memmove
#define memset		lib_memset
#define memcmp		lib_memcmp
#define memchr		lib_memchr
#define strlen		lib_strlen
#define strnlen		lib_strnlen
#define strcmp		lib_strcmp
#define strncmp		lib_strncmp
#define strcasecmp	lib_strcasecmp
#define strncasecmp	lib_strncasecmp
#define strchr		lib_strchr
#define strchrnul	lib_strchrnul
#define strrchr		lib_strrchr
#define strstr		lib_strstr
#define strpbrk		lib_strpbrk
#define strspn		lib_strspn
#define strcspn		lib_strcspn
#define strsep		lib_strsep
#define strlcat		lib_strlcat
#endif

/* Memory blocks. memcpy's areas must not overlap; memmove's may. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

/* Lengths and comparisons, as in C. strcasecmp folds ASCII letters only. */
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

/* Searching, as in C; strchrnul returns the terminator instead of NULL. */
char *strchr(const char *s, int c);
char *strchrnul(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
char *strpbrk(const char *s, const char *accept);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

/*
 * strsep - split off the next token
 * @stringp: in: the rest of the string; out: what follows the delimiter,
 *           or NULL once the last token has been returned
 * @delim:   the delimiter characters
 *
 * Returns the token starting at *@stringp, terminated in place by
 * overwriting the delimiter with NUL, or NULL when *@stringp is NULL.
 * Adjacent delimiters yield empty tokens.
 */
char *strsep(char **stringp, const char *delim);

/*
 * strscpy - copy a string into a buffer, refusing to overflow it
 * @dst:  destination buffer of @size bytes
 * @src:  NUL-terminated source
 * @size: size of @dst in bytes
 *
 * Copies as much of @src as fits and always NUL-terminates @dst when
 * @size > 0 (a @size of 0 writes nothing). Returns the number of
 * characters copied, not counting the NUL, or -E2BIG if @src did not
 * fit and was truncated.
 */
long strscpy(char *dst, const char *src, size_t size);

/*
 * strlcat - append a string to a buffer, refusing to overflow it
 * @dst:  NUL-terminated string in a buffer of @size bytes
 * @src:  string to append
 * @size: size of @dst in bytes
 *
 * Appends as much of @src as fits, NUL-terminating unless @dst had no
 * terminator within @size. Returns the length the result would have had
 * without the limit (strnlen(dst, size) + strlen(src)); a value >= @size
 * means the result was truncated.
 */
size_t strlcat(char *dst, const char *src, size_t size);

/* skip_spaces - returns @s advanced past any leading whitespace. */
char *skip_spaces(const char *s);

/*
 * strim - trim whitespace from both ends of a string
 * @s: string to trim; its trailing whitespace is overwritten with NUL
 *
 * Returns a pointer to the first non-space character of @s, which is
 * inside @s (no copy is made).
 */
char *strim(char *s);

/*
 * str_has_prefix - test whether a string starts with a prefix
 * @s:      the string
 * @prefix: the prefix to look for
 *
 * Returns strlen(@prefix) if @s starts with @prefix, or 0 if it does not,
 * so that "if ((n = str_has_prefix(s, "p:"))) s += n;" reads naturally.
 */
size_t str_has_prefix(const char *s, const char *prefix);

#if defined(LOUPE_HOST) && defined(LOUPE_HOST_LIBC_NAMES)
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strcasecmp
#undef strncasecmp
#undef strchr
#undef strchrnul
#undef strrchr
#undef strstr
#undef strpbrk
#undef strspn
#undef strcspn
#undef strsep
#undef strlcat
#endif

#endif /* LIB_STRING_H */
