# docs.mk: the docs' own targets, included by the main Makefile.
#   make docs        regenerate the architecture diagram (DOT from the code,
#                    SVG and PNG with graphviz's dot)
#   make docs-check  run the commands the docs quote against a fresh cluster
#   make trace       the create-pod flow on a fresh cluster, traced
#   make trace-doc   the same, written into docs/create-pod-flow.md

.PHONY: docs docs-check trace trace-doc

DOCS_ARCH := docs/architecture
DOCS_BINS := $(BUILD)/bin/ckube $(BUILD)/bin/ckube-trace \
             $(foreach c,apiserver controller-manager scheduler cloud-controller-manager kubelet kube-proxy,\
               $(if $(filter $(c),$(COMPONENTS)),$(BUILD)/bin/$(c)))

# `ckube trace` as its own binary, for trees whose ckube main.c does not yet
# dispatch `trace` (the scripts use `ckube trace` when it does).
$(BUILD)/bin/ckube-trace: docs/tools/ckube_trace.c $(BUILD)/lib/component-ckube.a $(LIBCKUBE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/lib/component-ckube.a $(LIBCKUBE) $(LDFLAGS) $(LDLIBS)

## docs         regenerate docs/architecture/ckube.{dot,svg,png} from the code
docs:
	@mkdir -p $(DOCS_ARCH)
	bash docs/tools/archgraph.sh > $(DOCS_ARCH)/ckube.dot
	dot -Tsvg $(DOCS_ARCH)/ckube.dot -o $(DOCS_ARCH)/ckube.svg
	dot -Tpng -Gdpi=96 $(DOCS_ARCH)/ckube.dot -o $(DOCS_ARCH)/ckube.png

## docs-check   run the docs' <!-- docs-check --> command blocks against a fresh cluster
docs-check: $(DOCS_BINS)
	@bash docs/tools/docs-check.sh $(BUILD)/bin

## trace        create a pod on a fresh cluster and `ckube trace` it
trace: $(DOCS_BINS)
	@bash docs/tools/trace-scenario.sh $(BUILD)/bin

trace-doc: $(DOCS_BINS)
	@bash docs/tools/trace-scenario.sh $(BUILD)/bin --update docs/create-pod-flow.md
