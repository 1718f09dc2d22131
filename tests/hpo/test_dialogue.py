"""HPO-LLaMA dialogue format, training dialogues from records, declines (no LLM needed)."""

from __future__ import annotations

import json

from autommlab.hpo.store import make_record
from autommlab_hpo_llama import plugin
from autommlab_hpo_llama.dialogue import Answer, answer_json, dialogues_from_records
from autommlab_hpo_llama.proposer import messages_for, to_hparams
from hpo_helpers import ctx_for, data_plan, model_candidate, request, response, trial


def _records(n=8, run="r1"):
    from autommlab.hpo.grid import default_grid
    m, d = model_candidate(), data_plan()
    return [make_record(run, request(), d, m, trial(i, hp, response(hp)), budget_scale=0.02)
            for i, hp in enumerate(default_grid(m, d, "cpu", 0.02)[:n], 1)]


def test_inference_prompt_describes_data_model_space_and_feeds_results_back():
    m, d = model_candidate(), data_plan()
    from autommlab.hpo.recipe import first_proposal
    hp = first_proposal(m, d, "cpu", 0.02)
    msgs = messages_for(request(), d, m, [trial(1, hp, 0.8123), trial(2, hp, None, error="loss is nan")], 0.02)
    assert [x["role"] for x in msgs] == ["system", "user", "assistant", "user", "assistant", "user"]
    desc = msgs[1]["content"]
    assert "240 train / 100 val" in desc and "ants, bees" in desc and "iters in [40, 100]" in desc
    assert "SGD lr 0.1 at batch 256" in desc and "pretrained" in desc
    assert json.loads(msgs[2]["content"])["optimizer"] == hp.optimizer
    assert "accuracy = 0.8123" in msgs[3]["content"] and "failed: loss is nan" in msgs[5]["content"]


def test_training_dialogues_improve_round_by_round_and_end_on_the_best():
    recs = _records(8) + _records(3, run="r2")
    dialogues = dialogues_from_records(recs, max_rounds=5, per_group=3, seed=0)
    assert len(dialogues) == 3 + 1
    best = max(r.score for r in recs[:8] if r.score is not None)
    for d in dialogues:
        assert d[-1]["role"] == "assistant" and d[0]["role"] == "system"
        answers = [json.loads(m["content"]) for m in d if m["role"] == "assistant"]
        assert len(answers) <= 5
    big = dialogues[0]
    final = json.loads(big[-1]["content"])
    assert any(abs(r.hparams.lr - final["lr"]) < 1e-9 and r.score == best for r in recs[:8])
    scores = [float(m["content"].split("= ")[1].split()[0]) for m in big if "result:" in m["content"]]
    assert scores == sorted(scores)


def test_answer_json_roundtrips_and_out_of_range_answers_are_clipped_with_a_note():
    hp = to_hparams(Answer(optimizer="SGD", lr=5.0, weight_decay=1e-9, lr_schedule="PolyLR", iters=10**6,
                           batch_size=999), "classification", 0.02, "test")
    assert hp.lr == 0.1 and hp.weight_decay == 1e-5 and hp.iters == 100 and hp.batch_size == 64
    assert "clipped" in hp.rationale and hp.proposer == "hpo_llama"
    assert Answer.model_validate_json(answer_json(hp)).lr == 0.1


def test_declines_without_a_model():
    ctx = ctx_for()
    assert plugin.autommlab_propose_hparams(request=request(), data=data_plan(), model=model_candidate(),
                                            history=[], ctx=ctx) is None
    assert "model_path" in ctx.declines[0].reason
