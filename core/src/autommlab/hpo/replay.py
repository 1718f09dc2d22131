"""Replay HPO strategies against a recorded table of real trials (``autommlab eval hpo``).

In: trial records (``TrialRecord`` JSONL, e.g. collected with ``autommlab hpo grid``)
grouped per (task, model, datasets), and a proposer callable. Each proposal is
answered with the outcome of the NEAREST recorded configuration (``space.distance``
in the normalised space), never a made-up number. Out: the best metric after
n proposals, normalised per group as (best - min) / (max - min) over the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..schemas import (DataPlan, DataRequirement, HParams, ModelCandidate, ModelRequirement, Recipe, Request,
                       Trial)
from .space import distance
from .store import TrialRecord

Proposer = Callable[[Request, DataPlan, ModelCandidate, list[Trial], float, int], HParams]


@dataclass
class Group:
    """Records of one (task, model, datasets) and the context rebuilt from them."""

    task: str
    model_name: str
    datasets: tuple[str, ...]
    records: list[TrialRecord]
    scale: float

    @property
    def label(self) -> str:
        return f"{self.task}/{self.model_name}"

    @property
    def scores(self) -> list[float]:
        return [r.score for r in self.records if r.score is not None]

    @property
    def low(self) -> float:
        return min(self.scores)

    @property
    def high(self) -> float:
        return max(self.scores)

    def is_flat(self, min_spread: float = 0.0) -> bool:
        """The recorded trials' metrics span no more than ``min_spread``: nothing to tell strategies apart with
        (normalising a spread of, say, 0.0001 AP would rank strategies by noise)."""
        return self.high - self.low <= min_spread

    def describe_flat(self) -> str:
        spread = (f"reached {self.low:.4f}" if self.high <= self.low else
                  f"lie within {self.low:.4f}..{self.high:.4f}")
        return (f"{self.label}: all {len(self.scores)} finished trials {spread} {self.records[0].primary_metric}; "
                f"no spread to compare strategies on, left out")

    def normalise(self, value: float) -> float:
        span = self.high - self.low
        return 1.0 if span <= 0 else (value - self.low) / span

    def context(self) -> tuple[Request, DataPlan, ModelCandidate]:
        return context_from_record(self.records[0])

    def nearest(self, hp: HParams) -> tuple[int, TrialRecord, float]:
        """(index, record, distance) of the recorded configuration nearest to ``hp``."""
        best = min(range(len(self.records)),
                   key=lambda i: (distance(hp, self.records[i].hparams, self.task, self.scale), i))
        rec = self.records[best]
        return best, rec, distance(hp, rec.hparams, self.task, self.scale)


def context_from_record(rec: TrialRecord) -> tuple[Request, DataPlan, ModelCandidate]:
    """Rebuild the (Request, DataPlan, ModelCandidate) a strategy sees from a record's summaries."""
    req, dat, mod = rec.request, rec.data, rec.model
    task = rec.task
    request = Request(data=DataRequirement(object=list(req.get("objects") or []),
                                           specific=list(req.get("datasets") or [])),
                      model=ModelRequirement(task=task, specific_model=req.get("specific_model") or "none"))
    classes = list(dat.get("classes") or ["object"])
    train_counts = dict(dat.get("train_counts") or {}) or {classes[0]: int(dat.get("num_train") or 0)}
    val_counts = dict(dat.get("val_counts") or {}) or {classes[0]: int(dat.get("num_val") or 0)}
    data = DataPlan(source="replay", datasets=list(dat.get("datasets") or []), task=task,
                    format=dat.get("format") or "imagenet", root=Path("."), classes=classes,
                    train_counts=train_counts, val_counts=val_counts)
    model = ModelCandidate(codebase=mod.get("codebase") or "", name=mod.get("name") or "", task=task,
                           family=mod.get("family") or "", params_m=mod.get("params_m"),
                           flops_g=mod.get("flops_g"), input_size=list(mod.get("input_size") or []),
                           source_dataset=mod.get("source_dataset") or "",
                           reported_metrics=dict(mod.get("reported_metrics") or {}),
                           recipe=Recipe(**(mod.get("recipe") or {})),
                           weights_local=mod.get("weights_local") or (rec.pretrained or None))
    return request, data, model


def group_records(records: list[TrialRecord], default_scale: float = 1.0, keep_failed: bool = False) -> list[Group]:
    """Group records per (task, model, datasets); groups without a finished trial are dropped
    unless ``keep_failed``."""
    groups: dict[tuple, list[TrialRecord]] = {}
    for r in records:
        key = (r.task, r.model.get("name", ""), tuple(r.data.get("datasets") or []))
        groups.setdefault(key, []).append(r)
    out = []
    for (task, name, ds), recs in groups.items():
        scales = {r.budget_scale for r in recs if r.budget_scale}
        scale = min(scales) if scales else default_scale
        g = Group(task, name, ds, recs, scale)
        if g.scores or keep_failed:
            out.append(g)
    return out


@dataclass
class ReplayRun:
    """One strategy replayed once on one group: what it proposed and what the table answered."""

    proposals: list[HParams] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)  # index of the nearest record per proposal
    distances: list[float] = field(default_factory=list)
    best_raw: list[float] = field(default_factory=list)  # best metric after 1..n proposals

    def best_norm(self, group: Group, n: int) -> float:
        return group.normalise(self.best_raw[min(n, len(self.best_raw)) - 1])


def replay(group: Group, propose: Proposer, n: int, seed: int = 0) -> ReplayRun:
    """Run ``n`` proposals of one strategy against ``group``; failures count as the table's minimum."""
    request, data, model = group.context()
    history: list[Trial] = []
    run = ReplayRun()
    best = None
    for i in range(1, n + 1):
        hp = propose(request, data, model, list(history), group.scale, seed)
        idx, rec, dist = group.nearest(hp)
        run.proposals.append(hp)
        run.answered.append(idx)
        run.distances.append(dist)
        if rec.score is not None:
            trial = Trial(index=i, model=model.name, codebase=model.codebase, task=group.task, hparams=hp,
                          status="finished", metrics=dict(rec.metrics), primary_metric=rec.primary_metric,
                          wall_time_s=rec.wall_time_s, notes=[f"replayed: nearest recorded config #{idx}"])
            value = rec.score
        else:
            trial = Trial(index=i, model=model.name, codebase=model.codebase, task=group.task, hparams=hp,
                          status="failed", error=rec.error or "failed (recorded)", primary_metric=rec.primary_metric,
                          notes=[f"replayed: nearest recorded config #{idx}"])
            value = group.low
        history.append(trial)
        best = value if best is None else max(best, value)
        run.best_raw.append(best)
    return run
