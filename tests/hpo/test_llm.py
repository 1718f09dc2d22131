"""HPO-LLaMA with a tiny random Llama built in-process: constrained proposals, finetune, adapter use."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")
pytest.importorskip("lmformatenforcer")

from autommlab.hpo.store import TrialStore, make_record  # noqa: E402
from autommlab_hpo_llama import plugin  # noqa: E402
from autommlab_hpo_llama.proposer import _CACHE  # noqa: E402
from hpo_helpers import ctx_for, data_plan, model_candidate, propose_llm, request, response, trial  # noqa: E402
from hpo_tiny_llm import build_tiny_llama  # noqa: E402


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: threads only add contention on shared CI cores
    yield build_tiny_llama(tmp_path_factory.mktemp("tiny") / "llama")
    torch.set_num_threads(threads)




def test_random_model_proposals_always_validate(tiny):
    cfg = {"model_path": str(tiny), "device": "cpu"}
    hist = []
    for i in range(1, 3):
        hp = propose_llm(cfg, hist)
        hp.check("classification", 0.02)
        assert hp.proposer == "hpo_llama" and "round" in hp.rationale
        hist.append(trial(i, hp, response(hp)))


def test_finetuned_adapter_reproduces_the_recorded_answer(tiny, tmp_path):
    """`hpo finetune` on a recorded trial; with the adapter, the model answers that trial's hparams.

    Exact reproduction proves the training dialogue and the inference prompt are the same text.
    """
    from autommlab.hpo.grid import default_grid
    m, d = model_candidate(), data_plan()
    store = TrialStore(tmp_path / "trials.jsonl")
    best = next(h for h in default_grid(m, d, "cpu", 0.02)
                if (h.optimizer, h.lr, h.lr_schedule) == ("AdamW", 1e-3, "CosineAnnealingLR"))
    store.append(make_record("r1", request(), d, m, trial(1, best, response(best)), budget_scale=0.02))
    out = tmp_path / "adapter"
    env = {**os.environ, "AUTOMMLAB_HOME": str(tmp_path / "home"), "OMP_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-m", "autommlab.cli", "hpo", "finetune", "--records", str(store.path),
                        "--base", str(tiny), "--out", str(out), "--epochs", "80", "--lr", "1e-2", "--rank", "16",
                        "--target-modules", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
                        "--device", "cpu", "--batch-size", "1"],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (out / "adapter_config.json").is_file() and (out / "dialogues.jsonl").is_file()
    meta = json.loads((out / "autommlab_lora.json").read_text())
    assert meta["losses"][-1] < meta["losses"][0] / 5
    _CACHE.clear()
    hp = propose_llm({"model_path": str(tiny), "adapters": {"classification": str(out)}, "device": "cpu"}, [])
    assert "adapter" in hp.rationale
    assert (hp.optimizer, hp.lr, hp.weight_decay, hp.lr_schedule, hp.iters, hp.batch_size) == (
        best.optimizer, best.lr, best.weight_decay, best.lr_schedule, best.iters, best.batch_size)


def test_missing_model_dir_is_a_usage_error(tmp_path):
    from autommlab.errors import UsageError
    with pytest.raises(UsageError, match="model_path"):
        propose_llm({"model_path": str(tmp_path / "nope")}, [])
