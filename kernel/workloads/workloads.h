/* SPDX-License-Identifier: MIT */
/*
 * Demo workloads: kernel threads that give a student something to probe.
 * `run NAME ARGS` starts one (see run.c); these names are an interface
 * that the tests and the README's tour rely on.
 */
#ifndef KERNEL_WORKLOADS_H
#define KERNEL_WORKLOADS_H

#include <lib/types.h>

unsigned long fib(unsigned long n);
unsigned long fib_calls(unsigned long n);

/* Words in @text (blank-separated); and @rounds calls of it on fixed text. */
unsigned long word_count(const char *text);
unsigned long words_run(unsigned long rounds);

#endif
