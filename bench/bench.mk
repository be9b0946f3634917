# bench.mk: `make bench` and its parts; figures are printed, never asserted.
.PHONY: bench bench-apiserver
## bench        every benchmark (apiserver, scheduler, node when built)
bench: bench-apiserver $(if $(wildcard reference/scheduler/bench/bench_scheduler.c),bench-scheduler)

## bench-apiserver  GET/create throughput and latency vs nginx and raw etcd
bench-apiserver: deps
	@$(MAKE) --no-print-directory $(BUILD)/bin/apiserver
	@bash bench/bench_apiserver.sh $(BUILD)/bin/apiserver

## bench-scheduler  SchedulingBasic-style pods/s at 500 and 5000 simulated nodes
.PHONY: bench-scheduler
$(BUILD)/bin/bench-scheduler: reference/scheduler/bench/bench_scheduler.c $(BUILD)/lib/component-scheduler.a $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)
bench-scheduler: deps
	@$(MAKE) --no-print-directory $(BUILD)/bin/bench-scheduler
	@$(BUILD)/bin/bench-scheduler
