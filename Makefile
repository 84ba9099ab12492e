# ffet-flow entry points. The Makefile only names entry points; Python does the work.
# Two commands matter on a fresh machine:  `make run`  (the FFET-vs-CFET main job)
#                                          `make test` (the test suite)
# Both run `make setup` first when the virtualenv is missing or stale.
#
# One flow run:  make flow DESIGN=riscv32 TECH=ffet VARIANT=... SET="layers_back=6 input_pin_density=0.5"
# Per stage:     make synth|floorplan|place|cts|tracks|route|drc|extract|sta (same variables): the
#                flow up to that step. Every stage target (and check, view) always hands over to
#                Python: make keeps no stamps of its own. Staleness is decided by the flow's
#                stamps, build/<design>/<variant>/NN-<step>/done.json, which hash each step's
#                code version, the config values it reads and its inputs' digests; with
#                nothing stale, Python only reads the stamps and hashes the inputs. A make rule
#                on done.json's file time cannot see a code change (a step's `version`),
#                another SET under the same VARIANT, or a new cell library, and would call
#                stale results up to date (docs/flow.md).
# QoR gates:     make check  (brings the run up to date, then designs/<design>/rules.json
#                against the run's metrics.json)
# Build root:    BUILD_DIR=DIR puts the runs under DIR/<design>/<variant>/ (default build/).

PY      := .venv/bin/python
FFET    := $(PY) -m ffet_flow
STAMP   := .venv/.ffet-installed
DESIGN  ?= riscv32
TECH    ?= ffet
VARIANT ?=
SET     ?=
JOBS    ?= 2
BUILD_DIR ?= build

SET_ARGS     = $(foreach kv,$(SET),--set $(kv))
VARIANT_ARGS = $(if $(VARIANT),--variant $(VARIANT),)
FLOW_ARGS    = --design $(DESIGN) --tech pdk/$(TECH).toml $(SET_ARGS) $(VARIANT_ARGS) \
               --build-dir $(BUILD_DIR)

DESIGN_DIR  := designs/$(DESIGN)

# The run directory comes from Python (variant naming lives in ffet_flow/flow.py); it is only
# resolved when a goal needs it, so `make test` and friends never start Python here.
RUN_GOALS := check view
ifneq ($(filter $(RUN_GOALS),$(MAKECMDGOALS)),)
  ifeq ($(wildcard $(PY)),)
    $(error the virtualenv is missing: run `make setup` first)
  endif
  RUN_DIR := $(shell $(FFET) flow $(FLOW_ARGS) --print-run-dir)
  ifeq ($(RUN_DIR),)
    $(error cannot resolve the run directory (see the message above))
  endif
endif
R := $(RUN_DIR)

# Stage targets: the flow up to that step (names from ffet_flow.flow.STEP_NAMES; a unit test
# keeps them in step).
STAGES := synth floorplan place cts tracks route drc extract sta

.PHONY: setup run test test-fast lint bench clean pdk cells view-cells sweep report \
        flow $(STAGES) check view

setup: $(STAMP)
$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh

run: $(STAMP)
	$(FFET) main-job --design $(DESIGN) $(SET_ARGS)

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

# The whole flow: always hands over to Python, whose stamps redo exactly the stale steps.
flow: $(STAMP)
	$(FFET) flow $(FLOW_ARGS)

# Per-stage targets: always Python, whose stamps redo exactly the stale steps (see the top).
$(STAGES): $(STAMP)
	$(FFET) flow $(FLOW_ARGS) --to $@

check: $(STAMP)
	$(FFET) flow $(FLOW_ARGS) --to sta
	$(FFET) check --run $(R) --rules $(DESIGN_DIR)/rules.json

# The finished layout (cells + both sides' routing) in the KLayout GUI with the tech's colours,
# with the layout check's markers (DRC and LVS) when the drc step has run.
view: $(STAMP)
	$(FFET) flow $(FLOW_ARGS) --to route
	$(FFET) view $(R)

view-cells: $(STAMP)
	$(FFET) view-cells --tech pdk/$(TECH).toml $(SET_ARGS)

SWEEP ?= flows/sweeps/$(DESIGN).toml
sweep: $(STAMP)
	$(FFET) sweep $(SWEEP) -j $(JOBS)
	$(FFET) report build/sweeps/$(DESIGN)

report: $(STAMP)
	$(FFET) report build/sweeps/$(DESIGN)

clean:
	rm -rf build .pytest_cache
