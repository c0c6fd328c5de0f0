/* SPDX-License-Identifier: MIT */
/*
 * /sys/kernel/tracing/README: the short guide to the files and the
 * probe-event grammar Loupe has (trace/tracefs_readme.c). Plain text, no
 * kernel headers: the host tests read it as Linux's ftracetest reads
 * Linux's README, to learn which features are there.
 */
#ifndef TRACE_TRACEFS_README_H
#define TRACE_TRACEFS_README_H

extern const char tracefs_readme[];

#endif /* TRACE_TRACEFS_README_H */
