# SPDX-License-Identifier: MIT
# boot/: the multiboot2 header and the 32-bit to 64-bit entry.
KERNEL_SRCS += boot/multiboot2.S boot/head.S
