/* SPDX-License-Identifier: MIT */
/* What ftrace's files share among themselves (not for other subsystems). */
#ifndef TRACE_FTRACE_INTERNAL_H
#define TRACE_FTRACE_INTERNAL_H

#include <trace/ftrace.h>
#include <kernel/mutex.h>

/* Serialises registration, filter changes and site patching. */
extern struct mutex ftrace_lock;

/* Bring every site to the state the registered ops ask for (lock held). */
int ftrace_update_sites(void);

#endif
