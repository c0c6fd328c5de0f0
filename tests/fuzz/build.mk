# SPDX-License-Identifier: MIT
# tests/fuzz/: libFuzzer targets for the generic parsers, built with clang.
#
#   make fuzz             fuzz the probe-event parser for FUZZ_TIME seconds
#   make test-fuzz-quick  the same for 45 s, as a step of `make test`
#
# The seed corpus is tests/fuzz/corpus/probe (one command a file); what the
# fuzzer finds goes to $(B)/fuzz/corpus, never into the source tree.

FUZZ_CC    ?= clang
FUZZ_TIME  ?= 600
FUZZ_FLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Itests/host/shim -I. -Iarch/x86/include -DLOUPE_HOST \
	-Wall -Wextra -Wno-unused-parameter
FUZZ_SRCS  := tests/fuzz/fuzz_probe.c tests/host/kallsyms_host.c trace/probe_parse.c trace/probe_parse_arg.c trace/probe_fetch.c \
	trace/probe_format.c $(LIB_SRCS)

$(B)/fuzz/fuzz_probe: $(FUZZ_SRCS) $(wildcard trace/probe*.h tests/host/probe_host_env.h) $(BUILD_FRAGMENTS)
	@mkdir -p $(dir $@) $(B)/fuzz/corpus
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fno-builtin $(FUZZ_SRCS) -o $@

FUZZ_RUN = $(B)/fuzz/fuzz_probe $(B)/fuzz/corpus tests/fuzz/corpus/probe \
	-dict=tests/fuzz/probe.dict -max_len=512 -artifact_prefix=$(B)/fuzz/ -print_final_stats=1

.PHONY: fuzz test-fuzz-quick
fuzz: $(B)/fuzz/fuzz_probe
	$(Q)$(FUZZ_RUN) -max_total_time=$(FUZZ_TIME)

# The event-filter language (trace/event_filter*.c): make fuzz-filter.
FUZZ_FILTER_SRCS := tests/fuzz/fuzz_filter.c trace/event_filter_parse.c trace/event_filter.c $(LIB_SRCS)

$(B)/fuzz/fuzz_filter: $(FUZZ_FILTER_SRCS) trace/event_filter.h $(BUILD_FRAGMENTS)
	@mkdir -p $(dir $@) $(B)/fuzz/corpus-filter
	@echo "  FUZZCC  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -fno-builtin $(FUZZ_FILTER_SRCS) -o $@

.PHONY: fuzz-filter
fuzz-filter: $(B)/fuzz/fuzz_filter
	$(Q)$(B)/fuzz/fuzz_filter $(B)/fuzz/corpus-filter -max_len=512 -artifact_prefix=$(B)/fuzz/ \
		-print_final_stats=1 -max_total_time=$(FUZZ_TIME)

TEST_STEPS += fuzz-quick
test-fuzz-quick: $(B)/fuzz/fuzz_probe
	$(Q)scripts/test-step.sh fuzz-quick $(FUZZ_RUN) -max_total_time=45
