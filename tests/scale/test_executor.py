"""The executor seam without Ray: choosing an executor, several trials in flight, interrupted trials."""

from __future__ import annotations

import json

import pytest

from autommlab import hookimpl
from autommlab.context import Context
from autommlab.errors import StageUnavailable
from autommlab.executor import LocalExecutor, Outcome, make_executor, train_one
from autommlab.pipeline import Pipeline
from autommlab.plugins import PluginManager
from autommlab.rundir import RunDir
from tests.core import fakes
from tests.core.conftest import request_text

from .conftest import scale_settings, stages


class TwoAtOnce:
    """An in-process executor that holds two jobs before training them (the order a parallel one could give)."""

    name = "two"
    capacity = 2

    def __init__(self, pm, ctx):
        self.local = LocalExecutor(pm, ctx)
        self.batches: list[list[int]] = []
        self.queue = []

    def submit(self, job):
        self.queue.append(job)

    def wait(self):
        self.batches.append([j.index for j in self.queue])
        out = []
        for job in reversed(self.queue):  # finish in reverse order: the loop must not depend on order
            try:
                out.append(Outcome(job, trial=train_one(self.local.pm, self.local.ctx, job)))
            except Exception as e:
                out.append(Outcome(job, error=e))
        self.queue = []
        return out

    def close(self):
        pass


class TwoPlugin:
    def __init__(self, pm):
        self.pm, self.made = pm, []

    @hookimpl
    def autommlab_executor(self, name, ctx):
        if name != "two":
            return None
        ex = TwoAtOnce(self.pm, ctx)
        self.made.append(ex)
        return ex


def _pm(settings):
    return PluginManager(stages=settings.stages, load_entrypoints=False, disabled=["offline_parser", "recipe_hpo"],
                         modules=["tests.core.fakes"])


def test_unknown_executor_names_the_providers(tmp_path):
    pm = PluginManager(load_entrypoints=False)
    with pytest.raises(StageUnavailable, match="executor = 'nope'.*autommlab-ray"):
        make_executor("nope", pm, Context())


def test_two_in_flight_across_models_and_a_crash_keeps_the_other(tmp_path):
    settings = scale_settings(tmp_path, executor="two", models_per_run=2, stages=stages(train="fakes"))
    pm = _pm(settings)
    plugin = TwoPlugin(pm)
    pm.register(plugin, name="two")
    fakes.FAKE["crash_on_trial"] = 1
    with pytest.raises(RuntimeError, match="simulated crash in trial 1"):
        Pipeline(settings, pm, log=lambda m: None).run(request_text())
    assert plugin.made[0].batches == [[1, 2]]  # one trial of each model (the fake strategy is sequential)
    run_path = next(settings.run_dir.iterdir())
    run = RunDir.open(run_path)
    assert run.record.trials == [2] and run.record.stages["hpo"].status == "failed"
    assert (run_path / "trials/02/trial.json").is_file() and not (run_path / "trials/01/trial.json").exists()
    assert json.loads((run_path / "trials/01/job.json").read_text())["model"]["name"] == "big-net"

    fakes.FAKE.update(crash_on_trial=None, train_calls=[])
    result = Pipeline(settings, pm, log=lambda m: None).resume(run_path)
    assert fakes.FAKE["train_calls"] == [1]  # only the interrupted one, with its own model
    assert [(t.index, t.model) for t in result.trials] == [(1, "big-net"), (2, "small-net")]
    lines = (settings.home_dir / "trials.jsonl").read_text().splitlines()
    assert sorted(json.loads(x)["trial_index"] for x in lines) == [1, 2]


def test_local_resume_reruns_an_interrupted_trial_before_a_later_finished_one(tmp_path):
    """A parallel executor can leave trial 1 unfinished and trial 2 finished; resuming locally reruns 1 only."""
    settings = scale_settings(tmp_path, stages=stages(train="fakes"), hpo={"budget_scale": 0.005, "max_trials": 2})
    pm = _pm(settings)
    fakes.FAKE["lr_sequence"] = [0.1, 0.03]  # the target is never met: both trials run
    first = Pipeline(settings, pm, log=lambda m: None).run(request_text())
    run = RunDir.open(first.run_dir)
    hp1 = (run.trial_dir(1) / "hparams.json").read_text()
    (run.trial_dir(1) / "trial.json").unlink()  # as if trial 1's worker was lost
    run.record.trials = [2]
    for stage in ("hpo", "deploy", "report"):
        run.record.stages[stage].status = "pending"
    run.save()
    fakes.FAKE["train_calls"] = []
    result = Pipeline(settings, pm, log=lambda m: None).resume(run.path)
    assert fakes.FAKE["train_calls"] == [1]
    assert (run.trial_dir(1) / "hparams.json").read_text() == hp1
    assert [t.index for t in result.trials] == [1, 2] and result.failed_stage is None


def test_run_batch_locally_one_after_another(tmp_path):
    from autommlab import cli

    from .conftest import MODULES
    (tmp_path / "autommlab.toml").write_text(
        f'home = "{tmp_path / "home"}"\nrun_dir = "{tmp_path / "runs"}"\n'
        f'disabled_plugins = ["offline_parser", "recipe_hpo"]\nplugin_modules = {json.dumps(MODULES)}\n'
        '[stages]\n' + "".join(f'{k} = "{v}"\n' for k, v in stages().items()) +
        '[hpo]\nbudget_scale = 0.005\nmax_trials = 1\n[plugins.scale_fakes]\nsleep_s = 0\n')
    fakes.FAKE["lr_sequence"] = [0.001]  # accuracy 0.95: the 0.9 target is met
    batch = tmp_path / "requests.jsonl"
    batch.write_text("".join(json.dumps({"id": f"r{i}", "requirement": request_text()}) + "\n" for i in (1, 2)))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", "--batch", str(batch)])
    assert exit_info.value.code == 0
    rows = [json.loads(x) for x in next((tmp_path / "runs").glob("batch-*.jsonl")).read_text().splitlines()]
    assert [(r["id"], r["exit_code"], r["score"]) for r in rows] == [("r1", 0, 0.95), ("r2", 0, 0.95)]
    assert len({r["run_dir"] for r in rows}) == 2
