#!/bin/busybox sh
# SPDX-License-Identifier: MIT
#
# /init of the initramfs that scripts/linux-bench-cpus.sh boots: Linux's
# side of Loupe's `bench --cpus`. The script substitutes the @...@ values.
#
# For each mode (a probe on getppid's kernel function, as in
# ../shared/anchors/linux-probes/guest-init.sh) and each of ROUNDS rounds
# (MODES may say MODE:R: start at round R):
#
#   b1  probe off, one sysloop pinned to CPU 0
#   bN  probe off, one sysloop pinned to each CPU, all started at once
#   p1, pN  the same with the probe on
#
# then "ROUND-DONE MODE R"; "MODE-DONE MODE" after the last round.
# Every sysloop times REPS loops of N getppid() calls and prints one
# "RESULT label=MODE.PHASE.rROUND.cpuC ... med_ns=..." line (the median of
# its loops); the host script turns them into the table. The processes of
# an N-CPU phase start together: each, pinned with taskset, spins in its
# shell until /tmp/go exists, then execs sysloop, and /tmp/go is created
# once every one of them spins.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t tmpfs tmpfs /tmp
T=/sys/kernel/tracing
[ -e $T/kprobe_events ] || T=/sys/kernel/debug/tracing
KPL=/sys/kernel/debug/kprobes/list
OPTSYS=/proc/sys/debug/kprobes-optimization

N=@N@
REPS=@REPS@
ROUNDS=@ROUNDS@
F=@FUNC@
MODES="@MODES@"

echo "SYSLOOP-READY"
NCPU=$(grep -c '^processor' /proc/cpuinfo)
CPUS=$(seq 0 $((NCPU - 1)) | tr '\n' ' ')
echo "INFO kernel=$(uname -r)"
echo "INFO ncpu=$NCPU cpus_online=$(cat /sys/devices/system/cpu/online)"
echo "INFO cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "INFO spectre_v2=$(cat /sys/devices/system/cpu/vulnerabilities/spectre_v2 2>/dev/null | tr " " _)"
echo "INFO cmdline=$(cat /proc/cmdline | tr " " _)"
echo "INFO clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "INFO trace_clock=$(cat $T/trace_clock)"
echo "INFO n=$N reps=$REPS rounds=$ROUNDS func=$F modes=$MODES"

# The name ftrace lists for $F (getppid's __x64_sys_getppid has aliases at
# the same address; set_ftrace_filter and fprobe accept only that one).
addr=$(awk -v f="$F" '$3 == f { print $1; exit }' /proc/kallsyms)
FTF=$F
for s in $(awk -v a="$addr" '$1 == a && $2 ~ /^[tT]$/ { print $3 }' /proc/kallsyms); do
	grep -qx "$s" $T/available_filter_functions && { FTF=$s; break; }
done
echo "INFO ftrace_name=$FTF"

has() { case " $MODES " in *" $1 "* | *" $1:"*) return 0 ;; esac; return 1; }

# phase TAG CPU...: one $LOOP per CPU, started together; RESULT lines
LOOP=/sysloop
phase() {
	local tag=$1 c
	shift
	rm -f /tmp/go /tmp/rdy.* /tmp/out.*
	for c in "$@"; do
		taskset -c $c sh -c ": > /tmp/rdy.$c; while [ ! -e /tmp/go ]; do :; done
			exec $LOOP $tag.cpu$c $N $REPS" > /tmp/out.$c 2>&1 &
	done
	while [ $(ls /tmp | grep -c '^rdy\.') -lt $# ]; do sleep 0.01; done
	: > /tmp/go
	wait
	cat /tmp/out.*
}

# The first round of MODE: 1, or R when MODES says MODE:R (the host script
# boots again after a crash and asks for the rounds still missing).
first_round() {
	local s
	for s in $MODES; do
		case $s in "$1":*) echo "${s#*:}"; return ;; esac
	done
	echo 1
}

# rounds MODE ON-CMD OFF-CMD: the four phases in each round, probe off
# first in odd rounds and on first in even ones (ABBA: a slow drift of the
# host cancels, and the probe switches once a round, not twice: each
# switch patches kernel text, which 6.12 under TCG does not always
# survive at two CPUs - see scripts/linux-bench-cpus.sh).
rounds() {
	local m=$1 on=$2 off=$3 r state=0 order x
	r=$(first_round $m)
	while [ $r -le $ROUNDS ]; do
		if [ $((r % 2)) = 1 ]; then order="b p"; else order="p b"; fi
		for x in $order; do
			if [ $x = p ] && [ $state = 0 ]; then
				eval "$on" || { echo "RESULT label=$m unsupported=enable_failed"; return; }
				state=1
				sleep 0.005
			elif [ $x = b ] && [ $state = 1 ]; then
				eval "$off"
				state=0
				sleep 0.005
			fi
			phase $m.${x}1.r$r 0
			phase $m.${x}N.r$r $CPUS
		done
		echo "ROUND-DONE $m $r"
		r=$((r + 1))
	done
	[ $state = 1 ] && eval "$off"
	echo "MODE-DONE $m"
}

hits() { grep -w "$1" $T/kprobe_profile | awk '{ print $2 }'; }
# calls of one sysloop: its warm-up (4 * (N/20 + 100)) and REPS loops of N
CALLS_PER=$(( 4 * (N / 20 + 100) + REPS * N ))
echo "INFO calls_per_sysloop=$CALLS_PER probed_calls_per_mode=$(( ROUNDS * (1 + NCPU) * CALLS_PER ))"

reset_trace() {
	echo 0 > $T/tracing_on
	echo nop > $T/current_tracer
	echo > $T/set_ftrace_filter
	echo > $T/trace
	echo 1 > $T/tracing_on
}
reset_trace

# Enabling a trace event or a tracer also starts saved_cmdlines recording
# (record-cmd), which registers probes on the scheduler's sched_switch and
# sched_wakeup tracepoints, and stopping the last one unregisters them:
# each probe switch would then patch static keys in __schedule() and
# ttwu_do_activate() while the other CPUs run them. Under TCG that is
# what crashed this guest ("Oops: int3" at both sites: a CPU keeps a stale
# translation with the int3 in it). One event that never fires here, on
# for the whole run, holds the recording: the switches only count up and
# down. (Per hit this changes nothing: recording happens at sched_switch.)
HOLD=sched/sched_kthread_stop
if echo 1 > $T/events/$HOLD/enable; then
	echo "INFO cmdline_recording_held_by=$HOLD"
else
	echo "INFO cmdline_recording_held_by=none"
fi

has base && rounds base : :

# kprobe event at the entry: on x86 a kprobe on the fentry site (ftrace)
if has kprobe_entry; then
	if echo "p:lp/kp_entry $F" >> $T/kprobe_events; then
		echo "INFO kprobe_entry kprobes/list: $(grep -m1 "$F\|$FTF" $KPL)"
		rounds kprobe_entry "echo 1 > $T/events/lp/kp_entry/enable" \
			"echo 0 > $T/events/lp/kp_entry/enable"
		echo "INFO kprobe_entry hits=$(hits kp_entry)"
		echo "-:lp/kp_entry" >> $T/kprobe_events
	else
		echo "RESULT label=kprobe_entry unsupported=create_failed"
	fi
	reset_trace
fi

# kprobe event mid-function (the first offset that is not the ftrace
# site), kprobes-optimization off: an int3, boosted on 6.12
if has kprobe_int3; then
	echo 0 > $OPTSYS
	off=1 at=
	while [ $off -le 64 ] && [ -z "$at" ]; do
		if echo "p:lp/kp_int3 $F+$off" >> $T/kprobe_events 2>/dev/null; then
			case "$(grep -E "\+0x$(printf %x $off)( |\$)" $KPL)" in
			*FTRACE*) echo "-:lp/kp_int3" >> $T/kprobe_events ;;
			*) at=$off ;;
			esac
		fi
		off=$((off + 1))
	done
	if [ -n "$at" ]; then
		echo "INFO kprobe_int3 at=$F+$at kprobes-optimization=$(cat $OPTSYS)"
		rounds kprobe_int3 "echo 1 > $T/events/lp/kp_int3/enable" \
			"echo 0 > $T/events/lp/kp_int3/enable"
		echo "INFO kprobe_int3 hits=$(hits kp_int3)"
		echo "-:lp/kp_int3" >> $T/kprobe_events
	else
		echo "RESULT label=kprobe_int3 unsupported=no_suitable_offset"
	fi
	echo 1 > $OPTSYS
	reset_trace
fi

# kretprobe event: entry through ftrace, return through rethook
if has kretprobe; then
	if echo "r:lp/krp $F" >> $T/kprobe_events; then
		rounds kretprobe "echo 1 > $T/events/lp/krp/enable" "echo 0 > $T/events/lp/krp/enable"
		echo "INFO kretprobe hits=$(hits krp)"
		echo "-:lp/krp" >> $T/kprobe_events
	else
		echo "RESULT label=kretprobe unsupported=create_failed"
	fi
	reset_trace
fi

# fprobe events (f:, Linux >= 6.7)
for m in fprobe_entry fprobe_exit; do
	has $m || continue
	if [ $m = fprobe_entry ]; then spec="f:lp/fp $FTF"; else spec="f:lp/fp $FTF%return"; fi
	if [ -e $T/dynamic_events ] && echo "$spec" >> $T/dynamic_events 2>/dev/null; then
		rounds $m "echo 1 > $T/events/lp/fp/enable" "echo 0 > $T/events/lp/fp/enable"
		echo "-:lp/fp" >> $T/dynamic_events
	else
		echo "RESULT label=$m unsupported=no_fprobe_events"
	fi
	reset_trace
done

# function / function_graph tracer, filtered to the one function
for tr in function function_graph; do
	has $tr || continue
	if grep -qw $tr $T/available_tracers && echo $FTF > $T/set_ftrace_filter; then
		rounds $tr "echo $tr > $T/current_tracer" "echo nop > $T/current_tracer"
	else
		echo "RESULT label=$tr unsupported=no_tracer"
	fi
	reset_trace
done

# No probe: a user loop with one RDTSC an iteration ("on") or none
# ("off"), to set beside Loupe's ref_clock_read: under TCG every RDTSC
# takes a lock all virtual CPUs share (each ring-buffer event reads it).
if has ref_clock_read; then
	LOOP='/clockloop 0'
	rounds ref_clock_read "LOOP='/clockloop 1'" "LOOP='/clockloop 0'"
	LOOP=/sysloop
fi

echo "SYSLOOP-DONE"
sync
poweroff -f
