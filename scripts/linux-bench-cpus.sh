#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Linux's side of Loupe's `bench --cpus`: does a probe cost more per hit
# when every CPU hits it at once? `make bench-linux SMP=N` (N > 1) runs this.
#
# Boots Debian's linux-image-6.12-cloud-amd64 at SMP CPUs under the QEMU
# Loupe's bench uses (TCG, -cpu max, not pinned to a host CPU), with an
# initramfs of busybox-static, ../shared/anchors/linux-probes/sysloop.c
# (compiled, not changed) and scripts/linux-bench-cpus-init.sh as /init.
# For each mode of run.sh's guest-init that has an N-CPU sense (tracefs
# kprobe event at the entry, int3 kprobe event mid-function, kretprobe
# event, fprobe entry/exit events, function and function_graph tracers
# filtered to getppid's kernel function), it times getppid() loops with
# one sysloop on CPU 0, then with one sysloop pinned to each CPU (taskset
# -c i) all at once, probe off and on, in ROUNDS alternating rounds, and
# prints a table (scripts/linux-bench-cpus-table.py): per-hit overhead on
# 1 CPU and on N CPUs, and their ratio, beside Loupe's BENCH_SMP lines.
#
# Usage: SMP=2 scripts/linux-bench-cpus.sh     (a few minutes under TCG)
#   SMP=2 KERNEL_PKG=linux-image-6.12-cloud-amd64 CACHE=build/linux-cpus
#   N=20000 REPS=5 ROUNDS=15 (per phase: each sysloop times REPS loops of N
#                  calls and reports their median; the table takes medians
#                  over ROUNDS rounds of off-1, off-N, on-1, on-N)
#   FUNC=__x64_sys_getppid  MODES="base kprobe_entry kprobe_int3 ..."
#   MEM=512  TIMEOUT=1800 (s)  QEMU_EXTRA="-icount shift=0,sleep=off"
#   PIN_CPUS=  (host CPUs for QEMU, e.g. 0-1; empty: not pinned, as make bench)
#   LOUPE=FILE (what `make bench SMP=N` printed: its BENCH_SMP lines are
#              put beside Linux's, kind by kind)
# Output: the table on stdout; the serial log under $CACHE/logs/.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SMP=${SMP:-2}
KERNEL_PKG=${KERNEL_PKG:-linux-image-6.12-cloud-amd64}
CACHE=${CACHE:-$TOP/build/linux-cpus}
SYSLOOP_SRC=${SYSLOOP_SRC:-$TOP/../shared/anchors/linux-probes/sysloop.c}
N=${N:-20000}
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-15}
FUNC=${FUNC:-__x64_sys_getppid}
MODES=${MODES:-"base kprobe_entry kprobe_int3 kretprobe fprobe_entry fprobe_exit function function_graph"}
MEM=${MEM:-512}
TIMEOUT=${TIMEOUT:-1800}
QEMU_EXTRA=${QEMU_EXTRA:-}
PIN_CPUS=${PIN_CPUS:-}
LOUPE=${LOUPE:-}

log() { echo "[linux-bench-cpus] $*" >&2; }

case $SMP in
'' | *[!0-9]*) log "SMP='$SMP': give a number of CPUs, 2 or more"; exit 2 ;;
esac
[ "$SMP" -ge 1 ] || { log "SMP=$SMP: at least 1 CPU"; exit 2; }
command -v qemu-system-x86_64 >/dev/null || { log "qemu-system-x86_64 missing (scripts/deps.sh run)"; exit 1; }
[ -r "$SYSLOOP_SRC" ] || { log "$SYSLOOP_SRC not found"; exit 1; }
mkdir -p "$CACHE/logs"

# The kernel: a meta package names the concrete image it depends on.
kernel_image() {
	local pkg=$KERNEL_PKG dep dir deb
	dep=$(apt-cache depends "$pkg" 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$dep" ] && pkg=$dep
	dir=$CACHE/x-$pkg
	if ! ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then
		deb=$(ls "$CACHE/${pkg}"_*.deb 2>/dev/null | head -1 || true)
		if [ -z "$deb" ]; then
			(cd "$CACHE" && apt-get download "$pkg") >&2 || { log "apt-get download $pkg failed"; return 1; }
			deb=$(ls "$CACHE/${pkg}"_*.deb | head -1)
		fi
		mkdir -p "$dir"
		dpkg-deb -x "$deb" "$dir"
	fi
	ls "$dir"/boot/vmlinuz-* | head -1
}

# The initramfs: busybox-static, sysloop, our /init.
initramfs() {
	local root=$CACHE/initramfs-root out=$CACHE/initramfs.cpio.gz
	file -L /bin/busybox | grep -q 'statically linked' \
		|| { log "/bin/busybox is not static (scripts/deps.sh bench-linux)"; return 1; }
	rm -rf "$root"
	mkdir -p "$root"/{bin,proc,sys,dev,tmp}
	cp /bin/busybox "$root/bin/busybox"
	gcc -static -O2 -Wall -o "$root/sysloop" "$SYSLOOP_SRC"
	sed -e "s/@N@/$N/" -e "s/@REPS@/$REPS/" -e "s/@ROUNDS@/$ROUNDS/" \
		-e "s/@FUNC@/$FUNC/" -e "s/@MODES@/$MODES/" \
		"$HERE/linux-bench-cpus-init.sh" > "$root/init"
	chmod +x "$root/init"
	(cd "$root" && find . | cpio --quiet -o -H newc | gzip -1) > "$out"
	echo "$out"
}

main() {
	local k initrd out pin="" rc=0 t0=$SECONDS
	k=$(kernel_image)
	initrd=$(initramfs)
	out=$CACHE/logs/$(date +%Y%m%d-%H%M%S)-$(basename "$k")-smp$SMP.log
	[ -n "$PIN_CPUS" ] && pin="taskset -c $PIN_CPUS"
	log "booting $(basename "$k") at $SMP CPUs under TCG (N=$N REPS=$REPS ROUNDS=$ROUNDS), log: $out"
	timeout --foreground -k 5 "$TIMEOUT" $pin qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$SMP" -m "$MEM" $QEMU_EXTRA \
		-nographic -no-reboot -nodefaults -serial stdio -monitor none \
		-kernel "$k" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 quiet loglevel=3 nokaslr" \
		< /dev/null > "$out" 2>&1 || rc=$?
	log "QEMU exited rc=$rc after $((SECONDS - t0)) s"
	grep -aq SYSLOOP-DONE "$out" || log "WARNING: the run did not finish (timeout $TIMEOUT s?); the table shows what it measured"
	tr -d '\r' < "$out" | grep -a '^INFO' | grep -E 'kernel=|ncpu=|clocksource=|trace_clock=|at=|hits=|calls_per' >&2 || true
	echo
	"$HERE/linux-bench-cpus-table.py" "$out" ${LOUPE:+--loupe "$LOUPE"}
}
main "$@"
