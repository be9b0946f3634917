# ckube: Kubernetes' architecture rebuilt in C. This Makefile is the one entry
# point: deps, all, test, run, conformance, fuzz, coverage, bench, memcheck.
# Layout and build model: every component under reference/ is a static
# library plus a main.c; tests/test_*.c next to code are CUnit executables.

BUILD    ?= build
CC       ?= cc
PKGS     := libmicrohttpd libcurl jansson libfyaml cunit libcrypto
OPT      ?= -O2
SAN      ?=
CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Werror -pthread \
            -Ireference/lib -Ireference -MMD -MP $(SAN) \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
LDFLAGS  += $(SAN)

# Components that exist: each is reference/<name>/ with a main.c.
COMPONENT_NAMES := apiserver scheduler controller-manager cloud-controller-manager dns \
                   kubelet kube-proxy ckube
COMPONENTS := $(foreach c,$(COMPONENT_NAMES),$(if $(wildcard reference/$(c)/main.c),$(c)))

LIB_SRCS := $(shell find reference/lib -name '*.c' -not -path '*/tests/*' 2>/dev/null)
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
LIBCKUBE := $(BUILD)/lib/libckube.a

BINS  :=
TESTS := $(patsubst reference/lib/%.c,$(BUILD)/tests/lib/%,\
           $(shell find reference/lib -path '*/tests/test_*.c' 2>/dev/null))

.PHONY: all deps test unit run conformance clean fuzz fuzz-regress coverage \
        bench bench-apiserver memcheck sanitize help
all: $(LIBCKUBE)

help:
	@sed -n 's/^## //p' Makefile $(wildcard fuzz/fuzz.mk coverage/coverage.mk bench/bench.mk docs/docs.mk)

## deps         install the Debian packages ckube needs (only the missing ones)
deps:
	@bash ci/deps.sh

V ?= 0
Q := $(if $(filter 1,$(V)),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(LIBCKUBE): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/lib/%: reference/lib/%.c $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBCKUBE) $(LDFLAGS) $(LDLIBS)

# One library + one binary per component; its tests link the library.
define component
$(1)_SRCS := $$(shell find reference/$(1) -name '*.c' -not -path '*/tests/*' -not -path '*/bench/*' -not -name main.c)
$(1)_OBJS := $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRCS))
$(BUILD)/lib/component-$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
$(BUILD)/bin/$(1): $(BUILD)/obj/reference/$(1)/main.o $(BUILD)/lib/component-$(1).a $(LIBCKUBE)
	@mkdir -p $$(@D)
	$$(CC) -o $$@ $$^ $$(LDFLAGS) $$(LDLIBS)
$(BUILD)/tests/$(1)/%: reference/$(1)/tests/%.c $(BUILD)/lib/component-$(1).a $(LIBCKUBE)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $$< $(BUILD)/lib/component-$(1).a $(LIBCKUBE) $$(LDFLAGS) $$(LDLIBS)
BINS  += $(BUILD)/bin/$(1)
TESTS += $$(patsubst reference/$(1)/tests/%.c,$(BUILD)/tests/$(1)/%,$$(wildcard reference/$(1)/tests/test_*.c))
endef
$(foreach c,$(COMPONENTS),$(eval $(call component,$(c))))

# An empty object keeps `ar` happy for components whose code is all in main.c.
$(BUILD)/obj/empty.o:
	@mkdir -p $(@D)
	@echo 'typedef int ck_empty_unit;' | $(CC) -x c -c -o $@ -

# The conformance harness is its own program and shares no code with reference/.
HARNESS_SRCS := $(shell find conformance -name '*.c' -not -path '*/tests/*' 2>/dev/null)
HARNESS_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(HARNESS_SRCS))
HARNESS      := $(if $(HARNESS_SRCS),$(BUILD)/bin/ckube-conformance)
$(BUILD)/bin/ckube-conformance: $(HARNESS_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDFLAGS) $(LDLIBS)

# The harness's self-test links every harness object but main.o; it reads
# conformance/k8s-conformance.yaml, a copy of shared/reference's upstream list
# (CKC_CONFORMANCE_YAML overrides).
HARNESS_LIBOBJS := $(filter-out $(BUILD)/obj/conformance/main.o,$(HARNESS_OBJS))
HARNESS_TESTS := $(patsubst conformance/tests/%.c,$(BUILD)/tests/conformance/%,$(wildcard conformance/tests/test_*.c))
$(BUILD)/tests/conformance/%: conformance/tests/%.c $(HARNESS_LIBOBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iconformance -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS)
TESTS += $(if $(HARNESS),$(HARNESS_TESTS))

# agnhost: ckube's build of the e2e image registry.k8s.io/e2e-test-images/agnhost
# (reference/images/agnhost; cri/image.c puts it in the `agnhost` image). Linked
# -static so it runs in a rootfs without libraries, hence never with ASan;
# porter's HTTPS links Debian's libssl.a/libcrypto.a.
AGNHOST_SRCS := $(filter-out %/main.c,$(wildcard reference/images/agnhost/*.c))
AGNHOST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(AGNHOST_SRCS))
$(AGNHOST_OBJS) $(BUILD)/obj/reference/images/agnhost/main.o $(BUILD)/bin/agnhost: \
  override SAN := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(SAN))
$(BUILD)/bin/agnhost: $(BUILD)/obj/reference/images/agnhost/main.o $(AGNHOST_OBJS)
	@mkdir -p $(@D)
	$(CC) -static -o $@ $^ $(LDFLAGS) -ljansson -lnghttp2 -lssl -lcrypto -pthread
$(BUILD)/tests/images/agnhost/%: reference/images/agnhost/tests/%.c $(AGNHOST_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS) -lnghttp2 -lssl
BINS  += $(if $(AGNHOST_SRCS),$(BUILD)/bin/agnhost)
TESTS += $(patsubst reference/images/agnhost/tests/%.c,$(BUILD)/tests/images/agnhost/%,\
           $(wildcard reference/images/agnhost/tests/test_*.c))

all: $(BINS) $(HARNESS) $(TESTS)
$(foreach c,$(COMPONENTS),$(eval $(BUILD)/lib/component-$(c).a: $(BUILD)/obj/empty.o))

## test         install what is missing, build, run every unit test and the harness self-test
test: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) bash ci/test.sh $(TESTS)

unit: all
	@bash ci/unit.sh $(TESTS)

## run          a whole ckube cluster in the foreground (Ctrl-C stops it)
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/bin/ckube up --foreground

## conformance  run the conformance harness (against a fresh local cluster unless TARGET=url; PARALLEL=N workers, local default 4)
conformance: deps
	@$(MAKE) --no-print-directory all
	@bash ci/conformance.sh

## memcheck     unit tests, and an apiserver serving a harness run, under valgrind
memcheck: deps
	@$(MAKE) --no-print-directory all
	@bash ci/memcheck.sh $(BUILD) $(TESTS)

## sanitize     unit tests and the harness self-test on an ASan+UBSan build
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san OPT=-O1 SAN="$(SAN_FLAGS)" unit
	@ASAN_OPTIONS=detect_leaks=1 bash ci/harness_selftest.sh build-san

clean:
	rm -rf $(BUILD) build-san build-cov build-fuzz

# Tooling that owns its own targets (fuzz, coverage, benchmarks, docs).
-include fuzz/fuzz.mk coverage/coverage.mk bench/bench.mk docs/docs.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
