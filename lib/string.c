// SPDX-License-Identifier: MIT
/*
 * Memory and string functions (declared in lib/string.h).
 *
 * The memory functions move a machine word at a time when source and
 * destination are equally aligned and a byte at a time otherwise; the
 * string functions are the plain byte loops of the C definitions. Clarity
 * wins over speed here: nothing in Loupe copies megabytes.
 *
 * Hazard: gcc recognises a loop that copies or fills bytes and may replace
 * it with a call to memcpy or memset, which inside memcpy or memset is
 * endless recursion. lib/build.mk builds this file with
 * -fno-tree-loop-distribute-patterns (and -fno-builtin) to forbid that.
 *
 * On the host every libc name here is renamed to lib_<name> by
 * lib/string.h; see the comment there.
 */
#include <stdint.h>

#include <lib/ctype.h>
#include <lib/errno.h>
#include <lib/string.h>

/*
 * Words are read through a type that may alias anything, so that the
 * compiler cannot assume a word access leaves the caller's objects alone.
 */
typedef unsigned long __attribute__((may_alias)) string_word_t;

#define WORD_SIZE	sizeof(string_word_t)

/* Both pointers sit at the same offset within a word. */
static bool same_alignment(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

static bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD_SIZE - 1)) == 0;
}

/* Copy @n bytes forwards, a word at a time where alignment allows. */
static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if (same_alignment(d, s)) {
		while (n && !word_aligned(d)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			*(string_word_t *)d = *(const string_word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
}

/* Copy @n bytes backwards, starting from the end of both areas. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if (same_alignment(d, s)) {
		while (n && !word_aligned(d)) {
			*--d = *--s;
			n--;
		}
		for (; n >= WORD_SIZE; n -= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(string_word_t *)d = *(const string_word_t *)s;
		}
	}
	while (n--)
		*--d = *--s;
}

/* memcpy - copy @n bytes from @src to @dst, which must not overlap; returns @dst. */
void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

/* memmove - copy @n bytes from @src to @dst, which may overlap; returns @dst. */
void *memmove(void *dst, const void *src, size_t n)
{
	/*
	 * Copying forwards is safe unless the destination starts inside the
	 * source, where it would overwrite bytes not yet read.
	 */
	if ((uintptr_t)dst - (uintptr_t)src >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

/* memset - fill @n bytes at @dst with the byte value @c; returns @dst. */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	string_word_t pattern = (unsigned char)c * (~0UL / 0xff);

	while (n && !word_aligned(d)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD_SIZE; n -= WORD_SIZE) {
		*(string_word_t *)d = pattern;
		d += WORD_SIZE;
	}
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

/*
 * memcmp - compare @n bytes as unsigned chars
 *
 * Returns <0, 0 or >0 as the first differing byte of @a is below, equal
 * to or above that of @b.
 */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

/* memchr - the first byte equal to (unsigned char)@c in @n bytes, or NULL. */
void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* strlen - the number of characters before the terminating NUL. */
size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

/* strnlen - like strlen, but looks at no more than @maxlen characters. */
size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

/* strcmp - compare two strings as unsigned chars; returns <0, 0 or >0. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

/* strncmp - like strcmp, but compares at most @n characters. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			break;
	}
	return 0;
}

/* strncasecmp - like strncmp, ignoring the case of ASCII letters. */
int strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		int d = tolower(*p) - tolower(*q);

		if (d)
			return d;
		if (!*p)
			break;
	}
	return 0;
}

/* strcasecmp - like strcmp, ignoring the case of ASCII letters. */
int strcasecmp(const char *a, const char *b)
{
	return strncasecmp(a, b, SIZE_MAX);
}

/*
 * strchrnul - the first occurrence of (char)@c in @s, or the address of
 * its terminating NUL if there is none. Searching for 0 finds the NUL.
 */
char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

/* strchr - the first occurrence of (char)@c in @s, or NULL. */
char *strchr(const char *s, int c)
{
	char *p = strchrnul(s, c);

	return *p == (char)c ? p : NULL;
}

/* strrchr - the last occurrence of (char)@c in @s, or NULL. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	do {
		if (*s == (char)c)
			last = s;
	} while (*s++);
	return (char *)last;
}

/*
 * strstr - the first occurrence of @needle in @haystack, or NULL
 *
 * An empty needle is found at the start. Quadratic in the worst case,
 * which is fine for the short strings the kernel searches.
 */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}

/* strspn - the length of the leading run of @s made of characters in @accept. */
size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

/* strcspn - the length of the leading run of @s with no character of @reject. */
size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

/* strpbrk - the first character of @s that is in @accept, or NULL. */
char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strsep(char **stringp, const char *delim)
{
	char *token = *stringp;
	char *end;

	if (!token)
		return NULL;
	end = token + strcspn(token, delim);
	if (*end) {
		*end = '\0';
		*stringp = end + 1;
	} else {
		*stringp = NULL;
	}
	return token;
}

long strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (size == 0)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		/* No NUL within the buffer's reach: keep what fits. */
		len = size - 1;
		memcpy(dst, src, len);
		dst[len] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return (long)len;
}

size_t strlcat(char *dst, const char *src, size_t size)
{
	size_t dlen = strnlen(dst, size);
	size_t slen = strlen(src);
	size_t room;

	/* @dst is not terminated within @size: there is nowhere to append. */
	if (dlen == size)
		return size + slen;
	room = size - dlen - 1;
	if (slen < room)
		room = slen;
	memcpy(dst + dlen, src, room);
	dst[dlen + room] = '\0';
	return dlen + slen;
}

char *skip_spaces(const char *s)
{
	while (isspace(*s))
		s++;
	return (char *)s;
}

char *strim(char *s)
{
	size_t len = strlen(s);

	while (len && isspace(s[len - 1]))
		len--;
	s[len] = '\0';
	return skip_spaces(s);
}

size_t str_has_prefix(const char *s, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(s, prefix, len) ? 0 : len;
}
