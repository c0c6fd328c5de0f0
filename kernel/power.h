/* SPDX-License-Identifier: MIT */
/* Power control: what `poweroff` and `reboot` do (arch code). */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

__attribute__((noreturn)) void machine_power_off(void);
__attribute__((noreturn)) void machine_restart(void);
/* Exit QEMU through isa-debug-exit; QEMU's status is (code << 1) | 1. */
__attribute__((noreturn)) void machine_exit_qemu(int code);

#endif
