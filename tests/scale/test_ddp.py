"""A 2-process gloo DDP trial on CPU (torchrun) through the pipeline: it finishes and is recorded once."""

from __future__ import annotations

import json

import pytest

from autommlab import hookimpl
from autommlab.pipeline import Pipeline
from autommlab.plugins import PluginManager
from autommlab.rundir import RunDir
from tests.core import fakes
from tests.core.conftest import request_text
from tests.openmmlab.conftest import POOL, default_candidate, hymenoptera_plan, make_ctx

from .conftest import scale_settings, stages

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (POOL / "hymenoptera").is_dir(), reason="shared/datapool is not there")]


class RealDataAndModel:
    """select-data / select-model over the real hymenoptera set and the mmpretrain default model."""

    def __init__(self, tmp, home):
        self.tmp, self.home = tmp, home

    @hookimpl
    def autommlab_select_data(self, request, ctx):
        (self.tmp / "data").mkdir(exist_ok=True)
        return [hymenoptera_plan(self.tmp / "data")]

    @hookimpl
    def autommlab_select_model(self, request, data, ctx):
        return [default_candidate("classification", data, make_ctx(self.home))]


def test_two_process_gloo_trial_finishes_and_is_recorded_once(tmp_path):
    pytest.importorskip("mmpretrain")
    settings = scale_settings(
        tmp_path, train={"nproc": 2}, hpo={"budget_scale": 0.003, "max_trials": 1},  # 6 iterations
        stages=stages(select_data="real", select_model="real", train="mmpretrain"), plugin_modules=[])
    pm = PluginManager(stages=settings.stages, disabled=settings.disabled_plugins)
    pm.register(fakes, name="fakes")
    pm.register(RealDataAndModel(tmp_path, settings.home_dir), name="real")
    fakes.FAKE["lr_sequence"] = [0.001]
    result = Pipeline(settings, pm, log=lambda m: None).run(request_text(metrics=[]))
    assert result.failed_stage is None, result.error
    run = RunDir.open(result.run_dir)
    assert run.record.trials == [1]
    trial = result.trials[0]
    assert trial.status == "finished" and 0 <= trial.metrics["accuracy"] <= 1
    assert any(n.startswith("DDP: 2 processes (gloo), batch 2 per process = 4") for n in trial.notes), trial.notes
    work = run.trial_dir(1) / "work"
    log = (work / "ddp" / "torchrun.log").read_text()
    record = json.loads((work / "metrics.json").read_text())
    assert len(record["loss"]) == 6 and record["metrics"] == trial.metrics  # rank 0 alone wrote it
    assert (work / "best.pth").is_file()
    lines = (settings.home_dir / "trials.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["metrics"] == trial.metrics, log[-2000:]
