# SPDX-License-Identifier: MIT
# The x86-64 instruction decoder (arch/x86/insn.c), its opcode tables and
# its checks.
#
# The tables are generated from the readable opcode map by
# scripts/gen-insn-tables.py into $(B)/gen/insn-tables.h, which insn.c
# includes; both the kernel and the host build of insn.c depend on it.
#
#   make test-insn-oracle   decoder vs objdump and capstone on libc and the kernel
#   make test-insn-print-oracle   printer (insn_print.c) vs objdump's text
#   make test-insn-fuzz     2 million random inputs, a few seconds
#   make fuzz-insn N=50000000 [SEED=n]   a longer fuzz run
#   make insn-oracle ELFS="/usr/bin/foo ..."   the oracle on other binaries

INSN_MAP     := arch/x86/insn-opcode-map.txt
INSN_GEN     := scripts/gen-insn-tables.py
INSN_TABLES  := $(B)/gen/insn-tables.h
# The printer's mnemonics and operand forms, from the same map.
INSN_PRINT_TABLES := $(B)/gen/insn-print-tables.h

KERNEL_SRCS += arch/x86/insn.c arch/x86/insn_print.c arch/x86/insn_operands.c
HOST_SRCS += arch/x86/insn.c arch/x86/insn_print.c arch/x86/insn_operands.c
# ftrace and text_poke_bp() decode the very sites they patch, and the int3
# path may decode too: the decoder must not have fentry sites of its own.
# The printer runs in the exception report: no fentry sites either.
NOTRACE_SRCS += arch/x86/insn.c arch/x86/insn_print.c arch/x86/insn_operands.c

# One rule makes both headers (a grouped target).
$(INSN_TABLES) $(INSN_PRINT_TABLES) &: $(INSN_MAP) $(INSN_GEN)
	@mkdir -p $(dir $@)
	@echo "  GEN     $(INSN_TABLES) $(INSN_PRINT_TABLES)"
	$(Q)$(PYTHON) $(INSN_GEN) $(INSN_MAP) $(INSN_TABLES) $(INSN_PRINT_TABLES)

$(B)/k/arch/x86/insn.o $(B)/host/arch/x86/insn.o: $(INSN_TABLES) arch/x86/insn.mk
$(B)/k/arch/x86/insn_print.o $(B)/host/arch/x86/insn_print.o: $(INSN_PRINT_TABLES) arch/x86/insn.mk
$(B)/k/arch/x86/insn.o $(B)/k/arch/x86/insn_print.o: KCFLAGS += -I$(B)/gen
$(B)/host/arch/x86/insn.o $(B)/host/arch/x86/insn_print.o: HOSTCFLAGS += -I$(B)/gen

# ---------------------------------------------------------------- host tools

# Both check the host build of insn.c against capstone (libcapstone-dev).
INSN_TOOL_LIBS := -lcapstone

$(B)/tools/insn-oracle: tools/insn-oracle/oracle.c $(B)/host/arch/x86/insn.o Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -o $@ $< $(B)/host/arch/x86/insn.o $(INSN_TOOL_LIBS)

$(B)/tools/insn-fuzz: tools/insn-oracle/fuzz.c $(B)/host/arch/x86/insn.o Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -o $@ $< $(B)/host/arch/x86/insn.o $(INSN_TOOL_LIBS)

# The printer against objdump's text (no capstone needed).
$(B)/tools/insn-print-oracle: tools/insn-oracle/print-oracle.c $(B)/host/arch/x86/insn.o \
		$(B)/host/arch/x86/insn_print.o $(B)/host/arch/x86/insn_operands.o $(B)/host/lib/printf.o $(B)/host/lib/string.o Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -MMD -MP -o $@ $< $(filter %.o,$^)

# ---------------------------------------------------------------- tests

# libc carries AVX-512/EVEX code; the kernel is what kprobes will decode.
INSN_ORACLE_ELFS := /lib/x86_64-linux-gnu/libc.so.6 $(B)/kernel.elf
INSN_FUZZ_CASES := 2000000

TEST_STEPS += insn-oracle insn-print-oracle insn-fuzz
.PHONY: test-insn-oracle test-insn-print-oracle test-insn-fuzz fuzz-insn insn-oracle

test-insn-oracle: $(B)/tools/insn-oracle $(B)/kernel.elf
	$(Q)scripts/test-step.sh insn-oracle $(B)/tools/insn-oracle $(INSN_ORACLE_ELFS)

# The printer: every line of the kernel as objdump prints it, symbols too;
# libc for the instruction classes the printer knows (the kernel's).
test-insn-print-oracle: $(B)/tools/insn-print-oracle $(B)/kernel.elf
	$(Q)scripts/test-step.sh insn-print-oracle $(B)/tools/insn-print-oracle \
		--full $(B)/kernel.elf $(filter-out $(B)/kernel.elf,$(INSN_ORACLE_ELFS))

test-insn-fuzz: $(B)/tools/insn-fuzz
	$(Q)scripts/test-step.sh insn-fuzz $(B)/tools/insn-fuzz -n $(INSN_FUZZ_CASES)

N ?= 50000000
fuzz-insn: $(B)/tools/insn-fuzz
	$(B)/tools/insn-fuzz -n $(N) $(if $(SEED),-s $(SEED))

ELFS ?= $(INSN_ORACLE_ELFS)
insn-oracle: $(B)/tools/insn-oracle
	$(B)/tools/insn-oracle $(ELFS)
