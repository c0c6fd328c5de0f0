# SPDX-License-Identifier: MIT
# Test steps run by `make test`, in order. Fragments elsewhere may add more.

HOST_TESTS += $(wildcard tests/host/*.c)

TEST_STEPS += host-unit
.PHONY: test-host-unit
test-host-unit: $(B)/tests/unit-tests
	$(Q)scripts/test-step.sh host-unit $(B)/tests/unit-tests --jobs 2 --ascii

# kprobes refuses every function on the trap and probe paths: a walk of
# the kernel's call graph from those paths' entry points (no QEMU needed).
TEST_STEPS += nokprobe
.PHONY: test-nokprobe
test-nokprobe: $(B)/kernel.elf
	$(Q)scripts/test-step.sh nokprobe $(PYTHON) scripts/check-nokprobe.py \
		--objdump $(OBJDUMP) --nm $(NM) --selftest tests/kernel/test_nokprobe.c \
		$(B)/kernel.elf

# The generic/arch contracts are declared where a second architecture would
# look (kernel/arch.h, trace/*.h, asm/sections.h), with no weak symbols and
# no console command in arch/: read from the objects (no QEMU needed).
TEST_STEPS += contracts
.PHONY: test-contracts
test-contracts: $(B)/kernel.elf
	$(Q)scripts/test-step.sh contracts $(PYTHON) scripts/check-contracts.py --nm $(NM) $(B) $(B)/kernel.elf

TEST_STEPS += kernel-selftest
.PHONY: test-kernel-selftest
test-kernel-selftest: $(B)/loupe.iso
	$(Q)scripts/test-step.sh kernel-selftest $(PYTHON) tests/e2e/selftest.py --iso $(B)/loupe.iso --accel $(ACCEL)

TEST_STEPS += console
.PHONY: test-console
test-console: $(B)/loupe.iso
	$(Q)scripts/test-step.sh console $(PYTHON) tests/e2e/console.py --iso $(B)/loupe.iso --accel $(ACCEL)

# The console as a small shell (issue 18 point 6): pipes, filters,
# CMD > FILE, jobs, one prompt after Ctrl-C. One boot, under a minute.
TEST_STEPS += shell
.PHONY: test-shell
test-shell: $(B)/loupe.iso
	$(Q)scripts/test-step.sh shell $(PYTHON) tests/e2e/shell.py --iso $(B)/loupe.iso --accel $(ACCEL)

TEST_STEPS += tracing
.PHONY: test-tracing
test-tracing: $(B)/loupe.iso
	$(Q)scripts/test-step.sh tracing $(PYTHON) tests/e2e/tracing.py --iso $(B)/loupe.iso --accel $(ACCEL)
	$(Q)scripts/test-step.sh tracing-files $(PYTHON) tests/e2e/tracing_files.py --iso $(B)/loupe.iso --accel $(ACCEL)
	$(Q)scripts/test-step.sh tracefs-as-linux $(PYTHON) tests/e2e/tracefs_as_linux.py --iso $(B)/loupe.iso --accel $(ACCEL)

# A short `bench` proves every probe kind runs and counts its hits; it
# asserts nothing about time (`make bench` is the measurement).
TEST_STEPS += bench-quick
.PHONY: test-bench-quick
test-bench-quick: $(B)/loupe.iso
	$(Q)scripts/test-step.sh bench-quick $(PYTHON) tests/e2e/bench.py --quick $(if $(filter 1,$(SMP)),,--cpus) --iso $(B)/loupe.iso --accel $(ACCEL)

# libFuzzer targets (clang): `make fuzz`, and a short run as a test step.
include tests/fuzz/build.mk

# Dynamic probe events typed on the console (the f: scenarios need fprobe).
TEST_STEPS += probe-events
.PHONY: test-probe-events
test-probe-events: $(B)/loupe.iso
	$(Q)scripts/test-step.sh probe-events $(PYTHON) tests/e2e/probe_events.py --iso $(B)/loupe.iso --accel $(ACCEL)

# Event filters and triggers on probe events (issue 17 point 3).
TEST_STEPS += event-filters
.PHONY: test-event-filters
test-event-filters: $(B)/loupe.iso
	$(Q)scripts/test-step.sh event-filters $(PYTHON) tests/e2e/event_filters.py --iso $(B)/loupe.iso --accel $(ACCEL)

# Linux's own probe-event syntax-error checks (tests/probe_syntax_errors.tbl)
# at the console; the host test of the parser runs the same table.
TEST_STEPS += probe-syntax
.PHONY: test-probe-syntax
test-probe-syntax: $(B)/loupe.iso
	$(Q)scripts/test-step.sh probe-syntax $(PYTHON) tests/e2e/probe_syntax.py --iso $(B)/loupe.iso --accel $(ACCEL)

# The trap path cannot be probed (issue 14): the reproductions at the console.
TEST_STEPS += nokprobe-console
.PHONY: test-nokprobe-console
test-nokprobe-console: $(B)/loupe.iso
	$(Q)scripts/test-step.sh nokprobe-console $(PYTHON) tests/e2e/nokprobe.py --iso $(B)/loupe.iso --accel $(ACCEL)

# CPUs whatever SMP is: one CPU with every self-test but kprobe_pairs (the other steps boot
# SMP, two by default), then four and NR_CPUS with the console checks and
# the smp suite (bound tasks, cross-CPU calls and wake-ups on every CPU).
TEST_STEPS += smp
.PHONY: test-smp
test-smp: $(B)/loupe.iso
	$(Q)scripts/test-step.sh smp $(PYTHON) tests/e2e/smp.py --smp 1 --also-smp 4 --also-smp $(NR_CPUS) \
		--iso $(B)/loupe.iso --accel $(ACCEL)

# Probes that must not break the code they patch: decoding through other
# probes' patches, dis of patched code, probes on loads that may fault.
TEST_STEPS += probe-text
.PHONY: test-probe-text
test-probe-text: $(B)/loupe.iso
	$(Q)scripts/test-step.sh probe-text $(PYTHON) tests/e2e/probe_text.py --iso $(B)/loupe.iso --accel $(ACCEL)

# The red-team suite: every reproduction of issue 14 as a scenario, then a
# seeded random churn of probes (REDTEAM_SEED=N replays one). `make stress`
# runs a ten times longer churn alone.
REDTEAM = $(PYTHON) tests/e2e/redteam.py --iso $(B)/loupe.iso --accel $(ACCEL)
TEST_STEPS += redteam
.PHONY: test-redteam stress
test-redteam: $(B)/loupe.iso
	$(Q)scripts/test-step.sh redteam $(REDTEAM) --churn-steps 2000

stress: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/test-step.sh stress $(REDTEAM) --no-scenarios --churn-steps 20000

# Probes churned while every other CPU runs fib (issue 15 point 7): the
# console scenario at SMP=2, then `selftest smp_stress` booted once with 4
# CPUs (20 cycles per probe kind: about a minute and a half in all).
# `make stress-smp` runs the issue's 10,000 cycles per kind at 2 and 4
# CPUs and 200 console rounds: a minute for the cycles at 2 CPUs, over an
# hour at 4 on a two-core host (see the README).
SMP_STRESS = $(PYTHON) tests/e2e/smp_stress.py --iso $(B)/loupe.iso --accel $(ACCEL)
TEST_STEPS += smp-stress
.PHONY: test-smp-stress stress-smp
test-smp-stress: $(B)/loupe.iso
	$(Q)scripts/test-step.sh smp-stress $(SMP_STRESS) --smp 2 --rounds 20 --selftest-smp 4 --cycles 20

stress-smp: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/test-step.sh stress-smp $(SMP_STRESS) --smp 2 --smp 4 --rounds 200 \
		--selftest-smp 2 --selftest-smp 4 --cycles 10000
