"""One tiny finished demo run shared by the report and benchmark tests (session-scoped: trained once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TINY_ENV = {"AUTOMMLAB_DEPLOY__LATENCY_RUNS": "30", "AUTOMMLAB_DEPLOY__WARMUP_RUNS": "5",
            "AUTOMMLAB_PLUGINS__DATAPOOL__DEMO_SCALE": "0.25", "COLUMNS": "400"}  # no line wrapping in logs


def autommlab(*args: str, cwd: Path, env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).with_name("autommlab"))
    return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


#: a directory holding a finished tiny run (its runs/ and home/) to reuse instead of training one (development)
REUSE = os.environ.get("AUTOMMLAB_TEST_REUSE_TINY_RUN")


@pytest.fixture(scope="session")
def tiny_env(tmp_path_factory) -> tuple[Path, dict]:
    root = Path(REUSE) if REUSE else tmp_path_factory.mktemp("tiny_run")
    # AUTOMMLAB_TEST_* configure the tests, not AutoMMLab (whose config would reject them as unknown keys)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AUTOMMLAB_TEST_")},
           "AUTOMMLAB_HOME": str(root / "home"), **TINY_ENV}
    env.pop("AUTOMMLAB_CONFIG", None)
    return root, env


@pytest.fixture(scope="session")
def tiny_run(tiny_env) -> Path:
    """The demo request at a hundredth of the paper's budget (20-50 iterations), one trial: a real,
    finished run directory."""
    pytest.importorskip("mmpretrain", reason="the tiny run needs the full stack (scripts/install.sh)")
    pytest.importorskip("onnxruntime")
    root, env = tiny_env
    if REUSE:
        return next((root / "runs").iterdir())
    from autommlab.cli import DEMO_REQUEST

    # the demo request as text, not --demo, so that the small latency budget above applies (--demo sets 100 runs)
    r = autommlab("run", DEMO_REQUEST, "--budget-scale", "0.01", "--max-trials", "1", cwd=root, env=env,
                  timeout=1500)
    assert r.returncode in (0, 3), r.stderr[-4000:]
    run_dir = next((root / "runs").iterdir())
    assert (run_dir / "report.md").is_file(), r.stderr[-4000:]
    return run_dir
