/* SPDX-License-Identifier: MIT */
/*
 * What trace/kprobes.c and the optimizer (trace/kprobes_opt.c) share; the
 * kprobe_* calls are made with kprobe_mutex held.
 */
#ifndef TRACE_KPROBES_OPT_H
#define TRACE_KPROBES_OPT_H

#include <trace/kprobes_arch.h>
#include <kernel/mutex.h>

/* Serialises registering, arming and optimizing (trace/kprobes.c). */
extern struct mutex kprobe_mutex;
/* Every registered struct kprobe, by its list member. */
extern struct list_head kprobe_list;
/* The point at @addr, armed or not, or NULL. */
struct kprobe_point *kprobe_point_find(unsigned long addr);
/* Does a probe at @pt ask to move RIP (KPROBE_FLAG_IPMODIFY)? */
bool kprobe_point_wants_ipmodify(const struct kprobe_point *pt);

/* The optimizer (trace/kprobes_opt.c): take @pt back to an int3, now. */
void kprobe_unoptimize(struct kprobe_point *pt);
/* Queue @pt for optimizing, if it qualifies and is not optimized yet. */
void kprobe_queue_optimize(struct kprobe_point *pt);
/* Unoptimize every probe whose jmp covers @addr (an int3 goes there). */
void kprobe_unoptimize_covering(unsigned long addr);

#endif
