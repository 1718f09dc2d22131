"""Fixtures for the deploy tests: briefly trained trials and their ONNX Runtime deployments (session-scoped)."""

from __future__ import annotations

import importlib.util

import pytest

HEAVY = ("torch", "mmengine", "mmdeploy", "onnxruntime", "autommlab_openmmlab")


def heavy_missing() -> list[str]:
    return [m for m in HEAVY if importlib.util.find_spec(m) is None]


needs_stack = pytest.mark.skipif(bool(heavy_missing()), reason=f"OpenMMLab stack not installed: {heavy_missing()}")


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """task -> Trained, trained once per session on first use."""
    from .trained import train_trial

    cache: dict = {}

    def get(task: str):
        if task not in cache:
            cache[task] = train_trial(task, tmp_path_factory.mktemp(f"train_{task[:3]}"))
        return cache[task]

    return get


@pytest.fixture(scope="session")
def deployed(trained, tmp_path_factory):
    """task -> (Trained, Deployment, run dir) deployed on ONNX Runtime CPU once per session."""
    from autommlab_deploy_ort import plugin

    from .trained import context

    cache: dict = {}

    def get(task: str):
        if task not in cache:
            t = trained(task)
            run = tmp_path_factory.mktemp(f"run_{task[:3]}")
            target = t.target(run / "deploy" / "onnxruntime", runs=10, warmup=2, min_fps=1.0)
            ctx = context("deploy")
            dep = plugin.autommlab_deploy(trial=t.trial, target=target, ctx=ctx)
            assert dep is not None, ctx.declines
            cache[task] = (t, dep, run)
        return cache[task]

    return get
