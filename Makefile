# SPDX-License-Identifier: MIT
#
# Loupe's one Makefile: kernel, ISO, host tools and tests, run/debug/test.
# Per-directory source lists live in */build.mk fragments included below;
# there is no recursive make. Objects go to build/, each with a dependency
# file (-MMD -MP).
#
#   make            build/kernel.elf and build/loupe.iso
#   make run        boot the ISO in QEMU, serial console on this terminal
#   make debug      the same, QEMU waiting for gdb on :1234
#   make test       every test; ends with "N passed, M failed"
#   make clean
#
# Knobs: CROSS_COMPILE=x86_64-elf-   ACCEL=tcg|kvm   SMP=2   MEM=256M
#        CMDLINE="loglevel=7 selftest"   V=1 (show commands)

CROSS_COMPILE ?=
CC      := $(CROSS_COMPILE)gcc
LD      := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
NM      := $(CROSS_COMPILE)nm
HOSTCC  ?= gcc
PYTHON  := /usr/bin/python3

ACCEL   ?= tcg
SMP     ?= 2
MEM     ?= 256M
CMDLINE ?=

# ICOUNT=1: QEMU counts instructions (-icount shift=0,sleep=off: every guest
# instruction advances the clock by one ns, the same from run to run), and
# the kernel is told so (bench_unit=insn), so that `bench` reports
# instructions. For make run/bench, and make bench-linux's QEMU too.
ICOUNT ?=
QEMU_ICOUNT :=
ifeq ($(ICOUNT),1)
QEMU_ICOUNT := -icount shift=0,sleep=off
override CMDLINE := $(strip $(CMDLINE) bench_unit=insn)
endif

B := build

# SMP: how many CPUs QEMU gives the kernel, 1 to NR_CPUS (kernel/smp.h).
# Checked here so a bad value is a message, not a kernel that boots short.
NR_CPUS := $(shell awk '/^.define NR_CPUS/ { print $$3 }' kernel/smp.h)
ifneq ($(words $(SMP)),1)
$(error SMP='$(SMP)': give one number of CPUs, 1 to $(NR_CPUS))
endif
ifeq ($(filter $(SMP),$(shell seq 1 $(NR_CPUS))),)
$(error SMP=$(SMP): Loupe boots 1 to $(NR_CPUS) CPUs (NR_CPUS in kernel/smp.h), e.g. make run SMP=2)
endif
# The e2e scripts boot with this many CPUs (tests/e2e/loupe.py).
export LOUPE_SMP := $(SMP)

.DEFAULT_GOAL := all

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---------------------------------------------------------------- flags

# Freestanding, kernel code model, no FPU/SIMD state, frame pointers for the
# unwinder, and nothing the compiler would add behind our back.
KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	-ffreestanding -fno-builtin-printf -nostdlib -nostdinc \
	-mno-red-zone -mcmodel=kernel -fno-pic -fno-pie \
	-mno-mmx -mno-sse -mno-sse2 -mno-80387 -mgeneral-regs-only \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
	-fno-strict-aliasing -fno-common -fno-jump-tables \
	-I. -Iarch/x86/include -isystem $(shell $(CC) -print-file-name=include)
KASFLAGS := -D__ASSEMBLY__ -I. -Iarch/x86/include -g
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# gcc puts `call __fentry__` first in every function and records each site
# in __mcount_loc. Objects that must not be traced (entry code, early boot,
# the tracing machinery itself) are built without these flags; see the
# per-directory NOTRACE lists.
FTRACE_FLAGS := -pg -mfentry -mrecord-mcount

# Host objects see tests/host/shim/ first: its headers stand in for the
# kernel services generic code calls (tests/host/README).
HOSTCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Itests/host/shim -I. -Iarch/x86/include -DLOUPE_HOST

# ---------------------------------------------------------------- sources

# Each fragment appends to:
#   KERNEL_SRCS   .c/.S files linked into the kernel
#   NOTRACE_SRCS  kernel sources built without FTRACE_FLAGS
#   HOST_SRCS     generic sources also compiled for the host unit tests
#   HOST_TESTS    Criterion test files (tests/host/*.c)
#   TEST_STEPS    names of `make test` steps; each has a target test-NAME
#                 that writes $(B)/results/NAME (see scripts/test-step.sh)
KERNEL_SRCS :=
NOTRACE_SRCS :=
KPROBES_TEXT_SRCS :=
HOST_SRCS :=
HOST_TESTS :=
TEST_STEPS :=

# Every object is rebuilt when any build fragment changes (its flags may have).
BUILD_FRAGMENTS := Makefile $(wildcard */build.mk */*/build.mk */*/*.mk arch/x86/insn.mk)

include boot/build.mk
include arch/x86/build.mk
-include arch/x86/insn.mk
include kernel/build.mk
-include kernel/mm/build.mk
include kernel/workloads/build.mk
include trace/build.mk
include lib/build.mk
include tests/kernel/build.mk
include tests/build.mk

# ---------------------------------------------------------------- kernel

KOBJS := $(patsubst %.c,$(B)/k/%.o,$(filter %.c,$(KERNEL_SRCS))) \
	 $(patsubst %.S,$(B)/k/%.o,$(filter %.S,$(KERNEL_SRCS)))

.PHONY: all
all: $(B)/kernel.elf $(B)/loupe.iso

tracing_flags = $(if $(filter $(1),$(NOTRACE_SRCS)),,$(FTRACE_FLAGS))
# Nor are their loops aligned: the padding before a loop is NOPs that run
# each time the loop is entered from above, instructions on every probe
# hit (under -icount they are counted like any other).
kprobes_text_flags = $(if $(filter $(1),$(KPROBES_TEXT_SRCS)),-fno-reorder-blocks-and-partition -fno-reorder-functions \
	-falign-loops=1)
# Files on the int3/debug path move whole into .kprobes.text (blacklisted).
kprobes_text_move = $(if $(filter $(1),$(KPROBES_TEXT_SRCS)),$(OBJCOPY) --rename-section .text=.kprobes.text $(2))

$(B)/k/%.o: %.c $(BUILD_FRAGMENTS)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) $(call tracing_flags,$<) $(call kprobes_text_flags,$<) -MMD -MP -c $< -o $@
	$(Q)$(call kprobes_text_move,$<,$@)

$(B)/k/%.o: %.S $(BUILD_FRAGMENTS)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -MMD -MP -c $< -o $@

# The kernel carries its own symbol table (kallsyms). It is linked in
# passes: first with an empty table, then with a table generated from the
# previous link's symbols, until the table's size stops changing the
# layout. scripts/link-kernel.sh does the passes and writes kernel.asm and
# kernel.sym beside the ELF for students to read.
$(B)/kernel.elf: $(KOBJS) linker.ld scripts/link-kernel.sh scripts/kallsyms.py
	@echo "  LD      $@"
	$(Q)LD="$(LD)" NM="$(NM)" OBJDUMP="$(OBJDUMP)" CC="$(CC)" \
		KASFLAGS="$(KASFLAGS)" PYTHON="$(PYTHON)" \
		scripts/link-kernel.sh $@ "$(KLDFLAGS)" $(KOBJS)

# The ISO is remade when the kernel or the command line changes.
$(B)/cmdline.txt: FORCE
	@mkdir -p $(B)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@

$(B)/loupe.iso: $(B)/kernel.elf iso/grub.cfg scripts/mkiso.sh $(B)/cmdline.txt
	@echo "  ISO     $@"
	$(Q)scripts/mkiso.sh $@ $(B)/kernel.elf iso/grub.cfg "$(CMDLINE)"

.PHONY: FORCE
FORCE:

# ---------------------------------------------------------------- host

HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(filter %.c,$(HOST_SRCS)))
HOST_TEST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(HOST_TESTS))

$(B)/host/%.o: %.c $(BUILD_FRAGMENTS)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -c $< -o $@

$(B)/tests/unit-tests: $(HOST_OBJS) $(HOST_TEST_OBJS)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) -o $@ $^ -lcriterion -lpthread

# ---------------------------------------------------------------- run

# The serial line is this terminal. Ctrl-C goes to Loupe (signal=off);
# Ctrl-A X quits QEMU, Ctrl-A C switches to QEMU's monitor.
QEMU_ARGS = -accel $(ACCEL) -cpu max -smp $(SMP) -m $(MEM) \
	-display none -no-reboot \
	-chardev stdio,id=con,mux=on,signal=off -serial chardev:con -mon chardev=con \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-boot d -cdrom $(B)/loupe.iso $(QEMU_ICOUNT)

.PHONY: deps run debug
deps:
	$(Q)scripts/deps.sh all

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/qemu.sh $(QEMU_ARGS)

debug: deps
	$(Q)$(MAKE) --no-print-directory all
	@echo "QEMU is waiting for gdb. In another terminal:"
	@echo "  gdb -ex 'target remote :1234' -ex 'symbol-file $(CURDIR)/$(B)/kernel.elf'"
	$(Q)scripts/qemu.sh $(QEMU_ARGS) -S -gdb tcp::1234

# ---------------------------------------------------------------- test

# Every step runs even when an earlier one fails; the summary adds up what
# each step recorded and fails if anything failed or recorded nothing.
.PHONY: test
test: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)rm -rf $(B)/results; mkdir -p $(B)/results
	$(Q)for s in $(TEST_STEPS); do \
		$(MAKE) --no-print-directory test-$$s || true; \
	done
	$(Q)scripts/test-summary.sh $(B)/results $(TEST_STEPS)

.PHONY: bench bench-linux
# The probe benchmark: boots the ISO, runs `bench`, prints, powers off.
# Never part of `make test` (timings are not tests on these machines).
# With more than one CPU (SMP=2, the default) it also runs `bench --cpus`:
# each kind on 1 CPU, then on every CPU at once (BENCH_CPUS= turns it off).
BENCH_CPUS ?= $(if $(filter 1,$(SMP)),,--cpus)
bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tests/e2e/bench.py --iso $(B)/loupe.iso --accel $(ACCEL) \
		--qemu-extra "$(QEMU_ICOUNT)" $(BENCH_CPUS) $(KINDS)

# Linux's own probes timed under the same QEMU, for comparison (about
# 5 minutes; downloads Debian's kernel packages). Compare in one sitting:
# the machine's speed drifts.
#   make bench-linux          run.sh's table: 6.1 and 6.12, one CPU
#   make bench-linux SMP=2    Linux's side of `bench --cpus` instead: 6.12
#                             at 2 CPUs, each tracefs probe mode hit from
#                             1 CPU, then from every CPU at once
#                             (scripts/linux-bench-cpus.sh, a few minutes)
# run.sh's downloads go to build/linux-probes-cache (../shared is
# read-only here), or to CACHE= when given.
# Only an SMP given on make's command line (or BENCH_LINUX_SMP=N) picks
# the N-CPU mode: the default SMP=2 above does not, so a plain
# `make bench-linux` stays run.sh's one-CPU table (bench-table needs it).
# LOUPE=FILE puts the BENCH_SMP lines of a `make bench SMP=N` output
# beside Linux's rows.
BENCH_LINUX_SMP ?= $(if $(filter command line,$(origin SMP)),$(SMP),1)
bench-linux:
	$(Q)scripts/deps.sh bench-linux
ifeq ($(BENCH_LINUX_SMP),1)
	$(Q)mkdir -p $(B)/linux-probes-cache
	$(Q)CACHE=$${CACHE:-$(abspath $(B))/linux-probes-cache} QEMU_EXTRA="$(QEMU_ICOUNT)" \
		bash ../shared/anchors/linux-probes/run.sh
else
	$(Q)SMP=$(BENCH_LINUX_SMP) QEMU_EXTRA="$(QEMU_ICOUNT)" scripts/linux-bench-cpus.sh
endif

# BENCH.md: instructions and traps per hit of every kind, Loupe beside
# Linux 6.12, both under -icount (ICOUNT=1 above), with the date and the
# commit. Deterministic, so the machine's load does not matter; it takes
# a few minutes. The outputs it read stay in build/bench-table/.
.PHONY: bench-table
bench-table:
	$(Q)mkdir -p $(B)/bench-table
	$(Q)git describe --always --dirty > $(B)/bench-table/commit.txt	# what is measured
	@echo "bench-table: Loupe (make bench ICOUNT=1) ..."
	$(Q)$(MAKE) --no-print-directory bench ICOUNT=1 KINDS= BENCH_CPUS= > $(B)/bench-table/loupe.txt 2>&1 \
		|| { cat $(B)/bench-table/loupe.txt; exit 1; }
	@echo "bench-table: Linux 6.12 (make bench-linux ICOUNT=1) ..."
	$(Q)KERNEL_PKGS=linux-image-6.12-cloud-amd64 CACHE=$(abspath $(B))/bench-table/linux-cache \
		$(MAKE) --no-print-directory bench-linux ICOUNT=1 BENCH_LINUX_SMP=1 > $(B)/bench-table/linux.txt \
		2> $(B)/bench-table/linux.err || { cat $(B)/bench-table/linux.err; exit 1; }
	$(Q)scripts/bench-table.py $(B)/bench-table/loupe.txt $(B)/bench-table/linux.txt \
		"$$(cat $(B)/bench-table/commit.txt)" > BENCH.md
	@echo "bench-table: wrote BENCH.md"

.PHONY: clean
clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
