# SPDX-License-Identifier: MIT
# tests/kernel/: in-kernel self-test suites, linked into the kernel.
KERNEL_SRCS += $(wildcard tests/kernel/*.c)
