# coverage.mk: code coverage and API coverage (included by the main Makefile).
# `make coverage` builds with --coverage into build-cov/, runs the unit tests
# and the conformance harness against a memory-backed apiserver, then lcov +
# genhtml into coverage/html/ and a per-component table in coverage/summary.md.
# `make api-coverage TARGET=url` maps reports/requests.log onto the target's
# discovery. See docs/coverage.md.

COV_BUILD     := build-cov
COV_INFO      := $(COV_BUILD)/coverage.info
# Whole-project minimums (line %, branch %): what the suite reached when these
# were set, minus a little. Raise them as tests are added.
COV_MIN_LINES    ?= 75
COV_MIN_BRANCHES ?= 55
COV_LCOV      := lcov --quiet --rc lcov_branch_coverage=1
COV_TESTS      = $(patsubst $(BUILD)/%,$(COV_BUILD)/%,$(TESTS))
APICOV        := $(BUILD)/coverage/apicov
REQUEST_LOG   ?= reports/requests.log

.PHONY: coverage coverage-build api-coverage

coverage-build:
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) OPT=-O0 SAN=--coverage all

## coverage     gcov/lcov HTML (coverage/html/) and per-component summary (coverage/summary.md)
coverage: deps
	@command -v lcov >/dev/null && command -v genhtml >/dev/null || { echo "coverage: needs lcov (apt-get install lcov)"; exit 1; }
	@$(MAKE) --no-print-directory coverage-build
	@find $(COV_BUILD) -name '*.gcda' -delete
	@# zero baseline, so files no test runs count as 0% instead of vanishing
	@$(COV_LCOV) --capture --initial --directory $(COV_BUILD) --base-directory . \
	  --output-file $(COV_INFO).base 2>$(COV_BUILD)/lcov.log >/dev/null
	@bash ci/unit.sh $(COV_TESTS) || echo "coverage: some unit tests failed (coverage still reported)"
	@bash coverage/conformance.sh $(COV_BUILD) $(COV_BUILD)/requests.log
	@$(COV_LCOV) --capture --directory $(COV_BUILD) --base-directory . \
	  --output-file $(COV_INFO).run 2>>$(COV_BUILD)/lcov.log >/dev/null
	@$(COV_LCOV) -a $(COV_INFO).base -a $(COV_INFO).run --output-file $(COV_INFO).raw 2>>$(COV_BUILD)/lcov.log >/dev/null
	@$(COV_LCOV) --remove $(COV_INFO).raw '/usr/*' '*/tests/*' --output-file $(COV_INFO) 2>>$(COV_BUILD)/lcov.log >/dev/null
	@rm -rf coverage/html
	@genhtml --quiet --branch-coverage --legend --title ckube --output-directory coverage/html $(COV_INFO) 2>>$(COV_BUILD)/lcov.log >/dev/null
	@echo "coverage: HTML in coverage/html/index.html"
	@bash coverage/summary.sh $(COV_INFO) coverage/summary.md $(COV_MIN_LINES) $(COV_MIN_BRANCHES)

$(APICOV): coverage/apicov.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS)

## api-coverage which endpoints x verbs a harness run exercised on TARGET=url (reads reports/requests.log)
api-coverage: $(APICOV)
	@[ -n "$(TARGET)" ] || { echo "api-coverage: give TARGET=https://host:port (the server the harness ran against)"; exit 2; }
	@mkdir -p reports
	@$(APICOV) --server "$(TARGET)" --log $(REQUEST_LOG) --md reports/api-coverage.md --json reports/api-coverage.json \
	  $(if $(TOKEN),--token "$(TOKEN)") $(if $(filter 1 true yes,$(INSECURE)),--insecure)
