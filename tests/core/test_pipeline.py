"""The pipeline with in-test plugins: a full run, requirement checks, crash + resume."""

import json

import pytest

from autommlab.pipeline import Pipeline
from autommlab.rundir import RunDir

from . import fakes
from .conftest import request_text


def run_pipeline(settings, pm, text):
    return Pipeline(settings, pm, log=lambda m: None).run(text)


def test_full_run_writes_every_stage_and_report(settings, pm):
    settings.hpo.max_trials = 3
    result = run_pipeline(settings, pm, request_text(parameters={"value": 5, "unit": "M"}))
    run = RunDir.open(result.run_dir)
    assert all(run.record.stages[s].status == "done" for s in run.record.stages), run.record.stages
    for f in ("request.txt", "request.json", "data.json", "model.json", "candidates.json", "deployment.json", "report.md"):
        assert (result.run_dir / f).is_file(), f
    # the params limit (5 M) excludes big-net (25 M): small-net is chosen
    assert [m.name for m in result.models] == ["small-net"]
    cands = json.loads((result.run_dir / "candidates.json").read_text())["candidates"]
    assert cands[1]["name"] == "big-net" and cands[1]["violations"] == ["params 25 M > limit 5 M"]
    # lr sequence 1e-2, 3e-3, 1e-3: the fake metric peaks at 1e-3 (0.95 >= target 0.9, stop there)
    assert [t.index for t in result.trials] == [1, 2, 3]
    assert result.best.index == 3 and run.record.stop_reason == "target 0.9 reached"
    report = (result.run_dir / "report.md").read_text()
    assert "All stated requirements met" in report
    assert "| accuracy >= 0.9 | 0.9500 (deployed onnxruntime model on val) | yes |" in report
    assert result.requirements_met is True
    # every trial went into the trial record
    lines = (settings.home_dir / "trials.jsonl").read_text().splitlines()
    assert len(lines) == 3 and json.loads(lines[0])["model"]["name"] == "small-net"


def test_target_reached_stops_the_loop_early(settings, pm):
    settings.hpo.max_trials = 5
    fakes.FAKE["lr_sequence"] = [0.001]
    result = run_pipeline(settings, pm, request_text())
    assert len(result.trials) == 1


def test_missed_requirement_is_reported(settings, pm):
    settings.hpo.max_trials = 2  # only lr 1e-2 and 3e-3: best 0.85 < 0.9
    result = run_pipeline(settings, pm, request_text(speed={"value": 200, "unit": "fps"}))
    assert result.requirements_met is False
    checks = {c.requirement.split(" ")[0]: c for c in result.requirements}
    assert not checks["accuracy"].met and "0.8" in checks["accuracy"].measured
    assert not checks["speed"].met and "p50 10.00 ms" in checks["speed"].measured
    assert "Some stated requirements were NOT met" in (result.run_dir / "report.md").read_text()


def test_crash_mid_hpo_then_resume_loses_no_finished_trial(settings, pm):
    settings.hpo.max_trials = 4
    fakes.FAKE["lr_sequence"] = [0.1, 0.03, 0.01, 0.003]  # target 0.9 never reached: all 4 trials run
    fakes.FAKE["crash_on_trial"] = 3
    with pytest.raises(RuntimeError, match="simulated crash in trial 3"):
        run_pipeline(settings, pm, request_text())
    run_path = next((settings.run_dir).iterdir())
    run = RunDir.open(run_path)
    assert run.record.stages["hpo"].status == "failed" and run.record.trials == [1, 2]
    trial1 = (run_path / "trials/01/trial.json").read_text()
    hp3 = (run_path / "trials/03/hparams.json").read_text()
    assert not (run_path / "trials/03/trial.json").exists()
    assert "stopped at stage `hpo`" in (run_path / "report.md").read_text()

    fakes.FAKE["crash_on_trial"] = None
    fakes.FAKE["train_calls"].clear()
    proposals_before, parses_before = fakes.FAKE["propose_calls"], fakes.FAKE["parse_calls"]
    result = Pipeline(settings, pm, log=lambda m: None).resume(run_path)
    assert fakes.FAKE["train_calls"] == [3, 4]  # finished trials 1-2 are not rerun
    assert fakes.FAKE["parse_calls"] == parses_before  # finished stages are not rerun
    assert fakes.FAKE["propose_calls"] == proposals_before + 1  # trial 3 reuses its saved proposal
    assert (run_path / "trials/01/trial.json").read_text() == trial1
    assert (run_path / "trials/03/hparams.json").read_text() == hp3
    assert [t.index for t in result.trials] == [1, 2, 3, 4]
    assert RunDir.open(run_path).record.stages["report"].status == "done"
    assert len((settings.home_dir / "trials.jsonl").read_text().splitlines()) == 4


def test_missing_stage_plugin_stops_with_reason(settings, pm):
    pm.unregister("fakes")
    result = run_pipeline(settings, pm, request_text())
    assert result.failed_stage == "parse"
    assert "no installed plugin implements parse" in result.error
    assert RunDir.open(result.run_dir).record.stages["parse"].status == "failed"


def test_run_dirs_created_at_once_never_collide(tmp_path):
    """run --batch --jobs N starts runs in the same second with the same slug: each gets its own directory."""
    from concurrent.futures import ThreadPoolExecutor

    from autommlab.rundir import RunDir

    with ThreadPoolExecutor(8) as pool:
        runs = list(pool.map(lambda _: RunDir.create(tmp_path / "runs", "same request", {}), range(16)))
    assert len({r.path for r in runs}) == 16 and all((r.path / "run.json").is_file() for r in runs)
