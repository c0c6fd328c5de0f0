#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# /init of the side-by-side initramfs: an interactive busybox shell on the
# serial console of Linux 6.12, with tracefs mounted at /sys/kernel/tracing,
# so that a person (or linux_console.py) can type what they type on Loupe.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
cd /sys/kernel/tracing
export PS1='linux# '
echo "LINUX-SIDE-READY"
stty cols 1000 2>/dev/null
exec setsid cttyhack sh
