"""A run directory edited by hand: `autommlab run --resume` fails naming the file and field, losing nothing.

Runs use the core's in-test plugins (``tests/core/fakes.py``: no ML library),
with every installed plugin disabled, so each case takes a fraction of a second.
"""

from __future__ import annotations

import importlib.metadata
import json

import pytest

from ..core.conftest import request_text
from .conftest import tree_digest

KEPT = {"run.json", "report.md"}  # the resume that fails records the failure here


@pytest.fixture
def fake_env(monkeypatch):
    installed = [ep.name for ep in importlib.metadata.entry_points(group="autommlab")]
    monkeypatch.setenv("AUTOMMLAB_PLUGIN_MODULES", '["tests.core.fakes"]')
    monkeypatch.setenv("AUTOMMLAB_DISABLED_PLUGINS", json.dumps(["offline_parser", "recipe_hpo", *installed]))
    monkeypatch.setenv("AUTOMMLAB_HPO__BUDGET_SCALE", "0.005")
    monkeypatch.setenv("AUTOMMLAB_HPO__MAX_TRIALS", "2")
    from tests.core import fakes
    fakes.reset()
    return fakes


@pytest.fixture
def finished_run(invoke, fake_env, tmp_path):
    code, _, err = invoke("run", request_text(metrics=[{"name": "accuracy", "value": 0.99}]))
    assert code == 3, err  # finished, target missed: both trials ran
    return next((tmp_path / "runs").iterdir())


def _edit_json(path, fn):
    data = json.loads(path.read_text())
    fn(data)
    path.write_text(json.dumps(data))


EDITS = [
    ("run.json not JSON", lambda d: (d / "run.json").write_text("{half written"), "run.json is not a valid RunRecord"),
    ("run.json binary", lambda d: (d / "run.json").write_bytes(b"\xff\xfe\x00"), "run.json: cannot read"),
    ("run.json a list", lambda d: (d / "run.json").write_text("[]"), "run.json is not a valid RunRecord"),
    ("stage missing", lambda d: _edit_json(d / "run.json", lambda r: r["stages"].pop("hpo")),
     "'stages' must hold exactly parse, select_data, select_model, hpo, deploy, report; missing hpo"),
    ("unknown stage", lambda d: _edit_json(d / "run.json", lambda r: r["stages"].update(train={})), "unknown train"),
    ("bad status", lambda d: _edit_json(d / "run.json", lambda r: r["stages"]["deploy"].update(status="finished")),
     "stages.deploy.status"),
    ("best trial gone", lambda d: _edit_json(d / "run.json", lambda r: r.update(best_trial=99)),
     "best_trial=99 has no trials/99/trial.json"),
    ("text a number", lambda d: _edit_json(d / "run.json", lambda r: r.update(text=5)), "text"),
    ("extra field", lambda d: _edit_json(d / "run.json", lambda r: r.update(evil="x")), "evil"),
]


@pytest.mark.parametrize("what,edit,words", EDITS, ids=[e[0] for e in EDITS])
def test_bad_run_json(invoke, finished_run, what, edit, words):
    edit(finished_run)
    before = tree_digest(finished_run)
    code, _, err = invoke("run", "--resume", finished_run)
    assert code == 1 and words in err and "run.json" in err, err
    assert tree_digest(finished_run) == before, "a refused resume must not touch the run directory"


def _reopen(run_dir, *stages):
    """Mark ``stages`` pending again so the resume reads the outputs of the stages before them."""
    def fn(r):
        for s in stages:
            r["stages"][s] = {"status": "pending"}
    _edit_json(run_dir / "run.json", fn)


STAGE_FILES = [
    ("request.json deleted", "request.json", None, "request.json is missing"),
    ("request.json truncated", "request.json", '{"model": {"ta', "request.json is not a valid Request"),
    ("data.json wrong type", "data.json", '{"source": 5}', "data.json is not a valid DataPlan"),
    ("model.json not a list", "model.json", "{oops", "model.json: cannot read"),
    ("trial.json half written", "trials/01/trial.json", '{"index": 1, "model"', "trial.json is not a valid Trial"),
    ("trial.json bad metric", "trials/02/trial.json", None, "trial.json is not a valid Trial"),
]


@pytest.mark.parametrize("what,rel,content,words", STAGE_FILES, ids=[s[0] for s in STAGE_FILES])
def test_bad_stage_output_names_the_file_and_keeps_the_rest(invoke, finished_run, what, rel, content, words):
    _reopen(finished_run, "deploy", "report")
    f = finished_run / rel
    if what == "trial.json bad metric":
        _edit_json(f, lambda t: t.update(metrics={"accuracy": "high"}))
    elif content is None:
        f.unlink()
    else:
        f.write_text(content)
    before = {k: v for k, v in tree_digest(finished_run).items() if k not in KEPT}
    code, _, err = invoke("run", "--resume", finished_run)
    assert code == 1 and words in err, err
    after = {k: v for k, v in tree_digest(finished_run).items() if k not in KEPT}
    assert after == before, "files of earlier stages changed"
    record = json.loads((finished_run / "run.json").read_text())
    failed = [s for s, st in record["stages"].items() if st["status"] == "failed"]
    assert len(failed) == 1 and rel.split("/")[-1] in record["stages"][failed[0]]["error"]


def test_resume_of_something_that_is_not_a_run(invoke, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = invoke("run", "--resume", tmp_path / "empty")
    assert code == 2 and "is not a run directory (no run.json)" in err, err
    code, _, err = invoke("run", "--resume", tmp_path / "nowhere")
    assert code == 2 and "does not exist" in err, err
    (tmp_path / "file").write_text("x")
    code, _, err = invoke("run", "--resume", tmp_path / "file")
    assert code == 2 and "is a file" in err, err


def test_corrupt_trial_record_is_named_by_line(invoke, fake_env, finished_run, tmp_path):
    store = tmp_path / "home" / "trials.jsonl"
    lines = store.read_text().splitlines()
    assert len(lines) == 2
    store.write_text(lines[0] + "\n{torn line\n" + lines[1] + "\n")
    code, _, err = invoke("hpo", "export", "--output", tmp_path / "out.jsonl")
    assert code == 1 and "trials.jsonl:2: not a valid trial record" in err, err
