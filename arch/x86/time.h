/* SPDX-License-Identifier: MIT */
/* x86 time sources: the PIT for calibration, the TSC for the clock. */
#ifndef ARCH_X86_TIME_H
#define ARCH_X86_TIME_H

#include <lib/types.h>

#define PIT_CALIBRATE_MS	20

/* Busy-wait about @ms milliseconds on PIT channel 2; returns the exact
 * nanoseconds the PIT counted (ms * 1e6 rounded to PIT ticks). */
u64 pit_wait_ms(unsigned ms);

/* Measure the TSC against the PIT and start the monotonic clock. */
void tsc_init(void);

extern u64 tsc_khz;

#endif
