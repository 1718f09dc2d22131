"""HPO-LLaMA through an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 with recorded answers,
used through the plugin and the real HPO proposal path (`autommlab eval hpo`, the pipeline's hook call)."""

from __future__ import annotations

import json
import os

import pytest

if not os.environ.get("CI"):
    try:
        import httpx2  # noqa: F401
    except ImportError:
        pytest.importorskip("httpx")

from autommlab.cli import main  # noqa: E402
from autommlab_hpo_llama import plugin  # noqa: E402
from autommlab_hpo_llama.dialogue import Answer  # noqa: E402
from autommlab_ru_llama.endpoint import schema_for  # noqa: E402
from hpo_helpers import ctx_for, data_plan, model_candidate, propose_llm, request, response, trial  # noqa: E402

from tests.openai_server import FakeOpenAI  # noqa: E402


def _answer(opt="AdamW", lr=1e-3, wd=0.05, sched="CosineAnnealingLR", iters=100, batch=8) -> str:
    return json.dumps({"optimizer": opt, "lr": lr, "weight_decay": wd, "lr_schedule": sched, "iters": iters,
                       "batch_size": batch})




def test_dialogue_rounds_over_the_endpoint():
    recorded = [_answer(), _answer("SGD", 0.01, 1e-4, "MultiStepLR", iters=5000)]
    with FakeOpenAI(recorded) as srv:
        cfg = {"endpoint": srv.url, "models": {"classification": "hpo-cls-lora"}, "model": "base"}
        hp1 = propose_llm(cfg, [])
        hp2 = propose_llm(cfg, [trial(1, hp1, response(hp1))])
    assert (hp1.optimizer, hp1.lr, hp1.lr_schedule, hp1.proposer) == ("AdamW", 1e-3, "CosineAnnealingLR", "hpo_llama")
    assert hp2.optimizer == "SGD" and "clipped" in hp2.rationale  # 5000 iters > the budget-scaled range
    assert "hpo-cls-lora" in hp1.rationale and srv.url in hp1.rationale
    first, second = srv.requests
    assert first["model"] == "hpo-cls-lora"
    assert first["response_format"]["json_schema"]["schema"] == schema_for(Answer)
    assert "Task: classification." in first["messages"][1]["content"]
    # round 2 carries round 1's answer and its result, as in the paper's dialogue
    assert [m["role"] for m in second["messages"]] == ["system", "user", "assistant", "user"]
    assert "Trial 1 result: accuracy" in second["messages"][3]["content"]


def test_invalid_answer_retried_once_then_declines():
    bad = "Use a learning rate of about 1e-3 with AdamW."
    with FakeOpenAI([bad, _answer(lr=3e-4)]) as srv:
        hp = propose_llm({"endpoint": srv.url, "model": "m", "stream": True}, [])
    assert hp.lr == 3e-4 and "asked once more" in hp.rationale and len(srv.requests) == 2
    with FakeOpenAI([bad, '{"optimizer": "Lion", "lr": 1}']) as srv:
        ctx = ctx_for(plugins={"hpo_llama": {"endpoint": srv.url, "model": "m"}})
        assert plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(),
                                                history=[], ctx=ctx) is None
    assert "two tries" in ctx.declines[0].reason and "optimizer" in ctx.declines[0].reason


def test_eval_hpo_replays_the_endpoint_strategy(tmp_path, synthetic_table, capsys):
    """`autommlab eval hpo -s hpo_llama` with the endpoint configured: 3 proposals, streamed, one invalid first."""
    recorded = ["{not json", _answer(lr=1e-4), _answer("SGD", 1e-2, 1e-4), _answer("SGD", 3e-3, 1e-4)]
    with FakeOpenAI(recorded) as srv:
        cfg = tmp_path / "autommlab.toml"
        cfg.write_text(f'[plugins.hpo_llama]\nendpoint = "{srv.url}"\nmodel = "hpo"\nstream = true\n')
        main(["--config", str(cfg), "eval", "hpo", "--table", str(synthetic_table), "-s", "hpo_llama",
              "--seeds", "1", "--proposals", "1,3", "--json", str(tmp_path / "r.json")])
    assert len(srv.requests) == 4 and all(r["stream"] for r in srv.requests)
    [res] = json.loads((tmp_path / "r.json").read_text())
    assert res["error"] is None and res["strategy"] == "hpo_llama"
    # SGD lr 0.01 is the synthetic table's best configuration: reached at proposal 2
    assert res["mean"]["3"] == 1.0 and res["mean"]["1"] < 1.0
    assert capsys.readouterr().out.count("hpo_llama") >= 1
