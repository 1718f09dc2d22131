"""kill -9 at every fault point the core passes, with the core's in-test plugins (seconds, no ML stack).

The same request runs once uninterrupted and once as a chain: each step
resumes the run directory in a fresh ``python -m autommlab.cli`` process that
SIGKILLs itself at the named point (``AUTOMMLAB_FAULT_AT``). Two trials per
run, so kills land between finished trials too. At the end the chain's run
must match the uninterrupted one: stage statuses, trials, best trial, one
trial record per trial, no finished trial trained twice.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import signal
import subprocess
import sys
from pathlib import Path


from ..core.conftest import request_text

REPO = Path(__file__).resolve().parents[2]
TEXT = request_text(metrics=[{"name": "accuracy", "value": 0.99}])  # never reached: both trials run

# (point, what must hold right after the kill)
CHAIN = [
    ("write:run.json", lambda d: d is None),  # the very first run.json: no run directory is usable yet
    ("parse", lambda d: not (d / "request.json").exists()),
    ("write:request.json", lambda d: not (d / "request.json").exists()),
    ("done:parse", lambda d: (d / "request.json").is_file()),
    ("write:data.json", lambda d: not (d / "data.json").exists()),
    ("write:model.json", lambda d: not (d / "model.json").exists()),
    ("start:hpo", lambda d: not (d / "trials").exists()),
    ("write:hparams.json", lambda d: not (d / "trials/01/hparams.json").exists()),
    ("write:trial.json", lambda d: not (d / "trials/01/trial.json").exists()),
    ("store:append", lambda d: (d / "trials/01/trial.json").is_file()),
    ("write:trial.json", lambda d: not (d / "trials/02/trial.json").exists()),
    # the 2nd run.json write of this step lists trial 2, whose trial.json is in place: run.json lags behind
    ("write:run.json:2", lambda d: (d / "trials/02/trial.json").is_file() and 2 not in _record(d)["trials"]),
    ("done:hpo", lambda d: _record(d)["best_trial"] is not None),
    ("write:deployment.json", lambda d: not (d / "deployment.json").exists()),
    ("done:deploy", lambda d: (d / "deployment.json").is_file()),
    ("report", lambda d: _record(d)["stages"]["report"]["status"] != "done"),
    ("write:report.md", lambda d: _record(d)["stages"]["report"]["status"] != "done"),
]


def _record(d: Path) -> dict:
    return json.loads((d / "run.json").read_text())


def _env(home: Path, fault: str | None) -> dict[str, str]:
    installed = [ep.name for ep in importlib.metadata.entry_points(group="autommlab")]
    env = {**os.environ, "AUTOMMLAB_HOME": str(home), "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path]),
           "AUTOMMLAB_PLUGIN_MODULES": '["tests.core.fakes"]', "AUTOMMLAB_HPO__BUDGET_SCALE": "0.005",
           "AUTOMMLAB_DISABLED_PLUGINS": json.dumps(["offline_parser", "recipe_hpo", *installed]),
           "AUTOMMLAB_HPO__MAX_TRIALS": "2"}
    env.pop("AUTOMMLAB_FAULT_AT", None)
    if fault:
        env["AUTOMMLAB_FAULT_AT"] = fault
    return env


def cli(args, cwd: Path, home: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autommlab.cli", *map(str, args)], cwd=cwd, env=_env(home, fault),
                          capture_output=True, text=True, timeout=120)


def test_faults_parse_spec_and_no_op():
    from autommlab import faults
    assert faults.parse_spec("write:trial.json") == ("write:trial.json", 1)
    assert faults.parse_spec("train:iter:20") == ("train:iter", 20)
    assert faults.parse_spec("store:append:0") == ("store:append:0", 1)
    faults.point("anything")  # unset: nothing happens


def test_kill_chain_with_core_plugins_equals_an_uninterrupted_run(tmp_path):
    base_cwd, chain_cwd = tmp_path / "base", tmp_path / "chain"
    base_cwd.mkdir(), chain_cwd.mkdir()
    r = cli(["run", TEXT], base_cwd, tmp_path / "home")
    assert r.returncode == 3, r.stderr
    baseline = next((base_cwd / "runs").iterdir())

    run_dir: Path | None = None
    mtimes: dict[str, float] = {}
    for point, check in CHAIN:
        if run_dir is None:
            shutil_rm(chain_cwd / "runs")
        args = ["run", TEXT] if run_dir is None else ["run", "--resume", run_dir]
        r = cli(args, chain_cwd, tmp_path / "home", fault=point)
        assert r.returncode == -signal.SIGKILL, f"{point} not reached: rc={r.returncode}\n{r.stderr[-2000:]}"
        runs = list((chain_cwd / "runs").iterdir()) if (chain_cwd / "runs").exists() else []
        current = runs[0] if runs and (runs[0] / "run.json").is_file() else None
        assert check(current if run_dir is None and point == "write:run.json" else (run_dir or current)), point
        run_dir = run_dir or current
        if run_dir is not None:
            for p in run_dir.rglob("*.json"):
                if not p.name.startswith("."):
                    json.loads(p.read_text())  # never half-written
            for f in run_dir.glob("trials/*/trial.json"):  # a finished trial's files never change again
                mtimes.setdefault(str(f), f.stat().st_mtime_ns)
                assert f.stat().st_mtime_ns == mtimes[str(f)], f"{f} rewritten after {point}"
    r = cli(["run", "--resume", run_dir], chain_cwd, tmp_path / "home")
    assert r.returncode == 3, r.stderr

    got, want = _record(run_dir), _record(baseline)
    assert {s: v["status"] for s, v in got["stages"].items()} == {s: v["status"] for s, v in want["stages"].items()}
    assert got["trials"] == want["trials"] == [1, 2]
    assert got["best_trial"] == want["best_trial"] and got["stop_reason"] == want["stop_reason"]
    rows = [json.loads(x) for x in (tmp_path / "home" / "trials.jsonl").read_text().splitlines()]
    mine = sorted(r["trial_index"] for r in rows if r["run_id"] == run_dir.name)
    assert mine == [1, 2], mine  # none lost (killed before the append), none duplicated
    for i in (1, 2):
        a = json.loads((run_dir / f"trials/0{i}/trial.json").read_text())
        b = json.loads((baseline / f"trials/0{i}/trial.json").read_text())
        assert a["hparams"] == b["hparams"] and a["metrics"] == b["metrics"]


def shutil_rm(p: Path) -> None:
    import shutil
    shutil.rmtree(p, ignore_errors=True)
