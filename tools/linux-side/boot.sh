#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot a Linux 6.12 kernel under QEMU (TCG) with an initramfs whose /init is
# an interactive busybox shell on the serial line (init.sh), for comparing
# Loupe's tracefs files with Linux's by hand or with linux_console.py.
#
# Usage: tools/linux-side/boot.sh VMLINUZ [SMP]
# The initramfs is built into build/linux-side/ (needs busybox-static, cpio).
# With SMP=2, Debian's 6.12 under TCG may oops on an int3 while it patches
# text for a tracer (seen after free_buffer and a function-command churn):
# SMP=1 for long sessions.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/../../build/linux-side
KERNEL=${1:?usage: boot.sh VMLINUZ [SMP]}
SMP=${2:-1}
mkdir -p "$OUT"
root=$OUT/root
rm -rf "$root"; mkdir -p "$root"/{bin,proc,sys,dev,tmp}
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$HERE/init.sh" "$root/init"
( cd "$root" && find . | cpio --quiet -o -H newc | gzip -1 ) > "$OUT/initramfs.cpio.gz"
exec qemu-system-x86_64 -accel tcg -cpu max -smp "$SMP" -m 512 \
	-nographic -no-reboot -nodefaults -serial stdio -monitor none \
	-kernel "$KERNEL" -initrd "$OUT/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 quiet loglevel=3 nokaslr"
