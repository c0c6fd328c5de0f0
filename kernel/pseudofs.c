// SPDX-License-Identifier: MIT
/*
 * The pseudo-file tree (see pseudofs.h) and the shell commands that walk
 * it: ls, cd, pwd, cat. `CMD > FILE` (kernel/shell_pipe.c) ends in
 * pfs_write_path().
 */
#include <kernel/pseudofs.h>
#include <kernel/console.h>
#include <kernel/mm/kmalloc.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/shell.h>
#include <kernel/shell_io.h>
#include <lib/errno.h>
#include <lib/list.h>
#include <lib/printf.h>
#include <lib/string.h>

#define PFS_NAME_MAX	64
#define PFS_PATH_MAX	256

struct pfs_node {
	char name[PFS_NAME_MAX];
	bool is_dir, writable;
	struct pfs_node *parent;
	struct pfs_node *link;		/* a directory link: where it points */
	struct list_head children;	/* directories: sorted by name */
	struct list_head sibling;
	const struct pfs_file_ops *ops;
	void *data;
	void (*refresh)(struct pfs_node *dir);	/* see pfs_set_refresh() */
};

static struct pfs_node root = {
	.name = "", .is_dir = true, .parent = &root,
	.children = LIST_HEAD_INIT(root.children),
};
static struct pfs_node *cwd = &root;
static DEFINE_MUTEX(pfs_lock);

/* ---- output ---- */

/*
 * Append @str to @s: straight to the console when @s has no buffer (cat),
 * else into the buffer, always NUL-terminated. What does not fit is cut
 * and @s->overflow set, so a caller can tell a short read from a full one.
 */
void seq_puts(struct seq_out *s, const char *str)
{
	size_t n = strlen(str);

	if (!s->buf) {
		console_write(str, n);
		return;
	}
	if (s->len + n >= s->size) {
		s->overflow = true;
		n = s->size > s->len + 1 ? s->size - s->len - 1 : 0;
	}
	memcpy(s->buf + s->len, str, n);
	s->len += n;
	if (s->size)
		s->buf[s->len] = '\0';
}

/* seq_puts() of a formatted line; one call writes at most 511 bytes. */
void seq_printf(struct seq_out *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_puts(s, line);
}

/* Only a console reader can press Ctrl-C; a buffer is never interrupted. */
bool seq_interrupted(struct seq_out *s)
{
	return !s->buf && console_break_pending();
}

/* ---- the tree ---- */

/* The directory a link node points to, or @n itself. NULL-safe. */
static struct pfs_node *resolve_link(struct pfs_node *n)
{
	return (n && n->link) ? n->link : n;
}

/*
 * The entry @name (@len bytes, not NUL-terminated) of @dir, following
 * @dir if it is a link; "." and ".." are understood. NULL if absent.
 * Lock held.
 */
static struct pfs_node *find_child(struct pfs_node *dir, const char *name, size_t len)
{
	struct pfs_node *c;

	/* ".." is taken before following a link: paths are logical, as in a
	 * shell (cd /sys/kernel/debug/tracing; cd .. is /sys/kernel/debug). */
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return dir->parent;
	dir = resolve_link(dir);
	if (len == 1 && name[0] == '.')
		return dir;
	list_for_each_entry(c, &dir->children, sibling)
		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return c;
	return NULL;
}

/* A directory whose entries follow kernel state brings them up to date. */
static struct pfs_node *refreshed(struct pfs_node *dir)
{
	dir = resolve_link(dir);
	if (dir && dir->refresh)
		dir->refresh(dir);
	return dir;
}

/* Walk @path from the root or @from. Lock held. */
/*
 * Each directory on the way is refreshed before it is searched, so a
 * path into /proc/PID finds a task started a moment ago. Returns the node
 * (perhaps a link: callers resolve it) or NULL.
 */
static struct pfs_node *walk(const char *path, struct pfs_node *from)
{
	struct pfs_node *n = path[0] == '/' ? &root : from;

	while (n && *path) {
		size_t len;

		while (*path == '/')
			path++;
		len = strcspn(path, "/");
		if (!len)
			break;
		if (!resolve_link(n)->is_dir)
			return NULL;
		if (!(len == 2 && path[0] == '.' && path[1] == '.'))
			refreshed(n);
		n = find_child(n, path, len);
		path += len;
	}
	return n;
}

/*
 * Make an entry @name in @dir, in name order. NULL if @dir is not a
 * directory, the name is empty, too long, has a '/' or is taken, or
 * memory ran out - callers learn only "not created". Lock held.
 */
static struct pfs_node *new_node(struct pfs_node *dir, const char *name, bool is_dir)
{
	struct pfs_node *n, *pos;

	dir = resolve_link(dir);
	if (!dir || !dir->is_dir || strlen(name) >= PFS_NAME_MAX || !*name || strchr(name, '/') ||
	    find_child(dir, name, strlen(name)))
		return NULL;
	n = kzalloc(sizeof(*n));
	if (!n)
		return NULL;
	strscpy(n->name, name, sizeof(n->name));
	n->is_dir = is_dir;
	n->parent = dir;
	INIT_LIST_HEAD(&n->children);
	/* Keep children sorted, so ls needs no sorting. */
	list_for_each_entry(pos, &dir->children, sibling)
		if (strcmp(pos->name, name) > 0)
			break;
	list_add_tail(&n->sibling, &pos->sibling);
	return n;
}

/* A new directory in @dir (NULL: the root), or NULL. Takes the lock. */
struct pfs_node *pfs_create_dir(struct pfs_node *dir, const char *name)
{
	struct pfs_node *n;

	mutex_lock(&pfs_lock);
	n = new_node(dir ? dir : &root, name, true);
	mutex_unlock(&pfs_lock);
	return n;
}

/*
 * Like `mkdir -p`: walk @path from the root, making each missing
 * directory, and return the last one (NULL if one could not be made).
 * Existing entries are reused, so two subsystems may share a parent.
 * Takes the lock.
 */
struct pfs_node *pfs_mkdir_p(const char *path)
{
	struct pfs_node *n = &root;
	char part[PFS_NAME_MAX];

	mutex_lock(&pfs_lock);
	while (n && *path) {
		size_t len;
		struct pfs_node *next;

		while (*path == '/')
			path++;
		len = strcspn(path, "/");
		if (!len || len >= sizeof(part))
			break;
		next = find_child(n, path, len);
		if (!next) {
			memcpy(part, path, len);
			part[len] = '\0';
			next = new_node(n, part, true);
		}
		n = resolve_link(next);
		path += len;
	}
	mutex_unlock(&pfs_lock);
	return n;
}

/*
 * Make @path a link to the directory @target, creating its parents (how
 * /sys/kernel/tracing and /sys/kernel/debug/tracing are the same tree).
 * Returns 0, -EINVAL for a path without '/' or too long, or -EEXIST when
 * the name is taken (or memory ran out). Takes the lock.
 */
int pfs_link_dir(const char *path, struct pfs_node *target)
{
	const char *slash = strrchr(path, '/');
	char dir[PFS_PATH_MAX];
	struct pfs_node *parent, *n;

	if (!slash || (size_t)(slash - path) >= sizeof(dir))
		return -EINVAL;
	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	parent = pfs_mkdir_p(dir);
	mutex_lock(&pfs_lock);
	n = parent ? new_node(parent, slash + 1, true) : NULL;
	if (n)
		n->link = target;
	mutex_unlock(&pfs_lock);
	return n ? 0 : -EEXIST;
}

/* A new file in @dir served by @ops, or NULL (see new_node()). Lock held:
 * for refresh callbacks; pfs_create_file() takes the lock itself. */
struct pfs_node *__pfs_create_file(struct pfs_node *dir, const char *name, bool writable,
				   const struct pfs_file_ops *ops, void *data)
{
	struct pfs_node *n = new_node(dir, name, false);

	if (n) {
		n->writable = writable;
		n->ops = ops;
		n->data = data;
	}
	return n;
}

struct pfs_node *pfs_create_file(struct pfs_node *dir, const char *name, bool writable,
				 const struct pfs_file_ops *ops, void *data)
{
	struct pfs_node *n;

	mutex_lock(&pfs_lock);
	n = __pfs_create_file(dir, name, writable, ops, data);
	mutex_unlock(&pfs_lock);
	return n;
}

struct pfs_node *__pfs_create_dir(struct pfs_node *dir, const char *name)
{
	return new_node(dir ? dir : &root, name, true);
}

/*
 * Free @n and everything below it. A working directory inside moves up
 * to the parent so that the shell never stands in a freed node. Lock held.
 */
static void remove_locked(struct pfs_node *n)
{
	struct pfs_node *c, *tmp;

	list_for_each_entry_safe(c, tmp, &n->children, sibling)
		remove_locked(c);
	if (cwd == n)
		cwd = n->parent;
	list_del_init(&n->sibling);
	kfree(n);
}

void pfs_set_refresh(struct pfs_node *dir, void (*refresh)(struct pfs_node *dir))
{
	mutex_lock(&pfs_lock);
	dir->refresh = refresh;
	mutex_unlock(&pfs_lock);
}

/* Lock held (from a refresh callback): drop the entries @keep rejects. */
void __pfs_prune(struct pfs_node *dir, bool (*keep)(void *arg, const char *name), void *arg)
{
	struct pfs_node *c, *tmp;

	list_for_each_entry_safe(c, tmp, &dir->children, sibling)
		if (!keep(arg, c->name))
			remove_locked(c);
}

void __pfs_remove(struct pfs_node *node)
{
	if (node && node != &root)
		remove_locked(node);
}

void __pfs_pass_data(struct pfs_node *dir, void *old, void *new)
{
	struct pfs_node *c;

	list_for_each_entry(c, &dir->children, sibling)
		if (!c->is_dir && c->data == old)
			c->data = new;
}

/* Remove @node and its subtree; the root stays. Takes the lock. */
void pfs_remove(struct pfs_node *node)
{
	if (!node || node == &root)
		return;
	mutex_lock(&pfs_lock);
	remove_locked(node);
	mutex_unlock(&pfs_lock);
}

/* The node @path names, links followed, or NULL. Takes the lock; the
 * node may be removed once it is dropped, so use it only for files that
 * live forever or under the owner's own lock. */
struct pfs_node *pfs_lookup(const char *path)
{
	struct pfs_node *n;

	mutex_lock(&pfs_lock);
	n = resolve_link(walk(path, cwd));
	mutex_unlock(&pfs_lock);
	return n;
}

/*
 * Call @fn on each entry of the directory @path (refreshed first), with
 * the lock held: @fn must not touch the tree. Returns 0, -ENOENT or
 * -ENOTDIR. The shell's tab completion uses it.
 */
int pfs_for_each_child(const char *path, void (*fn)(void *arg, const char *name, bool is_dir),
		       void *arg)
{
	struct pfs_node *n, *c;
	int err = 0;

	mutex_lock(&pfs_lock);
	n = resolve_link(walk(path, cwd));
	if (!n || !n->is_dir)
		err = n ? -ENOTDIR : -ENOENT;
	else
		list_for_each_entry(c, &refreshed(n)->children, sibling)
			fn(arg, c->name, c->is_dir);
	mutex_unlock(&pfs_lock);
	return err;
}

/* ---- reading and writing ---- */

/*
 * A streaming file (trace_pipe) is read without the tree lock, since it
 * blocks until Ctrl-C; such files are created at boot and never removed.
 */
/* Returns 0 or the file's -errno; -ENOENT, -EISDIR, or -EACCES for a
 * file with nothing to show. */
int pfs_read_path(const char *path, struct seq_out *out)
{
	int (*stream)(void *data) = NULL;
	struct pfs_node *n;
	void *data = NULL;
	int err;

	mutex_lock(&pfs_lock);
	n = resolve_link(walk(path, cwd));
	if (!n)
		err = -ENOENT;
	else if (n->is_dir)
		err = -EISDIR;
	else if (!out->buf && n->ops->stream)
		stream = n->ops->stream, data = n->data, err = 0;
	else
		err = n->ops->show ? n->ops->show(out, n->data) : -EACCES;
	mutex_unlock(&pfs_lock);
	return stream ? stream(data) : err;
}

/* The file @path names if it takes writes, or NULL with *@err set. */
static struct pfs_node *writable_locked(const char *path, int *err)
{
	struct pfs_node *n = resolve_link(walk(path, cwd));

	*err = !n ? -ENOENT : n->is_dir ? -EISDIR :
	       (!n->writable || !n->ops->write) ? -EACCES : 0;
	return *err ? NULL : n;
}

/* Could @path be written now? 0 or the errno a write would get. Takes
 * the lock. */
int pfs_check_write(const char *path)
{
	int err;

	mutex_lock(&pfs_lock);
	writable_locked(path, &err);
	mutex_unlock(&pfs_lock);
	return err;
}

/*
 * Hand @text to the file's write op, which runs with the tree lock held
 * (so a write that creates or removes nodes, like kprobe_events, uses the
 * __pfs_ variants). Returns 0, a lookup errno, or the op's -errno.
 */
int pfs_write_path(const char *path, const char *text, size_t len, bool append)
{
	struct pfs_node *n;
	int err;

	mutex_lock(&pfs_lock);
	n = writable_locked(path, &err);
	if (n)
		err = n->ops->write(text, len, append, n->data);
	mutex_unlock(&pfs_lock);
	return err;
}

/* ---- shell commands ---- */

/* @n's absolute path into @path (PFS_PATH_MAX bytes). Lock held. */
static void node_path(struct pfs_node *n, char *path)
{
	char tmp[PFS_PATH_MAX];

	path[0] = '\0';
	for (; n != &root; n = n->parent) {
		snprintf(tmp, sizeof(tmp), "/%s%s", n->name, path);
		strscpy(path, tmp, PFS_PATH_MAX);
	}
	if (!path[0])
		strscpy(path, "/", PFS_PATH_MAX);
}

/* Print @n's absolute path and a newline. Lock held. */
static void print_path(struct pfs_node *n)
{
	char path[PFS_PATH_MAX];

	node_path(n, path);
	console_printf("%s\n", path);
}

/* pwd: takes no argument, as in a shell. */
static int cmd_pwd(int argc, char **argv __always_unused)
{
	if (argc != 1)
		return -EINVAL;
	mutex_lock(&pfs_lock);
	print_path(cwd);
	mutex_unlock(&pfs_lock);
	return 0;
}
SHELL_COMMAND(SHELL_FILES, "pwd", "", "print the working directory", cmd_pwd);

/*
 * cd [DIR]: change the working directory (the root with no DIR). A bad
 * DIR leaves it where it was and prints bash's message; returns 1 then.
 */
static int cmd_cd(int argc, char **argv)
{
	struct pfs_node *n;

	if (argc > 2)
		return -EINVAL;
	mutex_lock(&pfs_lock);
	n = walk(argc == 2 ? argv[1] : "/", cwd);
	if (n && resolve_link(n)->is_dir)
		cwd = n;
	mutex_unlock(&pfs_lock);
	if (!n)
		shell_err("cd: %s: No such file or directory\n", argv[1]);
	else if (!resolve_link(n)->is_dir)
		shell_err("cd: %s: Not a directory\n", argv[1]);
	return (n && resolve_link(n)->is_dir) ? 0 : 1;
}
SHELL_COMMAND(SHELL_FILES, "cd", "[DIR]", "change the working directory (default /)", cmd_cd);

/* Short ls: a kind column, then the name, with '/' after directories.
 * Lock held. */
static void list_dir(struct pfs_node *dir)
{
	struct pfs_node *c;

	list_for_each_entry(c, &dir->children, sibling) {
		const char *kind = c->link ? "l" : c->is_dir ? "d" : c->writable ? "-rw" : "-r-";

		console_printf("%-4s %s%s\n", kind, c->name, c->is_dir ? "/" : "");
	}
}

/*
 * One line of ls -l, in Linux's columns: mode, links, owner, group,
 * size, name. The modes are tracefs's (0640 files, 0440 read-only,
 * 0750 directories); the size is 0, as Linux reports for every tracefs
 * and /proc file (the text exists only when read). There are no times.
 */
static void list_long(struct pfs_node *c)
{
	const char *mode = c->link ? "lrwxrwxrwx" : c->is_dir ? "drwxr-x---" :
			   c->writable ? "-rw-r-----" : "-r--r-----";
	char target[PFS_PATH_MAX];

	console_printf("%s %2d root root %4d %s", mode, c->is_dir && !c->link ? 2 : 1, 0, c->name);
	if (c->link) {
		node_path(c->link, target);
		console_printf(" -> %s", target);
	}
	console_printf("\n");
}

/* ls [-l] [PATH]: the entries of a directory, or a file's name. */
static int cmd_ls(int argc, char **argv)
{
	bool longfmt = argc > 1 && !strcmp(argv[1], "-l");
	const char *path = argc == 2 + longfmt ? argv[1 + longfmt] : ".";
	struct pfs_node *n, *c;

	if (argc > 2 + longfmt)
		return -EINVAL;
	if (argc > 1 + longfmt && path[0] == '-') {
		shell_err("ls: unknown option '%s' (only -l)\n", path);
		return -EINVAL;
	}
	mutex_lock(&pfs_lock);
	n = resolve_link(walk(path, cwd));
	if (n && n->is_dir)
		refreshed(n);
	if (n && n->is_dir && longfmt) {
		console_printf("total 0\n");
		list_for_each_entry(c, &n->children, sibling)
			list_long(c);
	} else if (n && n->is_dir) {
		list_dir(n);
	} else if (n && longfmt) {
		list_long(n);
	} else if (n) {
		console_printf("%s\n", n->name);
	}
	mutex_unlock(&pfs_lock);
	if (!n)
		shell_err("ls: cannot access '%s': No such file or directory\n", path);
	return n ? 0 : 1;
}
SHELL_COMMAND(SHELL_FILES, "ls", "[-l] [PATH]", "list a directory of the pseudo-file tree (-l: modes, sizes)",
	      cmd_ls);

/* cat with no FILE in a pipeline: copy the input through. */
static int cat_input(void)
{
	const char *in;
	size_t len;

	if (shell_input(&in, &len))
		return -EINVAL;
	console_write(in, len);
	return 0;
}

/*
 * cat FILE...: each file in turn to the console; an error on one is
 * reported and the rest are still printed, and the status is 1. Ctrl-C
 * (-EINTR) ends a trace_pipe read quietly. While the shell only checks a
 * pipeline, cat does nothing.
 */
static int cmd_cat(int argc, char **argv)
{
	int i, status = 0;

	if (shell_checking())
		return 0;
	if (argc < 2)
		return cat_input();
	for (i = 1; i < argc; i++) {
		struct seq_out out = { 0 };
		int err = pfs_read_path(argv[i], &out);

		if (err && err != -EINTR) {
			shell_err("cat: %s: %s\n", argv[i], errno_message(err));
			status = 1;
		}
	}
	return status;
}
SHELL_FILTER(SHELL_FILES, "cat", "FILE...", "print files (trace_pipe: until Ctrl-C); in a pipe, with no FILE, "
	     "its input", cmd_cat);
