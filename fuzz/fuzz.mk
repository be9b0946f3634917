# fuzz.mk: libFuzzer campaigns and their regression replay (included by the
# main Makefile). `make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="fuzz_object ..."]`
# builds every fuzz/fuzz_*.c with clang into build-fuzz/ and runs each;
# `make fuzz-regress` replays corpora and past crashes through gcc builds
# linked with fuzz/driver.c (no clang needed). See docs/fuzzing.md.

FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_ALL     := $(sort $(basename $(notdir $(wildcard fuzz/fuzz_*.c))))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g -std=gnu11 -Wall -Wno-unused-parameter -pthread -Ireference/lib -Ireference \
                -Ifuzz $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(FUZZ_SAN)
FUZZ_APISRCS := $(if $(filter apiserver,$(COMPONENTS)),$(apiserver_SRCS))
FUZZ_OBJS    := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRCS))
FUZZ_APIOBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_APISRCS))
FUZZ_LIB     := $(FUZZ_BUILD)/lib/libckube-fuzz.a
# Separate archives, apiserver first, as the main build links them: the two
# define some same-named functions (see docs/fuzzing.md).
FUZZ_APILIBF := $(if $(FUZZ_APISRCS),$(FUZZ_BUILD)/lib/libapiserver-fuzz.a)
FUZZ_BINS    := $(addprefix $(FUZZ_BUILD)/,$(FUZZ_ALL))
FUZZ_SEEDS   := $(wildcard fixtures/valid/*.yaml fixtures/invalid/*.yaml)

# ---- clang + libFuzzer build ----------------------------------------------
# Library code is built with -fsanitize=fuzzer-no-link (coverage feedback,
# no main); only the targets link libFuzzer's main.
$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^
$(FUZZ_BUILD)/lib/libapiserver-fuzz.a: $(FUZZ_APIOBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_request.h $(FUZZ_APILIBF) $(FUZZ_LIB)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_APILIBF) $(FUZZ_LIB) $(LDLIBS)

# Host tools (gcc, plain libckube): dictionary and seed generators.
$(BUILD)/fuzz/gen_dict: fuzz/gen_dict.c $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCKUBE) $(LDFLAGS) $(LDLIBS)
$(BUILD)/fuzz/gen_seeds: fuzz/gen_seeds.c $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCKUBE) $(LDFLAGS) $(LDLIBS)

# One dictionary per target, regenerated when the kinds table changes.
fuzz/dict/%.dict: $(BUILD)/fuzz/gen_dict
	@mkdir -p $(@D)
	@$(BUILD)/fuzz/gen_dict $* > $@.tmp && mv $@.tmp $@

.PHONY: fuzz-build fuzz-dicts fuzz-seeds
fuzz-dicts: $(addprefix fuzz/dict/,$(addsuffix .dict,$(FUZZ_ALL)))
fuzz-seeds: $(BUILD)/fuzz/gen_seeds
	@$(BUILD)/fuzz/gen_seeds fuzz/corpus $(FUZZ_SEEDS)
fuzz-build: $(FUZZ_BINS) fuzz-dicts

## fuzz         libFuzzer campaigns, FUZZ_SECONDS (60) per target; crashes land in fuzz/crashes/<target>/
fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: needs clang (apt-get install clang)"; exit 1; }
	@$(MAKE) --no-print-directory fuzz-build fuzz-seeds
	@FUZZ_FLAGS="$(FUZZ_FLAGS)" bash fuzz/campaign.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- gcc replay (part of `make test`) -------------------------------------
FUZZ_REGRESS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_ALL))
FUZZ_APILIB  := $(if $(filter apiserver,$(COMPONENTS)),$(BUILD)/lib/component-apiserver.a)

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/driver.c fuzz/fuzz_request.h $(FUZZ_APILIB) $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ifuzz -o $@ $< fuzz/driver.c $(FUZZ_APILIB) $(LIBCKUBE) $(LDFLAGS) $(LDLIBS)

## fuzz-regress replay every corpus file and past crash through plain gcc builds of the targets
fuzz-regress: $(FUZZ_REGRESS)
	@fail=0; for t in $(FUZZ_ALL); do \
	  $(BUILD)/fuzz/$$t fuzz/corpus/$$t fuzz/regressions/$$t fuzz/crashes/$$t || \
	    { echo "fuzz-regress: $$t crashed (rerun with CK_FUZZ_VERBOSE=1 to see the input)"; fail=1; }; \
	done; exit $$fail

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
