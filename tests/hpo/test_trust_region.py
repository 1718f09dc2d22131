"""The recipe strategy's later proposals (``hpo.trust_region``): moves, their order, and the replay table."""

from __future__ import annotations

from pathlib import Path

import pytest

from autommlab.errors import UsageError
from autommlab.hpo import plugin
from autommlab.hpo.recipe import first_proposal
from autommlab.hpo.refine import next_proposal
from autommlab.hpo.replay import group_records, replay
from autommlab.hpo.store import read_records

from hpo_helpers import ctx_for, data_plan, model_candidate, request, trial

TABLE = Path(__file__).parents[2] / "docs" / "bench" / "hpo_table.jsonl"


def _propose(model, hist, **cfg):
    return plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model, history=hist,
                                            ctx=ctx_for(plugins={"recipe_hpo": cfg} if cfg else None))


def test_recipe_as_written_is_the_second_prior_when_the_first_replaced_it():
    m = model_candidate(pretrained=False)  # SGD lr 0.1 @ 256 from scratch at batch 8: robust AdamW first
    first = first_proposal(m, data_plan(), "cpu", 0.02)
    assert first.optimizer == "AdamW"
    second = _propose(m, [trial(1, first, 0.6)])
    assert (second.optimizer, second.lr_schedule) == ("SGD", "MultiStepLR")
    assert second.lr == pytest.approx(0.1 * 8 / 256) and "second prior" in second.rationale
    # switched off: a decade lr step around the best instead
    third = _propose(m, [trial(1, first, 0.6)], second_prior=False)
    assert third.optimizer == "AdamW" and third.lr == pytest.approx(first.lr * 10)


def test_decade_bracket_then_line_search_in_the_improving_direction():
    m = model_candidate()  # pretrained: the recipe's SGD is used first (lr 0.003)
    first = first_proposal(m, data_plan(), "cpu", 0.02)
    up = _propose(m, [trial(1, first, 0.5)])
    assert up.optimizer == first.optimizer and up.lr == pytest.approx(first.lr * 10)
    # the step up was worse: the other side of the bracket
    down = _propose(m, [trial(1, first, 0.5), trial(2, up, 0.4)])
    assert down.lr == pytest.approx(first.lr / 10)
    # the step up improved: keep going up from the new centre
    further = _propose(m, [trial(1, first, 0.5), trial(2, up, 0.6)])
    assert further.lr == pytest.approx(min(first.lr * 100, 0.1))


def test_no_step_above_a_diverged_lr_then_a_refinement_towards_the_finished_side():
    m = model_candidate()
    first = first_proposal(m, data_plan(), "cpu", 0.02)
    up = _propose(m, [trial(1, first, 0.5)])
    hist = [trial(1, first, 0.5), trial(2, up, None)]  # lr 0.03 diverged
    nxt = _propose(m, hist)
    assert nxt.lr < up.lr and nxt.lr == pytest.approx(first.lr / 10)
    hist.append(trial(3, nxt, 0.3))
    refine = _propose(m, hist)  # bracketed at a decade: half a decade towards the finished neighbour
    assert refine.lr == pytest.approx(first.lr / 10 ** 0.5)


def test_parabola_vertex_when_the_best_is_bracketed():
    m = model_candidate()
    first = first_proposal(m, data_plan(), "cpu", 0.02)
    lo = first.model_copy(update={"lr": first.lr / 10})
    hi = first.model_copy(update={"lr": first.lr * 10})
    # concave in log lr, higher on the upper side: the vertex lies above the centre, within half a decade
    hist = [trial(1, first, 0.6), trial(2, hi, 0.5), trial(3, lo, 0.2)]
    hp = next_proposal("classification", 0.02, hist, model=m)
    assert "parabola" in hp.rationale and first.lr < hp.lr <= first.lr * 10 ** 0.5 * 1.0001


def test_bad_search_settings_are_usage_errors():
    first = first_proposal(model_candidate(), data_plan(), "cpu", 0.02)
    for cfg in ({"lr_step": "big"}, {"lr_step": 10}, {"second_prior": "yes"}):
        with pytest.raises(UsageError, match="recipe_hpo"):
            _propose(model_candidate(), [trial(1, first, 0.5)], **cfg)


def test_replay_table_three_proposals_match_tpe_with_five():
    """On the committed table of real trials (docs/bench/hpo.md), the default with 3 proposals reaches at
    least TPE's recorded mean after 5 (0.64), and never proposes the same configuration twice."""
    groups = [g for g in group_records(read_records(TABLE)) if not g.is_flat(0.005)]
    assert len(groups) == 3

    def propose(request, data, model, history, scale, seed):
        ctx = ctx_for(scale=scale, seed=seed)
        return plugin.autommlab_propose_hparams(request=request, data=data, model=model, history=history, ctx=ctx)

    at3 = []
    for g in groups:
        run = replay(g, propose, 5)
        assert run.best_raw == sorted(run.best_raw)
        labels = [(h.optimizer, h.lr_schedule, round(h.lr, 12), h.weight_decay) for h in run.proposals]
        assert len(set(labels)) == len(labels)
        at3.append(run.best_norm(g, 3))
    assert sum(at3) / len(at3) >= 0.64
