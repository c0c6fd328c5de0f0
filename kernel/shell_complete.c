// SPDX-License-Identifier: MIT
/*
 * Tab completion for the shell, as a person expects from bash:
 *
 *	the first word, or the first	command names
 *	  after a |
 *	a path (after > or >>, a word	the pseudo-file tree: directories get
 *	  with '/', or an argument of	  a '/', files a space
 *	  cat, ls, cd)
 *	any other word			function names from kallsyms, for
 *					  `echo 'p:ev fi<Tab>` and `echo fi<Tab>
 *					  > set_ftrace_filter` (a leading ' " or !
 *					  is kept)
 *
 * One match completes; several extend the word to what they share, and a
 * second Tab (nothing more to share) lists them.
 */
#include <kernel/shell.h>
#include <kernel/console.h>
#include <kernel/kallsyms.h>
#include <kernel/printk.h>
#include <kernel/pseudofs.h>
#include <lib/compiler.h>
#include <lib/string.h>

#define LIST_MAX	200	/* candidates listed at most */
#define NAME_MAX	128

struct completion {
	const char *prefix;
	size_t plen;
	unsigned count;
	char common[NAME_MAX];	/* the longest prefix all matches share */
	size_t clen;
	bool is_dir;		/* the single match is a directory */
	bool listing;		/* second pass: print the matches */
};

/*
 * Offer one @name: ignored unless it starts with the word typed. In the
 * first pass it narrows c->common to what every match shares; in the
 * listing pass it prints the name. Called with the tree lock held for
 * paths (pfs_for_each_child()), so it must not touch the tree.
 */
static void candidate(void *arg, const char *name, bool is_dir)
{
	struct completion *c = arg;
	size_t i;

	if (strncmp(name, c->prefix, c->plen))
		return;
	if (c->listing) {
		if (c->count++ < LIST_MAX)
			console_printf("%s%s  ", name, is_dir ? "/" : "");
		return;
	}
	if (!c->count++) {
		strscpy(c->common, name, sizeof(c->common));
		c->clen = strlen(c->common);
		c->is_dir = is_dir;
		return;
	}
	for (i = 0; i < c->clen && name[i] == c->common[i]; i++)
		;
	c->clen = i;
}

/* Every shell command, from the linker's table. */
static void each_command(struct completion *c)
{
	const struct shell_cmd *const *pp;

	for (pp = __start_shell_cmds; pp < __stop_shell_cmds; pp++)
		candidate(c, (*pp)->name, false);
}

/* Every text symbol, in kallsyms' address order, skipping a name the
 * entry just before had (two names for one place). */
static void each_function(struct completion *c)
{
	unsigned long i, n = kallsyms_count();
	const char *last = "";

	for (i = 0; i < n; i++) {
		struct ksym sym;

		kallsyms_get(i, &sym);
		if (ksym_is_text(&sym) && strcmp(sym.name, last))
			candidate(c, sym.name, false);
		last = sym.name;
	}
}

/* The directory part of a path word ("" is the working directory). */
static void each_path(struct completion *c, const char *dir)
{
	pfs_for_each_child(*dir ? dir : ".", candidate, c);
}

enum source { FROM_COMMANDS, FROM_PATHS, FROM_FUNCTIONS };

/* Run candidate() over the names @src offers. */
static void collect(struct completion *c, enum source src, const char *dir)
{
	if (src == FROM_COMMANDS)
		each_command(c);
	else if (src == FROM_PATHS)
		each_path(c, dir);
	else
		each_function(c);
}

/*
 * Complete @buf[start..len) from @src. Returns the new length, or
 * (size_t)-1 after printing a listing.
 */
static size_t complete_word(char *buf, size_t start, size_t len, size_t size, enum source src,
			    const char *dir)
{
	struct completion c = { .prefix = buf + start, .plen = len - start };

	collect(&c, src, dir);
	if (!c.count)
		return len;
	if (c.count > 1 && c.clen == c.plen) {
		unsigned found = c.count;

		console_printf("\n");
		c.count = 0;
		c.listing = true;
		collect(&c, src, dir);
		if (found > LIST_MAX)
			console_printf("... (%u matches)", found);
		console_printf("\n");
		return (size_t)-1;
	}
	if (start + c.clen + 2 > size)
		return len;
	memcpy(buf + start, c.common, c.clen);
	len = start + c.clen;
	if (c.count == 1)
		buf[len++] = c.is_dir && src == FROM_PATHS ? '/' : ' ';
	buf[len] = '\0';
	return len;
}

/* Commands whose arguments are files: complete paths even without '/'. */
static bool takes_paths(const char *cmd, size_t len)
{
	static const char *const cmds[] = { "cat", "ls", "cd", "head", "tail", "wc", "sort" };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (strlen(cmds[i]) == len && !strncmp(cmds[i], cmd, len))
			return true;
	return false;
}

/* Where the command being typed begins: after the last | (or 0). */
static size_t command_start(const char *buf)
{
	const char *bar = strrchr(buf, '|');
	size_t pos = bar ? (size_t)(bar - buf) + 1 : 0;

	while (buf[pos] == ' ' || buf[pos] == '\t')
		pos++;
	return pos;
}

/*
 * The line editor's Tab hook: complete the last word of @buf (@len bytes,
 * room for @size) in place. Chooses the kind of word from where it
 * stands (see the table at the top). Returns the new length, or
 * (size_t)-1 after a listing, so the editor redraws the line. Runs in
 * the shell's thread; may sleep (the tree lock).
 */
size_t shell_complete(char *buf, size_t len, size_t size)
{
	size_t start = len, cmd = command_start(buf), first_end = cmd + strcspn(buf + cmd, " \t");
	bool redirect = false;
	char dir[NAME_MAX];
	const char *slash;

	while (start && buf[start - 1] != ' ' && buf[start - 1] != '\t' && buf[start - 1] != '|')
		start--;
	if (first_end >= len)
		return complete_word(buf, cmd, len, size, FROM_COMMANDS, NULL);
	/* The previous word a lone > or >>: this one is the file. */
	if (start >= 2 && buf[start - 2] == '>')
		redirect = true;
	while (start < len && (buf[start] == '>' || buf[start] == '\'' || buf[start] == '"' ||
			       buf[start] == '!'))
		redirect |= buf[start++] == '>';
	slash = memchr(buf + start, '/', len - start) ? strrchr(buf + start, '/') : NULL;
	if (redirect || slash || takes_paths(buf + cmd, first_end - cmd) || buf[start] == '.') {
		size_t dlen = slash ? (size_t)(slash - (buf + start)) + 1 : 0;

		if (dlen >= sizeof(dir))
			return len;
		memcpy(dir, buf + start, dlen);
		dir[dlen] = '\0';
		return complete_word(buf, start + dlen, len, size, FROM_PATHS, dir);
	}
	if (start == len || strpbrk(buf + start, ":=%$@(\\"))
		return len;
	return complete_word(buf, start, len, size, FROM_FUNCTIONS, NULL);
}
