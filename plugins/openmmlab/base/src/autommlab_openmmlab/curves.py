"""Training curves for the rich report (``autommlab_report_parts``), from each trial's ``metrics.json``.

``train.py`` writes ``metrics.json`` into the trial's work dir: the loss of every
training iteration (as mmengine's runner returned it) and every validation
(``history``: iteration + the evaluator's metrics). In: the run's trials. Out:
two ``ReportPart`` curves (loss per iteration, val primary metric per
evaluation, one series per trial, canonical metric names and fractions as in
trial.json) or None when no trial of an OpenMMLab codebase has the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from autommlab.report_parts import ReportPart

NAME = "openmmlab"


def report_parts(trials) -> list[ReportPart] | None:
    from .registry import installed_specs

    specs = installed_specs()
    loss: dict[str, list[tuple[float, float]]] = {}
    val: dict[str, list[tuple[float, float]]] = {}
    primary = ""
    for t in trials:
        f = Path(t.work_dir) / "metrics.json" if t.work_dir else None
        if t.codebase not in specs or f is None or not f.is_file():  # not trained by an OpenMMLab plugin
            continue
        adapter = specs[t.codebase].load_adapter()
        record = json.loads(f.read_text())
        label = f"trial {t.index}" + ("" if t.status == "finished" else f" ({t.status})")
        loss[label] = [(float(i + 1), float(v)) for i, v in enumerate(record.get("loss", []))]
        primary = primary or t.primary_metric
        points = []
        for h in record.get("history", []):
            m = adapter.canonical_metrics(h.get("metrics", {}))
            if t.primary_metric in m:
                points.append((float(h["iter"]), float(m[t.primary_metric])))
        if points:
            val[label] = points
    if not loss:
        return None
    note = "from each trial's metrics.json (train.py: mmengine's loss per iteration and every validation)"
    parts = [ReportPart(plugin=NAME, section="training", kind="curves", title="Training loss per iteration",
                        x_label="iteration", y_label="loss", series=loss, notes=[note])]
    if val:
        parts.append(ReportPart(plugin=NAME, section="training", kind="curves",
                                title=f"Val {primary} per evaluation (PyTorch model during training)",
                                x_label="iteration", y_label=primary, series=val, notes=[note]))
    return parts
