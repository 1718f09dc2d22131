"""The built-in recipe strategy: first proposal from the zoo recipe, refinement from history."""

from __future__ import annotations

import pytest

from autommlab.hpo import plugin
from autommlab.hpo.recipe import first_proposal, scale_lr
from autommlab.hpo.refine import next_proposal
from autommlab.hpo.space import same_config
from autommlab.schemas import iters_range

from hpo_helpers import ctx_for, data_plan, model_candidate, request, response, trial


def test_first_proposal_scales_recipe_lr_linearly_for_sgd():
    hp = first_proposal(model_candidate(pretrained=True), data_plan(), "cpu", 0.02)
    assert hp.optimizer == "SGD" and hp.batch_size == 8
    assert hp.lr == pytest.approx(0.1 * 8 / 256 * 0.2)  # pretrained: the fine-tuning lr (x0.2 for classification)
    assert hp.lr_schedule == "MultiStepLR" and hp.momentum == 0.9
    assert hp.proposer == "recipe_hpo" and "linear scaling" in hp.rationale
    hp.check("classification", 0.02)


def test_adam_family_uses_sqrt_scaling():
    assert scale_lr(1e-3, "AdamW", 64, 256) == pytest.approx(5e-4)
    assert scale_lr(0.1, "SGD", 64, 256) == pytest.approx(0.025)


def test_from_scratch_small_batch_sgd_falls_back_to_robust_default():
    hp = first_proposal(model_candidate(pretrained=False), data_plan(), "cpu", 0.02)
    assert (hp.optimizer, hp.lr, hp.lr_schedule) == ("AdamW", 1e-3, "CosineAnnealingLR")
    assert "unreliable" in hp.rationale


def test_unknown_recipe_uses_robust_default():
    hp = first_proposal(model_candidate(optimizer="LARS"), data_plan(), "cpu", 0.02)
    assert hp.optimizer == "AdamW" and "unknown" in hp.rationale


def test_schedule_length_from_dataset_size_within_range():
    lo, hi = iters_range("classification", 1.0)
    small = first_proposal(model_candidate(), data_plan(n_train=40), "cpu", 1.0)
    big = first_proposal(model_candidate(), data_plan(n_train=4000), "cpu", 1.0)
    assert small.iters == lo  # 24 epochs x 5 iters = 120, clipped up
    assert big.iters == hi  # 24 x 500 = 12000, clipped down
    mid = first_proposal(model_candidate(), data_plan(n_train=1000), "cpu", 1.0)
    assert mid.iters == 24 * 125 and 0 < mid.warmup_iters <= mid.iters // 10


def test_batch_never_exceeds_train_set_and_respects_task_range():
    hp = first_proposal(model_candidate(task="segmentation"), data_plan("segmentation", n_train=3), "cuda", 0.02)
    assert hp.batch_size == 3
    hp = first_proposal(model_candidate(task="detection"), data_plan("detection"), "cuda", 0.02)
    assert hp.batch_size == 8


def test_failure_lowers_lr_and_oom_halves_batch():
    first = first_proposal(model_candidate(), data_plan(), "cpu", 0.02)
    nxt = next_proposal("classification", 0.02, [trial(1, first, None)])
    assert nxt.lr == pytest.approx(first.lr / 10) and nxt.batch_size == first.batch_size
    oom = next_proposal("classification", 0.02, [trial(1, first, None, error="CUDA out of memory")])
    assert oom.batch_size == first.batch_size // 2 and oom.lr < first.lr


def test_two_sgd_failures_switch_to_adamw():
    first = first_proposal(model_candidate(), data_plan(), "cpu", 0.02)
    second = next_proposal("classification", 0.02, [trial(1, first, None)])
    third = next_proposal("classification", 0.02, [trial(1, first, None), trial(2, second, None)])
    assert third.optimizer == "AdamW"


def test_refinement_climbs_the_response_and_never_repeats():
    """On a surface peaking at SGD lr 0.01, starting from lr 0.003 the strategy must reach the peak
    (recipe lr 0.48 @ 256 -> 0.015 @ batch 8 -> x0.2 for fine-tuning = 0.003)."""
    ctx = ctx_for()
    hist = []
    for i in range(1, 6):
        hp = plugin.autommlab_propose_hparams(request=request(), data=data_plan(),
                                              model=model_candidate(lr=0.48), history=hist, ctx=ctx)
        assert not any(same_config(hp, t.hparams) for t in hist)
        hp.check("classification", 0.02)
        hist.append(trial(i, hp, response(hp)))
    assert hist[0].hparams.lr == pytest.approx(0.003)
    best = max(t.score for t in hist if t.score is not None)
    assert best > hist[0].score + 0.05
    assert best >= response(hist[0].hparams.model_copy(update={"lr": 0.009}))


def test_deterministic():
    ctx = ctx_for(seed=3)
    runs = []
    for _ in range(2):
        hist = []
        for i in range(1, 5):
            hp = plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(),
                                                  history=hist, ctx=ctx)
            hist.append(trial(i, hp, response(hp)))
        runs.append([t.hparams for t in hist])
    assert runs[0] == runs[1]


def test_bad_batch_override_is_a_usage_error():
    from autommlab.errors import UsageError
    with pytest.raises(UsageError, match="recipe_hpo"):
        plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(), history=[],
                                         ctx=ctx_for(plugins={"recipe_hpo": {"batch_size": "big"}}))
