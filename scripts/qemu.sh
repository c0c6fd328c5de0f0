#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Start QEMU with the arguments the Makefile gives, and make its exit status
# mean what a person expects: the kernel's `poweroff` exits 0.
#
# QEMU itself exits 0 on an ACPI power-off. The isa-debug-exit device,
# used as poweroff's fallback and for test verdicts, makes QEMU exit with
# (code << 1) | 1: code 0 (status 1) is also a clean power-off.
#
# KVM is never chosen here on its own: on our build machines /dev/kvm opens
# but runs guests about 1000x slower than TCG. ACCEL=kvm asks for it.
set -u
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "qemu.sh: qemu-system-x86_64 not found; run scripts/deps.sh" >&2
	exit 1
fi
qemu-system-x86_64 "$@"
status=$?
[ "$status" -eq 1 ] && status=0
exit "$status"
