"""kill -9 at every stage boundary and inside stages, then `autommlab run --resume`: nothing is lost or redone.

One uninterrupted baseline run and one chain of interrupted runs of the same
request (the embedded demo request on the demo data at budget scale 0.002: 10 training iterations).
Each step of the chain resumes the same run directory with
``AUTOMMLAB_FAULT_AT`` naming the point where the real CLI process SIGKILLs
itself (``autommlab.faults``); the next step resumes from there. After every
kill: every JSON file in the run directory parses (atomic writes: a
half-written file is never in place), and the checks of that step hold. At the
end: the same stage statuses, trial list and best trial as the baseline, one
trial record for the run (no duplicate, none lost), and the finished trial was
not trained again once its trial.json was in place.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autommlab.cli import DEMO_REQUEST

from .conftest import need

CLI = str(Path(sys.executable).with_name("autommlab"))
SETTINGS = {"AUTOMMLAB_HPO__BUDGET_SCALE": "0.002", "AUTOMMLAB_HPO__MAX_TRIALS": "1",
            "AUTOMMLAB_DEPLOY__LATENCY_RUNS": "30", "AUTOMMLAB_DEPLOY__WARMUP_RUNS": "5",
            "AUTOMMLAB_PLUGINS__DATAPOOL__DEMO_SCALE": "0.25"}


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("faults-home")


def cli(args: list[str], cwd: Path, home: Path, fault: str | None = None) -> tuple[int, str, float]:
    """Run the real CLI; stdout/stderr go to a file (orphaned data-loader workers must not hold a pipe open)."""
    env = {**os.environ, **SETTINGS, "AUTOMMLAB_HOME": str(home)}
    env.pop("AUTOMMLAB_FAULT_AT", None)
    if fault:
        env["AUTOMMLAB_FAULT_AT"] = fault
    log = cwd / f"log-{time.monotonic_ns()}.txt"
    t0 = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.run([CLI, *args], cwd=cwd, env=env, stdout=f, stderr=subprocess.STDOUT, timeout=900).returncode
    return rc, log.read_text(errors="replace"), time.monotonic() - t0


@pytest.fixture(scope="session")
def baseline(shared_home, tmp_path_factory) -> Path:
    """The uninterrupted run (also generates the demo data and the complexity cache the chain reuses)."""
    need("mmpretrain", "onnxruntime", "mmdeploy")
    cwd = tmp_path_factory.mktemp("baseline")
    rc, log, _ = cli(["run", DEMO_REQUEST], cwd, shared_home)
    assert rc in (0, 3), log[-4000:]
    return next((cwd / "runs").iterdir())


def _record(run_dir: Path) -> dict:
    return json.loads((run_dir / "run.json").read_text())


def _records_of(home: Path, run_id: str) -> list[dict]:
    rows = [json.loads(x) for x in (home / "trials.jsonl").read_text().splitlines() if x.strip()]
    return [r for r in rows if r["run_id"] == run_id]


def _all_json_parse(run_dir: Path) -> None:
    for p in run_dir.rglob("*.json"):
        if p.name.startswith(".") or p.name.endswith(".tmp") or "vis_data" in p.parts:
            continue  # a temp file of an interrupted atomic write (never read); mmengine's own JSON-lines logs
        json.loads(p.read_text())


def _trainings(run_dir: Path) -> int:
    """mmengine makes one timestamped log folder per Runner, i.e. per training started."""
    work = run_dir / "trials" / "01" / "work"
    return len([d for d in work.iterdir() if d.is_dir() and d.name[:8].isdigit()]) if work.is_dir() else 0


# (fault point, where it is, a check on the run directory right after the kill)
CHAIN = [
    ("parse", "inside parse: answered, request.json not yet written",
     lambda d: not (d / "request.json").exists() and _record(d)["stages"]["parse"]["status"] == "running"),
    ("datapool:link:5", "inside select-data: writing the subset (5th image linked)",
     lambda d: not (d / "data.json").exists() and (d / "data").is_dir()),
    ("write:data.json", "select-data: data.json written to a temp file, not yet renamed",
     lambda d: not (d / "data.json").exists()),
    ("done:select_data", "boundary: select-data recorded done",
     lambda d: _record(d)["stages"]["select_data"]["status"] == "done" and not (d / "model.json").exists()),
    ("write:model.json", "inside select-model: model.json not yet renamed",
     lambda d: not (d / "model.json").exists()),
    ("start:hpo", "boundary: HPO recorded started",
     lambda d: _record(d)["stages"]["hpo"]["status"] == "running" and not (d / "trials").exists()),
    ("train:iter:5", "inside training: iteration 5 of 10",
     lambda d: (d / "trials/01/hparams.json").is_file() and not (d / "trials/01/trial.json").exists()),
    ("write:trial.json", "end of the trial: trial.json in a temp file, not yet renamed",
     lambda d: not (d / "trials/01/trial.json").exists()),
    ("store:append", "after trial.json, before the trial record line",
     lambda d: (d / "trials/01/trial.json").is_file()),
    ("done:hpo", "boundary: HPO recorded done", lambda d: _record(d)["stages"]["hpo"]["status"] == "done"),
    ("deploy:exported", "inside deploy: ONNX written, not yet measured",
     lambda d: not (d / "deployment.json").exists()),
    ("deploy:latency:10", "inside deploy: 10th timed latency run",
     lambda d: not (d / "deployment.json").exists()),
    ("report", "inside report: before rendering", lambda d: (d / "deployment.json").is_file()),
    ("write:report.md", "report.md in a temp file, not yet renamed",
     lambda d: _record(d)["stages"]["report"]["status"] != "done"),
]


@pytest.mark.slow
def test_kill_at_every_point_then_resume_equals_an_uninterrupted_run(baseline, shared_home, tmp_path):
    steps: list[tuple[str, int, float]] = []
    logs: dict[str, str] = {}
    run_dir: Path | None = None
    trial_bytes = trainings = None
    for point, where, check in CHAIN:
        args = ["run", DEMO_REQUEST] if run_dir is None else ["run", "--resume", str(run_dir)]
        rc, log, secs = cli(args, tmp_path, shared_home, fault=point)
        steps.append((point, rc, secs))
        logs[point] = log
        assert rc == -signal.SIGKILL, f"{point} ({where}) was never reached: rc={rc}\n{log[-3000:]}"
        run_dir = run_dir or next((tmp_path / "runs").iterdir())
        _all_json_parse(run_dir)
        assert check(run_dir), f"after a kill at {point} ({where}): unexpected run directory state"
        if point == "store:append":  # the trial is finished from here on: it must never train again
            trial_bytes = (run_dir / "trials/01/trial.json").read_bytes()
            trainings = _trainings(run_dir)
            assert _records_of(shared_home, run_dir.name) == []
    rc, log, secs = cli(["run", "--resume", str(run_dir)], tmp_path, shared_home)
    steps.append(("(none)", rc, secs))
    assert rc in (0, 3), log[-4000:]
    print("\nkill chain:", json.dumps(steps))

    assert (run_dir / "trials/01/trial.json").read_bytes() == trial_bytes, "the finished trial was rerun"
    assert _trainings(run_dir) == trainings, "a training started after the trial had finished"
    got, want = _record(run_dir), _record(baseline)
    assert {s: st["status"] for s, st in got["stages"].items()} == \
           {s: st["status"] for s, st in want["stages"].items()} == {s: "done" for s in want["stages"]}
    assert got["trials"] == want["trials"] == [1] and got["best_trial"] == want["best_trial"] == 1
    assert got["stop_reason"] == want["stop_reason"]
    records = _records_of(shared_home, run_dir.name)
    assert len(records) == 1 and records[0]["trial_index"] == 1, records  # none lost, no duplicate
    assert len(_records_of(shared_home, baseline.name)) == 1
    trial = json.loads((run_dir / "trials/01/trial.json").read_text())
    assert trial["status"] == "finished" and Path(trial["checkpoint"]).is_file()
    dep = json.loads((run_dir / "deployment.json").read_text())
    assert dep["latency"]["runs"] == 30 and Path(dep["artifacts"]["onnx"]).is_file()
    heads = lambda d: [ln for ln in (d / "report.md").read_text().splitlines() if ln.startswith("## ")]  # noqa: E731
    assert heads(run_dir) == heads(baseline)
    # the step after the kill mid-training reran trial 1 with the hyperparameters written before it
    assert "trial 1: rerunning interrupted trial" in logs["write:trial.json"]


@pytest.mark.slow
def test_predict_refuses_bad_images_and_paths(baseline, invoke, tmp_path):
    from . import datasets as ds
    (tmp_path / "notes.txt").write_text("not an image")
    cut = ds.truncate(ds.jpeg(tmp_path / "cut.jpg", size=(160, 120)), keep=0.7)  # OpenCV still decodes it
    cases = [((baseline, tmp_path / "notes.txt"), 1, "cannot decode image"),
             ((baseline, cut), 1, "is truncated"),
             ((baseline, tmp_path / "missing.jpg"), 1, "image not found: "),
             ((tmp_path / "no-run", cut), 2, "does not exist")]
    for args, want, words in cases:
        code, _, err = invoke("predict", *args)
        assert code == want and words in err, (args, code, err)
    code, out, err = invoke("predict", baseline, ds.jpeg(tmp_path / "ok.jpg", size=(64, 64)))
    assert code == 0, err
