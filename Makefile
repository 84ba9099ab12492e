# ffet-flow entry points. The Makefile only names entry points; Python does the work.
# Two commands matter on a fresh machine:  `make run`  (the FFET-vs-CFET main job)
#                                          `make test` (the test suite)
# Both run `make setup` first when the virtualenv is missing or stale.

PY      := .venv/bin/python
FFET    := $(PY) -m ffet_flow
STAMP   := .venv/.ffet-installed
DESIGN  ?= riscv32
TECH    ?= ffet
VARIANT ?=
SET     ?=
JOBS    ?= 2

SET_ARGS     = $(foreach kv,$(SET),--set $(kv))
VARIANT_ARGS = $(if $(VARIANT),--variant $(VARIANT),)
FLOW_ARGS    = --design $(DESIGN) --tech pdk/$(TECH).toml $(SET_ARGS) $(VARIANT_ARGS)

.PHONY: setup run test test-fast lint bench clean pdk cells

setup: $(STAMP)
$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh

run: $(STAMP)
	$(FFET) main-job --design $(DESIGN)

test: $(STAMP)
	bash scripts/check-tools.sh
	$(PY) -m pytest -n $(JOBS) -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not tool and not slow"

lint: $(STAMP)
	$(PY) -m ruff check ffet_flow tests

bench: $(STAMP)
	$(FFET) bench

pdk: $(STAMP)
	$(FFET) pdk --tech pdk/$(TECH).toml $(SET_ARGS) -o build/pdk/$(TECH)

cells: $(STAMP)
	$(FFET) cells --tech pdk/$(TECH).toml $(SET_ARGS) -o build/cells/$(TECH)

clean:
	rm -rf build .pytest_cache
