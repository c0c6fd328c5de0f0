# SPDX-License-Identifier: MIT
# arch/x86/: everything that knows it runs on x86-64.
ARCH_SRCS := \
	arch/x86/entry.S \
	arch/x86/ftrace_64.S \
	arch/x86/setup.c \
	arch/x86/desc.c \
	arch/x86/traps.c \
	arch/x86/extable.c \
	arch/x86/nofault.c \
	arch/x86/dumpstack.c \
	arch/x86/serial.c \
	arch/x86/apic.c \
	arch/x86/smpboot.c \
	arch/x86/trampoline.S \
	arch/x86/tsc.c \
	arch/x86/power.c \
	arch/x86/switch.S \
	arch/x86/process.c \
	arch/x86/mm/paging.c \
	arch/x86/mm/vmap.c \
	arch/x86/text_patch.c \
	arch/x86/text_gen.c \
	arch/x86/dis.c \
	arch/x86/ftrace.c \
	arch/x86/kprobes/core.c \
	arch/x86/kprobes/opt.c \
	arch/x86/kprobes/recover.c \
	arch/x86/kprobes/describe.c \
	arch/x86/kprobes/opt_64.S \
	arch/x86/rethook_64.S \
	arch/x86/rethook_test_entry.c \
	arch/x86/rethook_test_entry_64.S

KERNEL_SRCS += $(ARCH_SRCS)
# The encoder knows no kernel state: the host tests run it as it is.
HOST_SRCS += arch/x86/text_gen.c
# Entry, trap and early-boot code runs where tracing cannot: never traced.
NOTRACE_SRCS += $(ARCH_SRCS)

# Code on the int3 / debug-exception path: its .text goes into .kprobes.text
# (objcopy after compiling), a range kprobes refuses to probe. Cold/hot
# function splitting is off for these files so .text is their only code.
KPROBES_TEXT_SRCS += arch/x86/traps.c arch/x86/kprobes/core.c arch/x86/kprobes/opt.c arch/x86/insn.c \
	arch/x86/text_patch.c arch/x86/text_gen.c arch/x86/extable.c
