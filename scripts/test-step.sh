#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run one `make test` step and record how many of its tests passed/failed.
#
# Usage: scripts/test-step.sh NAME COMMAND [ARGS...]
#
# The command's output goes to the terminal and to build/results/NAME.log.
# The counts are read from the output, in this order of preference:
#   - the last line of the form "N passed, M failed" (our own runners);
#   - Criterion's "Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C";
#   - otherwise the exit status: 1 passed or 1 failed.
# A non-zero exit status always counts at least one failure.
# Writes "PASSED FAILED" to build/results/NAME.
set -u
name=$1; shift
dir=${RESULTS_DIR:-build/results}
mkdir -p "$dir"
log=$dir/$name.log

echo "== test step: $name"
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=; failed=
line=$(grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
if [ -n "$line" ]; then
	passed=$(sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
else
	line=$(grep -E 'Synthesis: Tested: [0-9]+' "$log" | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g')
	if [ -n "$line" ]; then
		passed=$(sed -E 's/.*Passing: ([0-9]+).*/\1/' <<<"$line")
		f=$(sed -E 's/.*Failing: ([0-9]+).*/\1/' <<<"$line")
		c=$(sed -E 's/.*Crashing: ([0-9]+).*/\1/' <<<"$line")
		failed=$((f + c))
	fi
fi
if [ -z "$passed" ]; then
	if [ "$status" -eq 0 ]; then passed=1; failed=0; else passed=0; failed=1; fi
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "== $name: exited with status $status" >&2
	failed=1
fi
echo "$passed $failed" > "$dir/$name"
echo "== $name: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
