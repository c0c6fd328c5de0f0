/* SPDX-License-Identifier: MIT */
/*
 * Marking code that kprobes must never touch.
 *
 * Everything that runs on the int3 / debug-exception path, and the
 * trampolines and handlers of rethook and ftrace, would recurse if probed.
 * Two ways to say so, as in Linux:
 *
 *	__kprobes		put the function in .kprobes.text (a blacklisted
 *				range: __kprobes_text_start .. __kprobes_text_end)
 *	NOKPROBE_SYMBOL(fn)	record fn's address in the _kprobe_blacklist
 *				section; kprobes refuses the whole function
 *
 * notrace (lib/compiler.h) is the ftrace counterpart: no fentry site.
 */
#ifndef KERNEL_NOKPROBE_H
#define KERNEL_NOKPROBE_H

#include <asm/sections.h>
#include <lib/compiler.h>

#define __kprobes	__attribute__((__section__(".kprobes.text")))

#define NOKPROBE_SYMBOL(fname)							\
	static unsigned long __used						\
	__attribute__((__section__("_kprobe_blacklist")))			\
	__kprobe_blacklist_##fname = (unsigned long)&fname

extern const unsigned long __start_kprobe_blacklist[], __stop_kprobe_blacklist[];

#endif
