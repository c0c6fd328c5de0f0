// SPDX-License-Identifier: MIT
/*
 * TEMPORARY - drop this file when fprobe (trace/fprobe.c) is merged.
 *
 * Weak stand-ins for the fprobe API of trace/fprobe.h, so that the
 * events branch links and runs before fprobe exists: registering fails
 * with -EOPNOTSUPP, and f: events are refused with a clear error_log
 * entry. The real definitions, being strong, win as soon as they link.
 */
#include <trace/fprobe.h>
#include <lib/compiler.h>
#include <lib/errno.h>

__weak int register_fprobe(struct fprobe *fp, const char *filter, const char *notfilter)
{
	(void)fp; (void)filter; (void)notfilter;
	return -EOPNOTSUPP;
}

__weak int register_fprobe_ips(struct fprobe *fp, unsigned long *addrs, int num)
{
	(void)fp; (void)addrs; (void)num;
	return -EOPNOTSUPP;
}

__weak int register_fprobe_syms(struct fprobe *fp, const char **syms, int num)
{
	(void)fp; (void)syms; (void)num;
	return -EOPNOTSUPP;
}

__weak int unregister_fprobe(struct fprobe *fp)
{
	(void)fp;
	return -EINVAL;
}

__weak unsigned long fprobe_entry_arg(const void *entry_data, unsigned n)
{
	(void)entry_data; (void)n;
	return 0;
}
