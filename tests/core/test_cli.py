"""The command line: exit codes, run/resume, parse --batch, plugins, config."""

import json
import subprocess
import sys

import pytest

from .conftest import request_text

FAKES = "tests.core.fakes"


def cli(*args, env_extra=None, cwd=None, tmp_path=None):
    import os
    env = {**os.environ, "AUTOMMLAB_PLUGIN_MODULES": f'["{FAKES}"]',
           "AUTOMMLAB_DISABLED_PLUGINS": '["offline_parser", "recipe_hpo"]', "AUTOMMLAB_HPO__BUDGET_SCALE": "0.005",
           "PYTHONPATH": str(__import__("pathlib").Path(__file__).resolve().parents[2])}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "autommlab.cli", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_usage_error_exit_code(tmp_path):
    r = cli("run", cwd=tmp_path)
    assert r.returncode == 2 and "give exactly one of TEXT" in r.stderr
    r = cli("run", "--max-trials", "0", "x", cwd=tmp_path)
    assert r.returncode == 2
    r = cli("config", env_extra={"AUTOMMLAB_HPO__MAX_TRIALS": "zero"}, cwd=tmp_path)
    assert r.returncode == 2 and "hpo.max_trials" in r.stderr


def test_run_success_and_missed_requirement_exit_codes(tmp_path):
    env = {"AUTOMMLAB_HOME": str(tmp_path / "home"), "AUTOMMLAB_HPO__MAX_TRIALS": "3"}
    ok = cli("run", request_text(), env_extra=env, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "report:" in ok.stderr
    missed = cli("run", request_text(metrics=[{"name": "accuracy", "value": 0.99}]), env_extra=env, cwd=tmp_path)
    assert missed.returncode == 3, missed.stderr


def test_failed_run_exit_code_and_resume(tmp_path):
    env = {"AUTOMMLAB_HOME": str(tmp_path / "home"), "AUTOMMLAB_DISABLED_PLUGINS": '["offline_parser", "recipe_hpo", "fakes"]'}
    r = cli("run", request_text(), env_extra=env, cwd=tmp_path)
    assert r.returncode == 1 and "run stopped at parse" in r.stderr
    run_dir = next((tmp_path / "runs").iterdir())
    env.pop("AUTOMMLAB_DISABLED_PLUGINS")
    r = cli("run", "--resume", str(run_dir), env_extra=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads((run_dir / "run.json").read_text())["stages"]["deploy"]["status"] == "done"


def test_parse_batch_keeps_going_on_errors(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "requirement": request_text()}) + "\n"
                   + json.dumps({"id": "b", "requirement": "not json for the fake parser"}) + "\n")
    r = cli("parse", "--batch", str(src), "--output", str(tmp_path / "out.jsonl"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows[0]["id"] == "a" and rows[0]["parse"]["model"]["task"] == "classification"
    assert rows[1]["id"] == "b" and "error" in rows[1]
    r = cli("parse", request_text(), cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)["deploy"]["inference engine"] == "onnxruntime"


def test_plugins_and_config_commands(tmp_path):
    r = cli("plugins", "--json", cwd=tmp_path, env_extra={"AUTOMMLAB_STAGES__PARSE": "fakes"})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    fake = next(p for p in data["plugins"] if p["name"] == "fakes")
    assert "autommlab_train" in fake["hooks"]
    assert data["stages"]["parse"] == ["fakes"]
    r = cli("config", "--json", cwd=tmp_path, env_extra={"AUTOMMLAB_HPO__MAX_TRIALS": "9"})
    cfg = json.loads(r.stdout)
    assert cfg["hpo.max_trials"] == {"value": 9, "source": "env AUTOMMLAB_HPO__MAX_TRIALS"}
    r = cli("--help", cwd=tmp_path)
    assert r.returncode == 0 and "run --demo" in r.stdout
