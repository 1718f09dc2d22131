"""optuna_hpo with Optuna's RDB storage (SQLite here): batches, results told once, a study shared by runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from autommlab.config import Settings
from autommlab.context import Context
from autommlab.errors import UsageError
from autommlab.schemas import DataPlan, ModelCandidate, Request, Trial

optuna = pytest.importorskip("optuna")
from autommlab_contrib import optuna_hpo  # noqa: E402

MODEL = ModelCandidate(codebase="mmpretrain", name="net", task="classification")
DATA = DataPlan(source="test", datasets=["toy"], task="classification", format="imagenet", root=Path("."),
                classes=["a", "b"], train_counts={"a": 10, "b": 10})
REQUEST = Request.model_validate({"model": {"task": "classification"}})


def _ctx(tmp: Path, run: str, **cfg) -> Context:
    plugin = {"storage": f"sqlite:///{tmp / 'optuna.db'}", "seed": 0, "fixed": {"batch_size": 8}, **cfg}
    s = Settings.model_validate({"hpo": {"budget_scale": 0.02}, "stages": {"propose_hparams": "optuna_hpo"},
                                 "plugins": {"optuna_hpo": plugin}})
    return Context(config=s, run_dir=tmp / run, stage="propose_hparams")


def _trial(i: int, hp, score: float) -> Trial:
    return Trial(index=i, model="net", codebase="mmpretrain", task="classification", hparams=hp, status="finished",
                 metrics={"accuracy": score}, primary_metric="accuracy")


def _states(tmp: Path, name: str) -> dict[str, int]:
    study = optuna.load_study(study_name=name, storage=f"sqlite:///{tmp / 'optuna.db'}")
    out: dict[str, int] = {}
    for t in study.get_trials(deepcopy=False):
        out[t.state.name] = out.get(t.state.name, 0) + 1
    return out


def test_batch_is_running_in_the_db_then_told_once(tmp_path):
    ctx = _ctx(tmp_path, "run-a")
    hps = optuna_hpo.autommlab_propose_batch(request=REQUEST, data=DATA, model=MODEL, history=[], pending=[], n=2,
                                             ctx=ctx)
    assert len(hps) == 2 and hps[0] != hps[1]
    assert _states(tmp_path, "autommlab-run-a-net") == {"RUNNING": 2}
    history = [_trial(1, hps[0], 0.6), _trial(2, hps[1], 0.7)]
    optuna_hpo.autommlab_propose_hparams(request=REQUEST, data=DATA, model=MODEL, history=history, ctx=ctx)
    assert _states(tmp_path, "autommlab-run-a-net") == {"COMPLETE": 2, "RUNNING": 1}  # told, not copied
    optuna_hpo.autommlab_propose_hparams(request=REQUEST, data=DATA, model=MODEL, history=history, ctx=ctx)
    assert _states(tmp_path, "autommlab-run-a-net") == {"COMPLETE": 2, "RUNNING": 2}  # history not added twice
    study = optuna.load_study(study_name="autommlab-run-a-net", storage=f"sqlite:///{tmp_path / 'optuna.db'}")
    assert sorted(t.value for t in study.trials if t.value is not None) == [0.6, 0.7]


def test_runs_naming_one_study_share_it(tmp_path):
    a = optuna_hpo.autommlab_propose_hparams(request=REQUEST, data=DATA, model=MODEL, history=[],
                                             ctx=_ctx(tmp_path, "run-a", study_name="shared"))
    b_hist = [_trial(1, a, 0.5)]  # run b knows nothing of a's trial; a trial of its own
    optuna_hpo.autommlab_propose_hparams(request=REQUEST, data=DATA, model=MODEL, history=b_hist,
                                         ctx=_ctx(tmp_path, "run-b", study_name="shared"))
    study = optuna.load_study(study_name="shared", storage=f"sqlite:///{tmp_path / 'optuna.db'}")
    runs = sorted(t.user_attrs.get("autommlab_run") for t in study.trials)
    assert runs == ["run-a", "run-b", "run-b"]  # a's running ask, b's finished trial and b's running ask


def test_bad_storage_url_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="storage"):
        optuna_hpo.autommlab_propose_hparams(request=REQUEST, data=DATA, model=MODEL, history=[],
                                             ctx=_ctx(tmp_path, "run-a", storage="redis://localhost"))
