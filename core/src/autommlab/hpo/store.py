"""The trial record: every trial ever run, appended to one local JSONL file.

Each line is a ``TrialRecord`` (request summary, data summary, model, hparams,
metrics, time): the (data+model, hparams, result) triplets the AutoMMLab paper
trains HPO-LLaMA on. ``autommlab hpo export`` writes them out.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, Field

from ..errors import DataError
from ..schemas import DataPlan, HParams, ModelCandidate, Request, Trial


class TrialRecord(BaseModel):
    recorded: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    run_id: str = ""
    task: str
    request: dict[str, Any]  # normalized request
    data: dict[str, Any]  # datasets, classes, per-split counts, format
    model: dict[str, Any]  # name, codebase, family, params_m, flops_g, input_size
    hparams: HParams
    status: str
    metrics: dict[str, float]
    primary_metric: str
    wall_time_s: float
    pretrained: str | None = None
    # added later; optional so older records still load
    trial_index: int | None = None
    budget_scale: float | None = None  # the run's hpo.budget_scale (iteration ranges were scaled by it)
    error: str | None = None

    @property
    def score(self) -> float | None:
        return self.metrics.get(self.primary_metric) if self.status == "finished" else None


def summarize(request: Request, data: DataPlan, model: ModelCandidate) -> tuple[dict, dict, dict]:
    """The (request, data, model) summaries a record keeps; also what HPO prompts describe.

    :return: JSON-ready dicts; ``model`` includes the zoo recipe, ``data`` the per-class counts.
    """
    req = request.normalized.model_dump(mode="json")
    dat = {"datasets": data.datasets, "classes": data.classes, "format": data.format,
           "num_train": data.num_train, "num_val": data.num_val,
           "train_counts": data.train_counts, "val_counts": data.val_counts}
    mod = {"name": model.name, "codebase": model.codebase, "family": model.family,
           "params_m": model.params_m, "flops_g": model.flops_g, "input_size": model.input_size,
           "source_dataset": model.source_dataset, "reported_metrics": model.reported_metrics,
           "recipe": model.recipe.model_dump(mode="json"),
           "weights_local": str(model.weights_local) if model.weights_local else None}
    return req, dat, mod


def make_record(run_id: str, request: Request, data: DataPlan, model: ModelCandidate, trial: Trial,
                budget_scale: float | None = None) -> TrialRecord:
    """Summarise one trial and its context into a ``TrialRecord``."""
    req, dat, mod = summarize(request, data, model)
    return TrialRecord(
        run_id=run_id,
        task=trial.task,
        request=req,
        data=dat,
        model=mod,
        hparams=trial.hparams,
        status=trial.status,
        metrics=trial.metrics,
        primary_metric=trial.primary_metric,
        wall_time_s=trial.wall_time_s,
        pretrained=trial.pretrained,
        trial_index=trial.index,
        budget_scale=budget_scale,
        error=trial.error,
    )


class BadRecord(DataError, ValueError):
    """A line of the trial record that does not parse (names the file and line; exit 1 in the CLI)."""


class TrialStore:
    """Append-only JSONL store, safe against concurrent writers (flock) and against a kill mid-append.

    ``append(record, once=True)`` writes nothing when that run's trial is already recorded (a resumed run
    catching up, see ``recovery.py``). Each line goes out in one ``write`` call; a line left without its
    newline by a killed writer is ended before the next one, so it cannot swallow that one.
    ``flock`` is not reliable on every network file system: on a cluster keep ``home`` on the driver's local
    disk (only drivers write here; Ray workers never do) or use Optuna's RDB storage for shared search state.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def append(self, record: TrialRecord, once: bool = False) -> bool:
        """Append ``record``; with ``once``, False (nothing written) when its (run_id, trial_index) is recorded."""
        from .. import faults

        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (record.model_dump_json() + "\n").encode("utf-8")
        faults.point("store:append")
        with open(self.path, "a+b") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                if once and record.run_id and record.trial_index is not None and \
                        record.trial_index in self.indices(record.run_id):
                    return False
                f.seek(0, os.SEEK_END)
                if f.tell() > 0:
                    f.seek(-1, os.SEEK_END)
                    if f.read(1) != b"\n":
                        line = b"\n" + line
                fd = f.fileno()
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
        return True

    def indices(self, run_id: str) -> set[int]:
        """Trial indices already recorded for ``run_id`` (lines that do not parse are ignored here)."""
        out: set[int] = set()
        if not run_id or not self.path.exists():
            return out
        with open(self.path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if run_id not in line:
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and row.get("run_id") == run_id and isinstance(row.get("trial_index"), int):
                    out.add(row["trial_index"])
        return out

    def __iter__(self) -> Iterator[TrialRecord]:
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = TrialRecord.model_validate(json.loads(line))
                except (json.JSONDecodeError, ValueError) as e:
                    raise BadRecord(f"{self.path}:{n}: not a valid trial record: {e}") from e
                yield record


def read_records(path: Path) -> list[TrialRecord]:
    """All records of a JSONL file; ``DataError`` names the file and line of a bad one."""
    from ..errors import DataError
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such trial record file")
    try:
        return list(TrialStore(path))
    except ValueError as e:
        raise DataError(str(e)) from e


def default_store(home: Path) -> TrialStore:
    return TrialStore(Path(home).expanduser() / "trials.jsonl")
