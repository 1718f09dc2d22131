"""The main job end to end with the real plugins: `autommlab run --demo` on a tiny budget.

Parses the embedded request with the offline parser, generates the demo data,
ranks the mmpretrain zoo, trains one short trial with mmengine, exports to ONNX
and measures it with ONNX Runtime. Checks the run directory, not the accuracy:
a 40-iteration trial is not expected to meet the 80% target, and the exit code
must then say "requirement missed" (3).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mmpretrain", reason="the e2e run needs the full stack (scripts/install.sh)")
pytest.importorskip("onnxruntime")


@pytest.mark.slow
def test_demo_run_end_to_end(tmp_path):
    env = {**os.environ, "AUTOMMLAB_HOME": str(tmp_path / "home"), "AUTOMMLAB_DEPLOY__LATENCY_RUNS": "30",
           "AUTOMMLAB_DEPLOY__WARMUP_RUNS": "5"}
    cmd = [str(Path(sys.executable).with_name("autommlab")), "run", "--demo", "--budget-scale", "0.02",
           "--max-trials", "1"]
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1500)
    assert r.returncode in (0, 3), r.stderr[-4000:]
    run_dir = next((tmp_path / "runs").iterdir())
    record = json.loads((run_dir / "run.json").read_text())
    assert all(st["status"] == "done" for st in record["stages"].values()), record["stages"]
    request = json.loads((run_dir / "request.json").read_text())
    assert request["model"]["task"] == "classification"
    assert request["deploy"]["inference engine"] == "onnxruntime"
    assert sorted(json.loads((run_dir / "data.json").read_text())["classes"]) == ["circle", "square", "triangle"]
    trial = json.loads((run_dir / "trials/01/trial.json").read_text())
    assert trial["status"] == "finished" and 0.0 <= trial["metrics"]["accuracy"] <= 1.0
    assert Path(trial["checkpoint"]).is_file()
    dep = json.loads((run_dir / "deployment.json").read_text())
    assert dep["backend"] == "onnxruntime" and dep["latency"]["p50_ms"] > 0
    assert 0.0 <= dep["metrics"]["accuracy"] <= 1.0
    report = (run_dir / "report.md").read_text()
    assert "## Requirements" in report and "accuracy >= 0.8" in report
    # the report judges accuracy on the deployed model and speed on p50 latency
    met = dep["metrics"]["accuracy"] >= 0.8 and 1000.0 / dep["latency"]["p50_ms"] >= 50
    assert (r.returncode == 0) == met
