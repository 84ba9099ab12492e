# ffet-flow entry points. The Makefile only names entry points; Python does the work.
# Two commands matter on a fresh machine:  `make run`  (the FFET-vs-CFET main job)
#                                          `make test` (the test suite)
# Both run `make setup` first when the virtualenv is missing or stale.
#
# One flow run:  make flow DESIGN=riscv32 TECH=ffet VARIANT=... SET="layers_back=6 input_pin_density=0.5"
# Per stage:     make synth|floorplan|place|route|drc|extract|sta (same variables); each stage's
#                stamp build/<design>/<variant>/NN-<step>/done.json depends on the previous
#                stage's stamp and on the user's files, so make knows what is stale; inside a
#                stage the flow's own stamps (config values + input digests) decide exactly.
# QoR gates:     make check  (designs/<design>/rules.json against the run's metrics.json)

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

DESIGN_DIR  := designs/$(DESIGN)
TECH_FILE   := pdk/$(TECH).toml
DESIGN_SRCS := $(DESIGN_DIR)/config.toml $(wildcard $(DESIGN_DIR)/*.sdc) \
               $(wildcard $(DESIGN_DIR)/rtl/*.v $(DESIGN_DIR)/*.v)

# The run directory comes from Python (variant naming lives in ffet_flow/flow.py); it is only
# resolved when a goal needs it, so `make test` and friends never start Python here.
RUN_GOALS := flow synth floorplan place route drc extract sta check view
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

# Step directories, in the order of ffet_flow.flow.STEP_NAMES (a unit test keeps them in step).
STEP_DIRS := 01-pdk 02-cells 03-synth 04-floorplan 05-place 06-cts 07-tracks 08-route 09-drc 10-extract 11-sta

.PHONY: setup run test test-fast lint bench clean pdk cells view-cells sweep report \
        flow synth floorplan place cts route drc extract sta check view

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

# Per-stage targets. `touch` keeps a stamp that the flow found up to date newer than its
# prerequisites, so make does not ask again.
synth: $(R)/03-synth/done.json
floorplan: $(R)/04-floorplan/done.json
place: $(R)/05-place/done.json
cts: $(R)/06-cts/done.json
route: $(R)/08-route/done.json
drc: $(R)/09-drc/done.json
extract: $(R)/10-extract/done.json
sta: $(R)/11-sta/done.json

$(R)/01-pdk/done.json: $(TECH_FILE) | $(STAMP)
	$(FFET) flow $(FLOW_ARGS) --to pdk && touch $@
$(R)/02-cells/done.json: $(R)/01-pdk/done.json $(TECH_FILE)
	$(FFET) flow $(FLOW_ARGS) --to cells && touch $@
$(R)/03-synth/done.json: $(R)/02-cells/done.json $(DESIGN_SRCS)
	$(FFET) flow $(FLOW_ARGS) --to synth && touch $@
$(R)/04-floorplan/done.json: $(R)/03-synth/done.json
	$(FFET) flow $(FLOW_ARGS) --to floorplan && touch $@
$(R)/05-place/done.json: $(R)/04-floorplan/done.json
	$(FFET) flow $(FLOW_ARGS) --to place && touch $@
$(R)/06-cts/done.json: $(R)/05-place/done.json
	$(FFET) flow $(FLOW_ARGS) --to cts && touch $@
$(R)/07-tracks/done.json: $(R)/06-cts/done.json
	$(FFET) flow $(FLOW_ARGS) --to tracks && touch $@
$(R)/08-route/done.json: $(R)/07-tracks/done.json
	$(FFET) flow $(FLOW_ARGS) --to route && touch $@
$(R)/09-drc/done.json: $(R)/08-route/done.json
	$(FFET) flow $(FLOW_ARGS) --to drc && touch $@
$(R)/10-extract/done.json: $(R)/09-drc/done.json
	$(FFET) flow $(FLOW_ARGS) --to extract && touch $@
$(R)/11-sta/done.json: $(R)/10-extract/done.json $(DESIGN_SRCS)
	$(FFET) flow $(FLOW_ARGS) --to sta && touch $@

check: $(R)/11-sta/done.json
	$(FFET) check --run $(R) --rules $(DESIGN_DIR)/rules.json

# The finished layout (cells + both sides' routing) in the KLayout GUI with the tech's colours,
# with the layout check's markers (DRC and LVS) when the drc step has run.
view: $(R)/08-route/done.json
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
