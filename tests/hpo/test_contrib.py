"""contrib strategies (random_hpo, optuna_hpo): opt-in, valid proposals, deterministic, learn from history."""

from __future__ import annotations

import importlib.metadata

import pytest

from autommlab.errors import StageUnavailable, UsageError
from autommlab.plugins import PluginManager
from autommlab_contrib import optuna_hpo, random_hpo
from hpo_helpers import ctx_for, data_plan, model_candidate, request, response, trial


def _propose(mod, hist, **ctx_kw):
    return mod.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(), history=hist,
                                         ctx=ctx_for(**ctx_kw))


def _run(mod, n, name, **plugins):
    hist = []
    for i in range(1, n + 1):
        hp = _propose(mod, hist, stages={"propose_hparams": name}, plugins={name: plugins})
        hp.check("classification", 0.02)
        assert hp.proposer == name and hp.rationale
        hist.append(trial(i, hp, response(hp)))
    return hist


def test_entry_points_registered_and_light():
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="autommlab")}
    assert names["optuna_hpo"] == "autommlab_contrib.optuna_hpo"
    assert names["random_hpo"] == "autommlab_contrib.random_hpo"
    pm = PluginManager()
    assert {"optuna_hpo", "random_hpo", "recipe_hpo"} <= set(pm.implementers("propose_hparams"))


def test_opt_in_only_declines_unless_selected():
    ctx = ctx_for()
    assert random_hpo.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(),
                                                history=[], ctx=ctx) is None
    assert "opt-in" in ctx.declines[0].reason


def test_random_is_deterministic_and_varies_with_seed():
    a = [t.hparams for t in _run(random_hpo, 4, "random_hpo", seed=1)]
    b = [t.hparams for t in _run(random_hpo, 4, "random_hpo", seed=1)]
    c = [t.hparams for t in _run(random_hpo, 4, "random_hpo", seed=2)]
    assert a == b and a != c
    assert len({h.lr for h in a}) == 4


def test_fixed_values_are_respected_and_unknown_keys_rejected():
    hist = _run(random_hpo, 3, "random_hpo", fixed={"batch_size": 8, "iters": 50})
    assert all(t.hparams.batch_size == 8 and t.hparams.iters == 50 for t in hist)
    with pytest.raises(UsageError, match="fixed"):
        _run(random_hpo, 1, "random_hpo", fixed={"learning_rate": 1})


def test_optuna_tpe_deterministic_and_exploits_history():
    pytest.importorskip("optuna")
    a = _run(optuna_hpo, 8, "optuna_hpo", sampler="tpe", seed=0, fixed={"batch_size": 8, "iters": 60})
    b = _run(optuna_hpo, 8, "optuna_hpo", sampler="tpe", seed=0, fixed={"batch_size": 8, "iters": 60})
    assert [t.hparams for t in a] == [t.hparams for t in b]
    assert "TPE model" in a[-1].hparams.rationale  # past the 2 random start-up trials
    assert max(t.score or 0 for t in a) > 0


def test_optuna_takes_failed_and_foreign_trials():
    pytest.importorskip("optuna")
    foreign = model_candidate()  # a recipe-style trial with iters outside the scaled range is clipped, not rejected
    from autommlab.hpo.recipe import first_proposal
    hp0 = first_proposal(foreign, data_plan(), "cpu", 1.0)  # iters in the unscaled range
    hist = [trial(1, hp0, None), trial(2, hp0.model_copy(update={"lr": 1e-3}), 0.5)]
    hp = _propose(optuna_hpo, hist, stages={"propose_hparams": "optuna_hpo"})
    hp.check("classification", 0.02)


def test_optuna_gp_sampler():
    pytest.importorskip("optuna")
    pytest.importorskip("torch")
    pytest.importorskip("scipy")
    hist = _run(optuna_hpo, 4, "optuna_hpo", sampler="gp", seed=0)
    assert "GP" in hist[-1].hparams.rationale


def test_bad_sampler_is_a_usage_error():
    with pytest.raises(UsageError, match="sampler"):
        _run(optuna_hpo, 1, "optuna_hpo", sampler="cmaes")


def test_selected_through_stages_config_in_the_plugin_manager():
    pm = PluginManager(stages={"propose_hparams": "random_hpo"})
    ctx = ctx_for(stages={"propose_hparams": "random_hpo"})
    hp = pm.call_single("propose_hparams", ctx, request=request(), data=data_plan(), model=model_candidate(),
                        history=[])
    assert hp.proposer == "random_hpo"
    pm = PluginManager(stages={"propose_hparams": "random_hpo"})
    with pytest.raises(StageUnavailable, match="opt-in"):
        pm.call_single("propose_hparams", ctx_for(), request=request(), data=data_plan(), model=model_candidate(),
                       history=[])


def test_default_chain_without_stage_config_is_served_by_recipe_hpo():
    """Installing contrib (and hpo_llama without a model) must not change the default strategy."""
    pm = PluginManager()
    hp = pm.call_single("propose_hparams", ctx_for(), request=request(), data=data_plan(), model=model_candidate(),
                        history=[])
    assert hp.proposer == "recipe_hpo"
