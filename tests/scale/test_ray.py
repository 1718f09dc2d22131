"""Trials on a local Ray cluster (2 CPUs, 127.0.0.1): parallel trials, a killed worker, batches of requests."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

from autommlab.pipeline import Pipeline
from autommlab.rundir import RunDir
from tests.core.conftest import request_text

from . import scale_fakes
from .conftest import MODULES, manager, scale_settings, stages

pytest.importorskip("ray")


def _run(settings, text):
    return Pipeline(settings, manager(settings), log=lambda m: None).run(text)


def _store_lines(settings) -> list[dict]:
    f = settings.home_dir / "trials.jsonl"
    return [json.loads(line) for line in f.read_text().splitlines()] if f.exists() else []


def _listening_sockets(pids: set[int]) -> list[ipaddress._BaseAddress]:
    """Local addresses of the TCP sockets in LISTEN state that processes ``pids`` hold (from /proc)."""
    inodes: set[str] = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = fd.readlink().as_posix()
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] == "0A" and cols[9] in inodes:  # 0A = LISTEN
                raw = bytes.fromhex(cols[1].split(":")[0])
                # /proc writes each 32-bit word in host (little-endian) order
                addr = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                out.append(ipaddress.ip_address(addr))
    return out


def _is_loopback(addr) -> bool:
    mapped = getattr(addr, "ipv4_mapped", None)
    return addr.is_loopback or (mapped is not None and mapped.is_loopback)


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for c in children.get(pid, []):
            if c not in seen:
                seen.add(c)
                todo.append(c)
    return seen


def test_ray_servers_listen_on_loopback_only(ray_local):
    import os

    pids = _descendants(os.getpid()) | {os.getpid()}
    listening = _listening_sockets(pids)
    assert listening, "found no listening socket of the Ray processes (is /proc readable?)"
    outside = [str(a) for a in listening if not _is_loopback(a)]
    assert not outside, f"Ray listens beyond loopback: {outside}"


def test_two_trials_run_at_once_and_both_land_in_run_json(ray_local, tmp_path):
    settings = scale_settings(tmp_path, executor="ray", models_per_run=2, plugins={"scale_fakes": {"sleep_s": 3}})
    result = _run(settings, request_text())
    assert result.failed_stage is None, result.error
    run = RunDir.open(result.run_dir)
    assert sorted(run.record.trials) == [1, 2]
    assert {t.model for t in result.trials} == {"big-net", "small-net"}
    spans = [scale_fakes.attempts(run.trial_dir(i) / "work")[-1] for i in (1, 2)]
    (a, b) = spans
    assert a["pid"] != b["pid"], "both trials ran in one worker process"
    assert a["start"] < b["end"] and b["start"] < a["end"], f"the trials did not overlap: {spans}"
    assert sorted(r["trial_index"] for r in _store_lines(settings)) == [1, 2]


def test_batch_strategy_proposes_several_at_once_and_matches_sequential(ray_local, tmp_path):
    pytest.importorskip("autommlab_contrib")
    common = dict(models_per_run=1, hpo={"budget_scale": 0.005, "max_trials": 2},
                  stages=stages(propose_hparams="random_hpo"),
                  plugin_modules=MODULES + ["autommlab_contrib.random_hpo"],
                  plugins={"scale_fakes": {"sleep_s": 2}, "random_hpo": {"fixed": {"iters": 10, "batch_size": 4}}})
    par = _run(scale_settings(tmp_path / "par", executor="ray", **common), request_text())
    seq = _run(scale_settings(tmp_path / "seq", executor="local", **common), request_text())
    assert par.failed_stage is None and seq.failed_stage is None, (par.error, seq.error)
    assert [t.hparams for t in par.trials] == [t.hparams for t in seq.trials]
    runp = RunDir.open(par.run_dir)
    a, b = (scale_fakes.attempts(runp.trial_dir(i) / "work")[-1] for i in (1, 2))
    assert a["start"] < b["end"] and b["start"] < a["end"], "random search's two proposals did not run at once"


def test_killed_worker_is_retried_and_recorded_once(ray_local, tmp_path):
    settings = scale_settings(tmp_path, executor="ray", plugins={"scale_fakes": {"sleep_s": 0.5,
                                                                                 "kill_first_attempt": [1]}})
    result = _run(settings, request_text())
    assert result.failed_stage is None, result.error
    run = RunDir.open(result.run_dir)
    tries = scale_fakes.attempts(run.trial_dir(1) / "work")
    assert [t["event"] for t in tries] == ["start", "start", "end"], tries  # killed once, then finished
    assert tries[0]["pid"] != tries[1]["pid"]
    assert run.record.trials == [1] and [t.index for t in result.trials] == [1]
    assert [r["trial_index"] for r in _store_lines(settings)] == [1]


def test_plugin_error_on_ray_fails_the_run_after_the_other_trial_and_resume_finishes_it(ray_local, tmp_path):
    settings = scale_settings(tmp_path, executor="ray", models_per_run=2,
                              plugins={"scale_fakes": {"sleep_s": 1, "raise_first_attempt": [1]}})
    with pytest.raises(RuntimeError, match="simulated bug in trial 1"):
        _run(settings, request_text())
    run_path = next(settings.run_dir.iterdir())
    run = RunDir.open(run_path)
    assert run.record.trials == [2] and run.record.stages["hpo"].status == "failed"
    result = Pipeline(settings, manager(settings), log=lambda m: None).resume(run_path)
    assert result.failed_stage is None, result.error
    assert sorted(RunDir.open(run_path).record.trials) == [1, 2]
    assert len(scale_fakes.attempts(run.trial_dir(2) / "work")) == 2  # trial 2 ran once: a start and an end
    assert sorted(r["trial_index"] for r in _store_lines(settings)) == [1, 2]


def test_run_batch_one_directory_per_request_worst_exit_code(ray_local, tmp_path):
    from autommlab import cli

    (tmp_path / "autommlab.toml").write_text(
        f'home = "{tmp_path / "home"}"\nrun_dir = "{tmp_path / "runs"}"\nexecutor = "ray"\n'
        f'disabled_plugins = ["offline_parser", "recipe_hpo"]\nplugin_modules = {json.dumps(MODULES)}\n'
        '[stages]\n' + "".join(f'{k} = "{v}"\n' for k, v in stages().items()) + '[hpo]\nbudget_scale = 0.005\nmax_trials = 1\n'
        '[plugins.scale_fakes]\nsleep_s = 0.5\n')
    fakes_lr = [0.001]  # tests/core/fakes: lr 1e-3 -> accuracy 0.95 (meets 0.9)
    from tests.core import fakes
    fakes.FAKE["lr_sequence"] = fakes_lr
    lines = [{"id": "ok", "requirement": request_text()},
             {"id": "too-slow", "requirement": request_text(speed={"value": 200, "unit": "fps"})},
             {"id": "bad-task", "requirement": json.dumps({"model": {"task": "counting"}})}]
    batch = tmp_path / "requests.jsonl"
    batch.write_text("".join(json.dumps(x) + "\n" for x in lines))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--batch", str(batch), "--jobs", "2"])
    assert exit_info.value.code == 1  # worst of 0 (ok), 3 (missed speed), 1 (failed parse)
    summary = next((tmp_path / "runs").glob("batch-*.jsonl"))
    rows = {r["id"]: r for r in map(json.loads, summary.read_text().splitlines())}
    assert {k: r["exit_code"] for k, r in rows.items()} == {"ok": 0, "too-slow": 3, "bad-task": 1}
    dirs = {rows["ok"]["run_dir"], rows["too-slow"]["run_dir"]}
    assert len(dirs) == 2 and all((Path(d) / "run.json").is_file() for d in dirs)
    assert rows["bad-task"]["failed_stage"] == "parse" or "counting" in (rows["bad-task"]["error"] or "")


def test_bad_batch_line_is_a_usage_error_naming_the_line(tmp_path):
    from autommlab import cli

    batch = tmp_path / "requests.jsonl"
    batch.write_text('{"id": "a", "requirement": "x"}\nnot json\n')
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--batch", str(batch)])
    assert exit_info.value.code == 2
