"""The step contract (STYLE.md practice 1).

A step declares the artifacts it reads (names produced by earlier steps, or given to the run),
the artifacts it writes (name -> file name), and which config keys it reads (by default, every
registry key that lists the step). It implements `run(ctx)`, writing its outputs into
`ctx.out_dir` and returning its metrics. The driver (`ffet_flow.steps.driver`) does the
directory, logging, timing, atomic publication of outputs, staleness and metric collection.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ffet_flow.config import Config


@dataclass(frozen=True)
class StepContext:
    config: Config
    design_dir: Path | None
    run_dir: Path
    step_dir: Path  # where the published outputs will live (build/<design>/<variant>/NN-step)
    out_dir: Path  # scratch directory the step writes its outputs into
    inputs: Mapping[str, Path]
    log_path: Path
    logger: logging.Logger

    def output(self, artifact: str, outputs: Mapping[str, str]) -> Path:
        return self.out_dir / outputs[artifact]


class Step:
    """Base class of every flow step."""

    name: ClassVar[str] = ""
    #: artifact names this step reads
    inputs: ClassVar[tuple[str, ...]] = ()
    #: artifact name -> file name written into the step directory
    outputs: ClassVar[Mapping[str, str]] = {}
    #: bump when the step's code changes what it writes, so cached results are redone
    version: ClassVar[int] = 1

    def config_keys(self, config: Config) -> list[str]:
        return config.keys_for_step(self.name)

    def out(self, ctx: StepContext, artifact: str) -> Path:
        return ctx.out_dir / self.outputs[artifact]

    def run(self, ctx: StepContext) -> Mapping[str, Any]:
        raise NotImplementedError
