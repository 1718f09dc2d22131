"""Trial record, export, and `eval hpo` replay against a recorded table."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from autommlab.config import Settings
from autommlab.hpo.evaluate import evaluate, markdown, parse_strategy
from autommlab.hpo.recipe import first_proposal
from autommlab.hpo.replay import context_from_record, group_records, replay
from autommlab.hpo.store import TrialStore, make_record, read_records
from autommlab.errors import DataError, UsageError
from hpo_helpers import data_plan, model_candidate, request, response, trial


def _cli(*args, cwd, env_extra=None):
    env = {**os.environ, "AUTOMMLAB_HOME": str(cwd / "home")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "autommlab.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def test_record_roundtrip_rebuilds_the_context(tmp_path):
    m, d = model_candidate(), data_plan()
    hp = first_proposal(m, d, "cpu", 0.02)
    store = TrialStore(tmp_path / "t.jsonl")
    store.append(make_record("r1", request(), d, m, trial(3, hp, 0.7), budget_scale=0.02))
    [rec] = read_records(store.path)
    assert rec.score == 0.7 and rec.trial_index == 3 and rec.budget_scale == 0.02
    req, data, model = context_from_record(rec)
    assert model.recipe == m.recipe and model.weights_local is not None
    assert data.num_train == d.num_train and data.classes == d.classes and req.model.task == "classification"


def test_bad_record_file_names_the_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"task": "classification"}\n')
    with pytest.raises(DataError, match=r"bad.jsonl:1"):
        read_records(p)
    with pytest.raises(DataError, match="no such"):
        read_records(tmp_path / "missing.jsonl")


def test_replay_answers_with_the_nearest_recorded_config(synthetic_table):
    [g] = group_records(read_records(synthetic_table))
    assert g.scale == 0.02 and len(g.records) == 12
    for rec in g.records:  # a recorded config is its own nearest neighbour
        idx, near, dist = g.nearest(rec.hparams)
        assert near is rec and dist == 0
    probe = g.records[0].hparams.model_copy(update={"lr": g.records[0].hparams.lr * 1.2})
    assert g.nearest(probe)[1] is g.records[0]


def test_replay_normalises_and_is_monotone(synthetic_table):
    [g] = group_records(read_records(synthetic_table))

    def oracle(request, data, model, history, scale, seed):
        best = max((r for r in g.records if r.score is not None), key=lambda r: r.score)
        return best.hparams

    run = replay(g, oracle, 3)
    assert run.best_norm(g, 1) == 1.0
    assert run.best_raw == sorted(run.best_raw)


def test_evaluate_all_strategies(synthetic_table):
    pytest.importorskip("optuna")
    [g] = group_records(read_records(synthetic_table))
    specs = ["recipe_hpo", "random_hpo", "optuna_hpo:sampler=tpe", "nope_hpo"]
    res = evaluate([g], specs, Settings(), [1, 3, 5], seeds=2)
    by = {r.strategy: r for r in res}
    assert by["nope_hpo"].error and "nope_hpo" in by["nope_hpo"].error
    for s in specs[:3]:
        r = by[s]
        assert r.error is None, r.error
        assert 0 <= r.mean[1] <= r.mean[3] <= r.mean[5] <= 1
    # the recipe strategy starts at SGD lr 0.003 (near the synthetic peak at SGD 0.01) and climbs to it
    assert by["recipe_hpo"].mean[5] == 1.0
    md = markdown(res, [g], [1, 3, 5], 2)
    assert "| recipe_hpo |" in md and "NEAREST" in md


def test_parse_strategy():
    s = parse_strategy("optuna_hpo:sampler=gp,n_startup_trials=3")
    assert s.plugin == "optuna_hpo" and s.overrides == {"sampler": "gp", "n_startup_trials": 3}
    with pytest.raises(UsageError):
        parse_strategy("optuna_hpo:sampler")


def test_cli_export_and_eval(tmp_path, synthetic_table):
    home = tmp_path / "home"
    home.mkdir()
    (home / "trials.jsonl").write_text(synthetic_table.read_text())
    r = _cli("hpo", "export", "--output", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 12 and json.loads(lines[0])["task"] == "classification"
    r = _cli("hpo", "export", "--task", "detection", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == ""
    r = _cli("eval", "hpo", "--table", str(synthetic_table), "-s", "recipe_hpo", "-s", "random_hpo", "--seeds", "2",
             "--markdown", "cmp.md", cwd=tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout
    assert "NEAREST" in r.stdout and "recipe_hpo" in r.stdout
    assert "| random_hpo |" in (tmp_path / "cmp.md").read_text()
    r = _cli("eval", "hpo", "--table", "missing.jsonl", cwd=tmp_path)
    assert r.returncode == 1 and "missing.jsonl" in r.stdout + r.stderr


def test_eval_leaves_out_flat_groups(tmp_path, synthetic_table):
    """A group whose trials all reached the same metric cannot rank strategies: it is named and left out."""
    from autommlab.hpo.grid import default_grid

    m, d = model_candidate(task="segmentation"), data_plan(task="segmentation")
    flat = tmp_path / "flat.jsonl"
    store = TrialStore(flat)
    for i, hp in enumerate(default_grid(m, d, "cpu", 0.02)[:4], 1):
        store.append(make_record("grid-test", request(), d, m, trial(i, hp, 0.4093, task="segmentation"),
                                 budget_scale=0.02))
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(synthetic_table.read_text() + flat.read_text())
    r = _cli("eval", "hpo", "--table", str(mixed), "-s", "recipe_hpo", "--seeds", "1", "--markdown", "cmp.md",
             cwd=tmp_path)
    assert r.returncode == 0, r.stderr + r.stdout
    out = " ".join(r.stdout.split())
    assert "segmentation/segmentation-net: all 4 finished trials reached 0.4093 accuracy" in out
    md = (tmp_path / "cmp.md").read_text()
    assert "classification/classification-net @1" in md and "segmentation/segmentation-net @1" not in md
    assert "no spread to compare strategies on" in md
    r = _cli("eval", "hpo", "--table", str(synthetic_table), "-s", "recipe_hpo", "--seeds", "1", "--min-spread", "0.25",
             cwd=tmp_path)
    assert r.returncode == 2 and "all 10 finished trials lie within 0.7000..0.9000 accuracy" in " ".join((r.stdout + r.stderr).split())
    r = _cli("eval", "hpo", "--table", str(flat), "-s", "recipe_hpo", cwd=tmp_path)
    assert r.returncode == 2 and "every group is flat" in " ".join((r.stdout + r.stderr).split())


def test_hpo_show_renders_each_group(tmp_path, synthetic_table):
    r = _cli("hpo", "show", str(synthetic_table), "--markdown", "t.md", cwd=tmp_path, env_extra={"COLUMNS": "200"})
    assert r.returncode == 0, r.stderr + r.stdout
    assert "classification/classification-net on toy" in r.stdout and "12 trials" in r.stdout
    md = (tmp_path / "t.md").read_text().splitlines()
    rows = [line for line in md if line.startswith("| SGD") or line.startswith("| AdamW")]
    assert len(rows) == 12
    best = [line for line in rows if "(best)" in line]
    # the synthetic surface peaks at SGD lr 0.01; lr 0.1 diverges (failed, no metric)
    assert len(best) == 2 and all(line.startswith("| SGD | 0.01 |") for line in best)  # both schedules tie
    assert sum("| failed" in line for line in rows) == 2  # SGD lr 0.1 under both schedules
