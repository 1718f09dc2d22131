"""What a run produced, stage by stage: the value the pipeline fills and the report renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .schemas import DataPlan, Deployment, ModelCandidate, Request, Trial


@dataclass
class RequirementCheck:
    requirement: str  # as stated, e.g. "accuracy >= 0.9"
    measured: str  # the measured value with where it comes from, or "not measured: why"
    met: bool


@dataclass
class RunResult:
    run_dir: Path
    request: Request | None = None
    data: DataPlan | None = None
    models: list[ModelCandidate] = field(default_factory=list)
    trials: list[Trial] = field(default_factory=list)
    best: Trial | None = None
    deployment: Deployment | None = None
    requirements: list[RequirementCheck] = field(default_factory=list)
    failed_stage: str | None = None
    error: str | None = None

    @property
    def requirements_met(self) -> bool | None:
        if self.failed_stage or not self.requirements:
            return None if not self.failed_stage else False
        return all(r.met for r in self.requirements)
