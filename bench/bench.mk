# bench.mk: `make bench` and its parts; figures are printed, never asserted.
.PHONY: bench bench-apiserver
## bench        every benchmark (apiserver, scheduler, node when built)
bench: bench-apiserver bench-scheduler bench-node

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

## bench-node   pod start-up p50/p99 for 100 pods on 2 nodes, memory of each component
.PHONY: bench-node
$(BUILD)/bin/bench-node: bench/bench_node.c $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $(filter %.c %.a,$^) $(LDFLAGS) $(LDLIBS)
bench-node: deps
	@$(MAKE) --no-print-directory all $(BUILD)/bin/bench-node
	@d=$$(mktemp -d) && trap '$(BUILD)/bin/ckube down --dir $$d/c >/dev/null; rm -rf $$d' EXIT && \
	  $(BUILD)/bin/ckube up --dir $$d/c --nodes 2 >/dev/null && \
	  $(BUILD)/bin/bench-node --kubeconfig $$d/c/kubeconfig --dir $$d/c --pods $${BENCH_PODS:-100}
