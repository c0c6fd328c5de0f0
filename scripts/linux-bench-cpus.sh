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
# Mode ref_clock_read is no probe: a user loop with and without one RDTSC
# an iteration (linux-bench-cpus-clock.c), beside Loupe's kind of that name.
#
# Usage: SMP=2 scripts/linux-bench-cpus.sh     (a few minutes under TCG)
#   SMP=2 KERNEL_PKG=linux-image-6.12-cloud-amd64 CACHE=build/linux-cpus
#   N=10000 REPS=7 ROUNDS=15 (per phase: each sysloop times REPS loops of N
#                  calls and reports their median; the table takes medians
#                  over ROUNDS rounds of off-1, off-N, on-1, on-N)
#   FUNC=__x64_sys_getppid  MODES="base kprobe_entry kprobe_int3 ..."
#   MEM=512  TIMEOUT=1800 (s, per boot)  QEMU_EXTRA="-icount shift=0,sleep=off"
#   BOOTS=6    (boots at most: see below)
#   APPEND_EXTRA="mitigations=off"  (more kernel command line)
#   PIN_CPUS=  (host CPUs for QEMU, e.g. 0-1; empty: not pinned, as make bench)
#   LOUPE=FILE (what `make bench SMP=N` printed: its BENCH_SMP lines are
#              put beside Linux's, kind by kind)
# Output: the table on stdout; the serial logs under $CACHE/logs/.
#
# Linux 6.12 does not always survive this under QEMU 7.2's TCG at two
# CPUs. Switching a probe patches kernel text (text_poke_bp), and a CPU
# that was translating code while it was patched can keep a stale
# translation and later trap on an int3 no longer in memory: "Oops: int3"
# in __schedule() and ttwu_do_activate(), at the static keys of the
# sched_switch/sched_wakeup tracepoints, which every event enable and
# tracer start flipped to record comms (record-cmd). Loupe's
# text_poke_refetch() exists for this; Linux has nothing like it. So the
# guest holds that recording on for the whole run (one idle event) and
# switches each probe once per round, says which rounds it finished, and
# after a crash this script boots again for the rounds still missing
# (BOOTS at most); the table uses only finished rounds and counts boots
# and crashes.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
SMP=${SMP:-2}
KERNEL_PKG=${KERNEL_PKG:-linux-image-6.12-cloud-amd64}
CACHE=${CACHE:-$TOP/build/linux-cpus}
SYSLOOP_SRC=${SYSLOOP_SRC:-$TOP/../shared/anchors/linux-probes/sysloop.c}
N=${N:-10000}
REPS=${REPS:-7}
ROUNDS=${ROUNDS:-15}
FUNC=${FUNC:-__x64_sys_getppid}
MODES=${MODES:-"base kprobe_entry kprobe_int3 kretprobe fprobe_entry fprobe_exit function function_graph ref_clock_read"}
MEM=${MEM:-512}
TIMEOUT=${TIMEOUT:-1800}
BOOTS=${BOOTS:-6}
QEMU_EXTRA=${QEMU_EXTRA:-}
PIN_CPUS=${PIN_CPUS:-}
APPEND_EXTRA=${APPEND_EXTRA:-}
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

# The initramfs: busybox-static, sysloop, our /init for MODES ($1).
initramfs() {
	local root=$CACHE/initramfs-root out=$CACHE/initramfs.cpio.gz
	if [ ! -x "$CACHE/sysloop" ] || [ "$SYSLOOP_SRC" -nt "$CACHE/sysloop" ]; then
		file -L /bin/busybox | grep -q 'statically linked' \
			|| { log "/bin/busybox is not static (scripts/deps.sh bench-linux)"; return 1; }
		gcc -static -O2 -Wall -o "$CACHE/sysloop" "$SYSLOOP_SRC"
	fi
	if [ ! -x "$CACHE/clockloop" ] || [ "$HERE/linux-bench-cpus-clock.c" -nt "$CACHE/clockloop" ]; then
		gcc -static -O2 -Wall -o "$CACHE/clockloop" "$HERE/linux-bench-cpus-clock.c"
	fi
	rm -rf "$root"
	mkdir -p "$root"/{bin,proc,sys,dev,tmp}
	cp /bin/busybox "$root/bin/busybox"
	cp "$CACHE/sysloop" "$CACHE/clockloop" "$root/"
	sed -e "s/@N@/$N/" -e "s/@REPS@/$REPS/" -e "s/@ROUNDS@/$ROUNDS/" \
		-e "s/@FUNC@/$FUNC/" -e "s/@MODES@/$1/" \
		"$HERE/linux-bench-cpus-init.sh" > "$root/init"
	chmod +x "$root/init"
	(cd "$root" && find . | cpio --quiet -o -H newc | gzip -1) > "$out"
	echo "$out"
}

# What a boot left to do: each mode of $1 (MODE or MODE:R) that the log $2
# neither finished nor found unsupported, as MODE:R, R its first missing round.
still_to_do() {
	local spec m first last todo=""
	for spec in $1; do
		m=${spec%%:*}
		first=1
		case $spec in *:*) first=${spec#*:} ;; esac
		# (grep -q on the file itself: in a pipe it may stop the writer, and
		# pipefail would take that for a failure)
		grep -aqE "^(MODE-DONE $m|RESULT label=$m unsupported=)" "$2" && continue
		last=$(tr -d '\r' < "$2" | awk -v m="$m" '$1 == "ROUND-DONE" && $2 == m { r = $3 } END { print r }')
		[ -n "$last" ] && first=$((last + 1))
		[ "$first" -gt "$ROUNDS" ] && continue
		todo="$todo $m:$first"
	done
	echo $todo
}

main() {
	local k initrd out pin="" rc t0 todo=$MODES attempt=1 logs=()
	k=$(kernel_image)
	[ -n "$PIN_CPUS" ] && pin="taskset -c $PIN_CPUS"
	# The N-CPU phases need N free host CPUs: say how busy the host was.
	log "host: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
	while [ -n "$todo" ] && [ $attempt -le "$BOOTS" ]; do
		initrd=$(initramfs "$todo")
		out=$CACHE/logs/$(date +%Y%m%d-%H%M%S)-$(basename "$k")-smp$SMP.log
		logs+=("$out")
		log "boot $attempt: $(basename "$k") at $SMP CPUs under TCG (N=$N REPS=$REPS ROUNDS=$ROUNDS), modes: $todo"
		log "log: $out"
		rc=0 t0=$SECONDS
		timeout --foreground -k 5 "$TIMEOUT" $pin qemu-system-x86_64 \
			-accel tcg -cpu max -smp "$SMP" -m "$MEM" $QEMU_EXTRA \
			-nographic -no-reboot -nodefaults -serial stdio -monitor none \
			-kernel "$k" -initrd "$initrd" \
			-append "console=ttyS0 panic=-1 quiet loglevel=3 nokaslr $APPEND_EXTRA" \
			< /dev/null > "$out" 2>&1 || rc=$?
		log "QEMU exited rc=$rc after $((SECONDS - t0)) s"
		if ! grep -aq SYSLOOP-READY "$out"; then
			log "the kernel never reached the init: giving up"
			break
		fi
		tr -d '\r' < "$out" | grep -a -m1 -E 'Oops:|Kernel panic|BUG:' | sed 's/^/[linux-bench-cpus] guest: /' >&2 || true
		todo=$(still_to_do "$todo" "$out")
		attempt=$((attempt + 1))
	done
	log "host: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	[ -z "$todo" ] || log "WARNING: not measured in full after $((attempt - 1)) boots: $todo"
	tr -d '\r' < "${logs[0]}" | grep -a '^INFO' | grep -E 'kernel=|ncpu=|spectre_v2=|cmdline=|clocksource=|trace_clock=|at=|calls_per' >&2 || true
	echo
	"$HERE/linux-bench-cpus-table.py" "${logs[@]}" ${LOUPE:+--loupe "$LOUPE"}
}
main "$@"
