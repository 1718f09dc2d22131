"""Builders for the HPO tests: a model candidate, a data plan, a context, trials, a synthetic response."""

from __future__ import annotations

import math
from pathlib import Path

from autommlab.config import Settings
from autommlab.context import Context
from autommlab.hpo.store import TrialStore, make_record
from autommlab.schemas import DataPlan, HParams, ModelCandidate, Recipe, Request, Trial


def model_candidate(task="classification", pretrained=True, **recipe) -> ModelCandidate:
    r = {"optimizer": "SGD", "lr": 0.1, "weight_decay": 1e-4, "momentum": 0.9, "batch_size": 256,
         "schedule": "MultiStepLR"} | recipe
    return ModelCandidate(codebase="mmpretrain", name=f"{task}-net", task=task, recipe=Recipe(**r),
                          weights_local=Path("/weights/net.pth") if pretrained else None)


def data_plan(task="classification", n_train=240) -> DataPlan:
    return DataPlan(source="test", datasets=["toy"], task=task, format="imagenet", root=Path("."),
                    classes=["ants", "bees"], train_counts={"ants": n_train // 2, "bees": n_train - n_train // 2},
                    val_counts={"ants": 50, "bees": 50})


def request(task="classification") -> Request:
    return Request.model_validate({"data": {"object": ["ants", "bees"]}, "model": {"task": task}})


def ctx_for(scale=0.02, seed=0, stages=None, plugins=None, device="cpu") -> Context:
    s = Settings.model_validate({"hpo": {"budget_scale": scale, "seed": seed}, "stages": stages or {},
                                 "plugins": plugins or {}, "device": device})
    return Context(config=s, stage="propose_hparams")


def trial(i: int, hp: HParams, score: float | None, task="classification", error=None) -> Trial:
    if score is None:
        return Trial(index=i, model=f"{task}-net", codebase="mmpretrain", task=task, hparams=hp, status="failed",
                     error=error or "loss is nan (diverged)", primary_metric="accuracy")
    return Trial(index=i, model=f"{task}-net", codebase="mmpretrain", task=task, hparams=hp, status="finished",
                 metrics={"accuracy": score}, primary_metric="accuracy")


def response(hp: HParams) -> float | None:
    """A SYNTHETIC response surface for unit tests only: peak at SGD lr 0.01; lr > 0.05 diverges."""
    if hp.lr > 0.05:
        return None
    peak = {"SGD": 0.01, "AdamW": 1e-3, "Adam": 1e-3, "RMSprop": 1e-3}[hp.optimizer]
    bonus = {"SGD": 0.1, "AdamW": 0.05, "Adam": 0.0, "RMSprop": -0.05}[hp.optimizer]
    return max(0.0, min(1.0, 0.8 + bonus - 0.15 * abs(math.log10(hp.lr / peak)) ** 1.5))


def propose_llm(cfg: dict, history: list[Trial]) -> HParams:
    """HPO-LLaMA's proposal under ``[plugins.hpo_llama] = cfg`` (a local model or an endpoint); fails on a decline."""
    from autommlab_hpo_llama import plugin

    ctx = ctx_for(plugins={"hpo_llama": cfg})
    hp = plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(),
                                          history=history, ctx=ctx)
    assert hp is not None, ctx.declines
    return hp
