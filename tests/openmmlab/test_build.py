"""build_config: a complete mmengine Config from zoo config + DataPlan + HParams (no training)."""

from __future__ import annotations

import pytest

from autommlab_openmmlab import build_config, synthetic
from autommlab_openmmlab.build import param_schedulers

from .conftest import CODEBASE, default_candidate, make_ctx, make_job


@pytest.mark.parametrize("task", list(CODEBASE))
def test_build_config_for_each_task(task, tmp_path, shared_home):
    from mmengine.config import Config

    plan = synthetic.make_plan(task, tmp_path / "data", n_train=6, n_val=3)
    cand = default_candidate(task, plan, make_ctx(shared_home))
    job = make_job(task, plan, cand, tmp_path / "work", iters=30, warmup_iters=5, lr_schedule="MultiStepLR")
    cfg = build_config(job)
    path = tmp_path / "config.py"
    cfg.dump(str(path))
    text = path.read_text()
    assert "https://" not in text, "a remote pretrained checkpoint is left in the config"
    assert "SyncBN" not in text
    back = Config.fromfile(str(path))
    assert back.default_scope == CODEBASE[task]
    assert back.train_cfg == dict(type="IterBasedTrainLoop", max_iters=30, val_interval=10)
    assert back.default_hooks.checkpoint.save_best and back.default_hooks.checkpoint.interval == -1
    assert back.test_pipeline and back.val_dataloader.dataset.pipeline == back.test_pipeline
    assert back.optim_wrapper.optimizer.type == "AdamW" and back.optim_wrapper.optimizer.lr == 1e-3
    assert [s["type"] for s in back.param_scheduler] == ["LinearLR", "MultiStepLR"]
    n = len(plan.metainfo["keypoint_names"]) if task == "keypoint" else len(plan.classes)
    assert f"num_classes={n}" in text or f"out_channels={n}" in text
    assert back.load_from is None and back.randomness.seed == 0


def _lr_curve(hp) -> list[float]:
    """The lr of each training iteration, stepping mmengine's own schedulers built from ``param_schedulers``."""
    import mmengine.optim  # noqa: F401  (registers the schedulers)
    import torch
    from mmengine.registry import PARAM_SCHEDULERS

    opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=hp.lr)
    schedulers = [PARAM_SCHEDULERS.build(dict(c, optimizer=opt)) for c in param_schedulers(hp)]
    curve = []
    for _ in range(hp.iters):
        curve.append(opt.param_groups[0]["lr"])
        opt.step()
        for s in schedulers:
            s.step()
    return curve


@pytest.mark.parametrize("warmup", [0, 1, 2, 10])
@pytest.mark.parametrize("sched", ["CosineAnnealingLR", "StepLR", "PolyLR", "MultiStepLR"])
def test_schedule_warms_up_to_the_full_lr(sched, warmup):
    """Warm-up ramps for ``warmup_iters`` iterations, the lr is the full lr at iteration ``warmup_iters`` and the
    schedule then decays over the rest (a 1-iteration warm-up once left the whole run at lr x 1e-3)."""
    from autommlab.schemas import HParams

    hp = HParams(optimizer="SGD", lr=0.01, weight_decay=1e-4, lr_schedule=sched, iters=60, warmup_iters=warmup,
                 batch_size=4)
    curve = _lr_curve(hp)
    assert curve[warmup] == pytest.approx(0.01)
    assert all(lr < 0.01 for lr in curve[:warmup])
    assert max(curve) == pytest.approx(0.01) and curve[-1] < 0.01
    assert all(b <= a * (1 + 1e-9) for a, b in zip(curve[warmup:], curve[warmup + 1:])), "lr rose after warm-up"
