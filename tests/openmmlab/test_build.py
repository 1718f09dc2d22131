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


def test_schedules_cover_the_iterations():
    from autommlab.schemas import HParams

    for sched in ("CosineAnnealingLR", "StepLR", "PolyLR", "MultiStepLR"):
        hp = HParams(optimizer="SGD", lr=0.01, weight_decay=1e-4, lr_schedule=sched, iters=100, warmup_iters=10,
                     batch_size=4)
        s = param_schedulers(hp)
        assert s[0]["end"] == 10 and s[1]["begin"] == 10 and s[1]["end"] == 100 and not s[1]["by_epoch"]
