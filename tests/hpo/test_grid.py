"""`hpo grid`: the table grid spans the space; collection records every trial and resumes."""

from __future__ import annotations

from autommlab.config import Settings
from autommlab.hpo.grid import collect, default_grid
from autommlab.hpo.store import read_records
from hpo_helpers import data_plan, model_candidate

import hpo_fakes

STAGES = {s: "hpo_fakes" for s in ("parse", "select_data", "select_model", "train")}


def test_default_grid_spans_optimizers_lrs_schedules():
    grid = default_grid(model_candidate(task="segmentation"), data_plan("segmentation"), "cpu", 0.02)
    assert len(grid) == 12
    assert {h.optimizer for h in grid} == {"SGD", "AdamW"}
    assert {h.lr_schedule for h in grid} == {"CosineAnnealingLR", "PolyLR"}
    assert len({(h.optimizer, h.lr, h.lr_schedule) for h in grid}) == 12
    assert len({(h.iters, h.batch_size) for h in grid}) == 1
    for h in grid:
        h.check("segmentation", 0.02)


def test_collect_records_every_trial_and_skips_recorded_ones(tmp_path):
    s = Settings.model_validate({"stages": STAGES, "plugin_modules": ["hpo_fakes"],
                                 "hpo": {"budget_scale": 0.02}})
    out = tmp_path / "table.jsonl"
    hpo_fakes.CALLS.clear()
    first = collect(s, "classify ants and bees", out, tmp_path / "w", limit=5, log=lambda m: None)
    assert len(first) == 5 and len(hpo_fakes.CALLS) == 5
    again = collect(s, "classify ants and bees", out, tmp_path / "w", log=lambda m: None)
    assert len(again) == 7  # only the 7 not yet recorded
    recs = read_records(out)
    assert len(recs) == 12 and all(r.budget_scale == 0.02 for r in recs)
    assert sum(r.status == "failed" for r in recs) == 2  # SGD lr 0.1 (2 schedules) diverges on the surface
    assert hpo_fakes.CALLS[0].work_dir.parent == tmp_path / "w"
