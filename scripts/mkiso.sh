#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Make the bootable ISO: GRUB (BIOS, i386-pc) plus the kernel, from iso/.
#
# Usage: mkiso.sh OUT.iso KERNEL.elf GRUB.cfg [CMDLINE]
set -euo pipefail
out=$1; kernel=$2; cfg=$3; cmdline=${4:-}
root=$out.root
rm -rf "$root"
mkdir -p "$root/boot/grub"
cp "$kernel" "$root/boot/loupe.elf"
sed "s|@CMDLINE@|$cmdline|" "$cfg" > "$root/boot/grub/grub.cfg"
if ! log=$(grub-mkrescue -o "$out" "$root" 2>&1); then
	echo "$log" >&2
	echo "mkiso: grub-mkrescue failed (is grub-pc-bin installed? run scripts/deps.sh)" >&2
	exit 1
fi
rm -rf "$root"
