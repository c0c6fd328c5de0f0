/* SPDX-License-Identifier: MIT */
/*
 * A tree of pseudo-files: directories, and files whose contents are
 * produced by a callback when read and consumed by a callback when
 * written. It is how the console exposes kernel state at Linux's paths
 * (/sys/kernel/tracing, /sys/kernel/debug, /proc/sys), so that `cat` and
 * `echo ... > FILE` work here as they do there.
 *
 * The tree is guarded by one mutex; callbacks run with it held, so they
 * may sleep, and create or remove nodes only with the __pfs_ variants.
 */
#ifndef KERNEL_PSEUDOFS_H
#define KERNEL_PSEUDOFS_H

#include <lib/types.h>
#include <stdarg.h>

struct pfs_node;

/*
 * Where a read's text goes: straight to the console, or into a buffer
 * (for tests, and for kernel code that reads a file).
 */
struct seq_out {
	char *buf;		/* NULL: the console */
	size_t size, len;
	bool overflow;
};

__attribute__((format(printf, 2, 3))) void seq_printf(struct seq_out *s, const char *fmt, ...);
void seq_puts(struct seq_out *s, const char *str);
/* Long listings poll this: true once the reader pressed Ctrl-C. */
bool seq_interrupted(struct seq_out *s);

struct pfs_file_ops {
	/* Print the contents. 0 or -errno. */
	int (*show)(struct seq_out *s, void *data);
	/* Take @len bytes (a trailing newline included, as echo sends);
	 * @append is `>>`. 0 or -errno. */
	int (*write)(const char *buf, size_t len, bool append, void *data);
	/* Consuming reads (trace_pipe): print as data comes, until Ctrl-C.
	 * Runs without the tree lock: only for files that are never removed. */
	int (*stream)(void *data);
};

/* Create the directories of @path as needed; returns the last, or NULL. */
struct pfs_node *pfs_mkdir_p(const char *path);
/* Make @path a link to the directory @target (like a symlink). */
int pfs_link_dir(const char *path, struct pfs_node *target);

/**
 * pfs_create_file - a pseudo-file named @name in @dir
 * @writable: whether `echo > FILE` is allowed (the mode shows it)
 *
 * Returns the node or NULL (no memory, or the name exists).
 */
struct pfs_node *pfs_create_file(struct pfs_node *dir, const char *name, bool writable,
				 const struct pfs_file_ops *ops, void *data);
struct pfs_node *pfs_create_dir(struct pfs_node *dir, const char *name);
/* Remove a file, or a directory and everything in it. */
void pfs_remove(struct pfs_node *node);

/*
 * The same three for file callbacks, which run with the tree lock held
 * (writing kprobe_events creates and removes the events/ directories).
 * Calling them without the lock is a bug.
 */
struct pfs_node *__pfs_create_file(struct pfs_node *dir, const char *name, bool writable,
				   const struct pfs_file_ops *ops, void *data);
struct pfs_node *__pfs_create_dir(struct pfs_node *dir, const char *name);
void __pfs_remove(struct pfs_node *node);
/* Point every file directly in @dir whose data is @old at @new instead. */
void __pfs_pass_data(struct pfs_node *dir, void *old, void *new);

/*
 * pfs_set_refresh - a directory whose entries follow kernel state
 *
 * @refresh(@dir) runs, with the tree lock held, whenever a path goes
 * through @dir or @dir is listed, before its entries are looked at: it
 * brings them up to date with __pfs_create_*() and __pfs_prune(), as
 * Linux's /proc makes a directory per task when it is looked up.
 */
void pfs_set_refresh(struct pfs_node *dir, void (*refresh)(struct pfs_node *dir));
/* Remove every entry of @dir for which @keep(@arg, its name) is false.
 * Tree lock held (a refresh callback). */
void __pfs_prune(struct pfs_node *dir, bool (*keep)(void *arg, const char *name), void *arg);

/* Resolve @path (absolute, or relative to the shell's working directory). */
struct pfs_node *pfs_lookup(const char *path);

/* Call @fn for each entry of the directory @path, in name order, under the
 * tree lock (for Tab completion). 0, -ENOENT or -ENOTDIR. */
int pfs_for_each_child(const char *path, void (*fn)(void *arg, const char *name, bool is_dir),
		       void *arg);

/* Read @path into @out / write @text to it, as cat and echo do. */
int pfs_read_path(const char *path, struct seq_out *out);
int pfs_write_path(const char *path, const char *text, size_t len, bool append);
/* Could @path be written? 0, -ENOENT, -EISDIR or -EACCES (the shell asks
 * before it runs `CMD > FILE`). */
int pfs_check_write(const char *path);

#endif
