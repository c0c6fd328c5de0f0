#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Add up what each `make test` step recorded (scripts/test-step.sh) and
# print one closing line "N passed, M failed". A step that recorded nothing
# (it could not even start) counts as one failure. Exits 1 on any failure.
#
# Usage: scripts/test-summary.sh RESULTS_DIR STEP...
set -u
dir=$1; shift
total_pass=0; total_fail=0
echo
echo "== summary"
for step in "$@"; do
	if [ -r "$dir/$step" ]; then
		read -r p f < "$dir/$step"
	else
		p=0; f=1
		echo "   $step: recorded no result (did not run?)"
	fi
	printf '   %-16s %4d passed, %d failed\n' "$step" "$p" "$f"
	total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
