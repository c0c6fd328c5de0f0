# SPDX-License-Identifier: MIT
# Test steps run by `make test`, in order. Fragments elsewhere may add more.

HOST_TESTS += $(wildcard tests/host/*.c)

TEST_STEPS += host-unit
.PHONY: test-host-unit
test-host-unit: $(B)/tests/unit-tests
	$(Q)scripts/test-step.sh host-unit $(B)/tests/unit-tests --jobs 2 --ascii

TEST_STEPS += kernel-selftest
.PHONY: test-kernel-selftest
test-kernel-selftest: $(B)/loupe.iso
	$(Q)scripts/test-step.sh kernel-selftest $(PYTHON) tests/e2e/selftest.py --iso $(B)/loupe.iso --accel $(ACCEL)

TEST_STEPS += console
.PHONY: test-console
test-console: $(B)/loupe.iso
	$(Q)scripts/test-step.sh console $(PYTHON) tests/e2e/console.py --iso $(B)/loupe.iso --accel $(ACCEL)

TEST_STEPS += tracing
.PHONY: test-tracing
test-tracing: $(B)/loupe.iso
	$(Q)scripts/test-step.sh tracing $(PYTHON) tests/e2e/tracing.py --iso $(B)/loupe.iso --accel $(ACCEL)

# A short `bench` proves every probe kind runs and counts its hits; it
# asserts nothing about time (`make bench` is the measurement).
TEST_STEPS += bench-quick
.PHONY: test-bench-quick
test-bench-quick: $(B)/loupe.iso
	$(Q)scripts/test-step.sh bench-quick $(PYTHON) tests/e2e/bench.py --quick --iso $(B)/loupe.iso --accel $(ACCEL)

# libFuzzer targets (clang): `make fuzz`, and a short run as a test step.
include tests/fuzz/build.mk

# Dynamic probe events typed on the console (the f: scenarios need fprobe).
TEST_STEPS += probe-events
.PHONY: test-probe-events
test-probe-events: $(B)/loupe.iso
	$(Q)scripts/test-step.sh probe-events $(PYTHON) tests/e2e/probe_events.py --iso $(B)/loupe.iso --accel $(ACCEL)

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
