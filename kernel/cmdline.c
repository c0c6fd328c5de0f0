// SPDX-License-Identifier: MIT
/*
 * The kernel command line, as GRUB passed it: blank-separated words, each
 * either a flag ("selftest") or KEY=VALUE ("loglevel=4"). The options the
 * kernel understands:
 *
 *	loglevel=N	print messages of level < N (0-8, default 7)
 *	panic=N		after a panic, reboot in N seconds (0: halt)
 *	selftest[=S]	run the self-tests (or suite S) before the prompt
 *	bench_unit=insn	the TSC counts instructions (QEMU -icount shift=0): `bench`
 *			reports instructions, not ns (trace/bench.c)
 */
#include <kernel/bootinfo.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <lib/kstrtox.h>
#include <lib/string.h>

/* Find word @key (as "key" or "key=..."); returns its start or NULL. */
static const char *find_word(const char *cmdline, const char *key)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && (p[klen] == '\0' || p[klen] == ' ' || p[klen] == '='))
			return p;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_has(const char *word)
{
	const char *p = find_word(boot_info.cmdline, word);

	return p != NULL;
}

const char *cmdline_get(const char *key, char *buf, size_t size)
{
	const char *p = find_word(boot_info.cmdline, key);
	size_t n = 0;

	if (!p || p[strlen(key)] != '=' || !size)
		return NULL;
	p += strlen(key) + 1;
	while (p[n] && p[n] != ' ' && n + 1 < size)
		n++;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* Read KEY=N into *@out if the command line has it; a value outside
 * [@min, @max] or not a number is ignored with a warning. */
static void parse_int_option(const char *key, int min, int max, int *out)
{
	char buf[16];
	int v;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return;
	if (kstrtoint(buf, 10, &v) || v < min || v > max) {
		pr_warn("cmdline: ignoring %s=%s (want %d..%d)\n", key, buf, min, max);
		return;
	}
	*out = v;
}

void cmdline_parse(void)
{
	parse_int_option("loglevel", 0, 8, &console_loglevel);
	parse_int_option("panic", 0, 3600, &panic_timeout);
}
