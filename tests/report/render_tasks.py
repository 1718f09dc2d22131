"""report.html for each task's default model, trained briefly and deployed (a development check, not a test).

    .venv/bin/python -m tests.report.render_tasks --out /tmp/render segmentation detection keypoint

Trains the task's default model from scratch for a few iterations on shared/datapool (the deploy tests'
``trained.train_trial``), deploys it with the deploy_ort hook, then renders report.html from the real
parts (training curves, the deployed bundle's figures and drawn predictions) into ``OUT/<task>/run/``.
Prints the time of each step; open the pages to look at them.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from autommlab.results import RunResult
from autommlab.schemas import RunRecord


def render(task: str, out: Path) -> None:
    from autommlab_deploy_ort import plugin
    from autommlab_deploy_ort.evidence import report_parts
    from autommlab_openmmlab.curves import report_parts as curve_parts
    from autommlab_report_html.render import write_html

    from tests.deploy.trained import context, train_trial

    root = out / task
    t0 = time.perf_counter()
    t = train_trial(task, root)
    run = root / "run"
    target = t.target(run / "deploy" / "onnxruntime", runs=20, warmup=2, min_fps=1.0)
    dep = plugin.autommlab_deploy(trial=t.trial, target=target, ctx=context("deploy"))
    t1 = time.perf_counter()
    result = RunResult(run_dir=run, request=t.request, data=t.data, models=[t.model], trials=[t.trial], best=t.trial,
                       deployment=dep)
    parts = (curve_parts([t.trial]) or []) + (report_parts(result) or [])
    t2 = time.perf_counter()
    record = RunRecord(run_id=f"render-{task}", text=f"{task}: default model, a few iterations")
    page = write_html(record, result, parts)
    print(f"{task}: train+deploy {t1 - t0:.1f} s, parts {t2 - t1:.1f} s, html {time.perf_counter() - t2:.1f} s; "
          f"{', '.join(p.kind for p in parts)} -> {page}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tasks", nargs="+", choices=["classification", "detection", "segmentation", "keypoint"])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    for task in args.tasks:
        render(task, args.out)


if __name__ == "__main__":
    main()
