"""RU-LLaMA plugin and the reusable LLM helpers, on a tiny random Llama built in-process.

The model's answers are meaningless; what is tested is that the real load,
generate, schema-constrained decode and LoRA finetune paths run and that every
answer validates. In CI (env CI set) a missing LLM stack fails instead of skipping.
"""

import json
import os
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field

if not os.environ.get("CI"):
    pytest.importorskip("transformers")
    pytest.importorskip("peft")
    pytest.importorskip("lmformatenforcer")

from autommlab.config import Settings  # noqa: E402
from autommlab.context import Context  # noqa: E402
from autommlab.errors import DataError, RequestError, StageUnavailable  # noqa: E402
from autommlab.plugins import PluginManager  # noqa: E402
from autommlab.schemas import Request  # noqa: E402
from autommlab_ru_llama import llm as L  # noqa: E402
from autommlab_ru_llama import plugin as ru_plugin  # noqa: E402
from autommlab_ru_llama.pairs import read_ru_pairs  # noqa: E402
from autommlab_ru_llama.prompt import build_messages, completion_for, generation_schema  # noqa: E402

from .tiny_llm import build_tiny_llm  # noqa: E402

DEV = Path(__file__).parent / "data" / "ru_dev.jsonl"
TOKENS = 900


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """A 2-layer model is slower with several threads on shared cores (thread spin); use one."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_tiny_llm(tmp_path_factory.mktemp("tiny") / "model")


@pytest.fixture(scope="module")
def lm(tiny):
    return L.load(tiny, device="cpu")


def gold_file(tmp_path: Path, n: int = 4) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(DEV.read_text().splitlines()[:n]) + "\n")
    return path


def test_decoding_schema_is_bounded_and_complete():
    s = generation_schema()
    assert "$defs" not in json.dumps(s) and "$ref" not in json.dumps(s)
    model = s["properties"]["model"]
    assert set(model["required"]) == {"task", "specific_model", "speed", "flops", "parameters", "metrics"}
    assert "description" not in model["properties"]
    assert model["properties"]["specific_model"]["maxLength"] == 40
    assert s["properties"]["data"]["properties"]["object"]["maxItems"] == 8
    assert s["properties"]["deploy"]["properties"]["inference engine"]["enum"][0] == "onnxruntime"


def test_constrained_parse_always_validates(lm):
    from autommlab_ru_llama.parser import parse_with_llm

    for text in ("Detect cars at 30 fps on GPU", "segment roads, mIoU 0.7"):
        r = parse_with_llm(text, lm, max_new_tokens=TOKENS)
        assert isinstance(r, Request)
        Request.model_validate(r.to_json_dict())


def test_sentencepiece_style_tokenizer_with_chat_template(tmp_path):
    """Llama-2 style tokenizer: word-start marker, byte-fallback tokens (some decode to control characters)."""
    from autommlab_ru_llama.parser import parse_with_llm

    lm_sp = L.load(build_tiny_llm(tmp_path / "sp", tokenizer="sentencepiece", chat_template=True))
    r = parse_with_llm("Detect cars at 30 fps on GPU", lm_sp, max_new_tokens=TOKENS)
    assert isinstance(r, Request)
    from autommlab_ru_llama.decoding import enforcer_data

    data = enforcer_data(lm_sp)
    assert all(ord(c) >= 32 for _, text, _ in data.regular_tokens for c in text)


class Pick(BaseModel):
    choice: Literal["alpha", "beta"]
    count: int = Field(ge=0)
    score: float = Field(ge=0)
    ratio: float  # may be negative: non-negativity is enforced per field
    tags: list[str]
    flag: bool
    note: str | None = None


def test_generate_model_for_any_pydantic_schema(lm):
    out = L.generate_model(lm, "Pick one.", Pick, max_new_tokens=300, require_all=True, max_string=8, max_items=3)
    assert isinstance(out, Pick) and out.count >= 0 and out.score >= 0


@pytest.mark.parametrize("tokenizer", ["bytelevel", "sentencepiece"])
def test_random_models_always_produce_valid_json(tmp_path, tokenizer):
    """Random weights steer decoding into odd corners (long numbers, exponents, byte tokens): all must validate."""
    for seed in (1, 4, 5):
        lm_r = L.load(build_tiny_llm(tmp_path / f"m{seed}", seed=seed, tokenizer=tokenizer))
        for prompt in ("pick", "choose one " * 3):
            out = L.generate_model(lm_r, prompt, Pick, max_new_tokens=400, require_all=True, max_string=10,
                                   max_items=3)
            assert isinstance(out, Pick)


def test_generation_budget_exhausted_is_a_clear_error(lm):
    with pytest.raises(L.GenerationError, match="max_new_tokens"):
        L.generate_json(lm, "x", Pick, max_new_tokens=3, require_all=True, max_string=8, max_items=3)


def test_plugin_declines_without_model_and_offline_parser_serves():
    ctx = Context(config=Settings(), stage="parse")
    assert ru_plugin.autommlab_parse(text="detect cars", ctx=ctx) is None
    assert ctx.declines[0].plugin == "ru_llama" and "model_path" in ctx.declines[0].reason
    pm = PluginManager(load_entrypoints=False)
    pm.register(ru_plugin, name="ru_llama")
    assert pm.implementers("parse")[0] == "ru_llama"
    ctx = Context(config=Settings())
    r = pm.call_single("parse", ctx, text="detect cars, 10 fps")
    assert r.model.speed.value == 10 and [d.plugin for d in ctx.declines] == ["ru_llama"]
    pm_only = PluginManager(stages={"parse": "ru_llama"}, load_entrypoints=False)
    pm_only.register(ru_plugin, name="ru_llama")
    with pytest.raises(StageUnavailable, match="model_path"):
        pm_only.call_single("parse", Context(config=Settings()), text="detect cars")


def test_plugin_parses_with_configured_model(tiny):
    cfg = Settings(plugins={"ru_llama": {"model_path": str(tiny), "max_new_tokens": TOKENS}})
    pm = PluginManager(stages={"parse": "ru_llama"}, load_entrypoints=False)
    pm.register(ru_plugin, name="ru_llama")
    r = pm.call_single("parse", Context(config=cfg), text="classify ants and bees")
    assert isinstance(r, Request)
    # unsupported tasks are refused before the model is asked
    with pytest.raises(RequestError, match="video tracking"):
        pm.call_single("parse", Context(config=cfg), text="track cars across video frames")
    bad = Settings(plugins={"ru_llama": {"model_path": str(tiny), "temperature": 1}})
    with pytest.raises(Exception, match="temperature"):
        pm.call_single("parse", Context(config=bad), text="classify ants")


def test_training_labels_cover_only_the_answer(tiny, tmp_path):
    from tests.ru.tiny_llm import build_tokenizer

    msgs = build_messages("Detect cars") + [{"role": "assistant", "content": '{"x": 1}'}]
    for tok in (build_tokenizer(), build_tokenizer(chat_template=True)):
        ids, labels = L.encode_example(tok, msgs, 4096)
        trained = [t for t, lab in zip(ids, labels) if lab != -100]
        text = tok.decode(trained)
        assert text.startswith('{"x": 1}') and text.endswith("</s>")
        # the prompt tokens the model is trained on are exactly those it sees at generation time
        prompt = L.render_prompt(tok, msgs[:2])
        first = labels.index(next(lab for lab in labels if lab != -100))
        assert tok.decode(ids[:first]).replace("<s>", "") == prompt.replace("<s>", "")


def test_read_pairs_formats_and_errors(tmp_path):
    gold = gold_file(tmp_path, 2)
    ex = read_ru_pairs(gold)
    assert len(ex) == 2 and ex[0][-1]["role"] == "assistant"
    assert Request.model_validate(json.loads(ex[0][-1]["content"]))
    pc = tmp_path / "pc.jsonl"
    pc.write_text(json.dumps({"prompt": "hi", "completion": {"a": 1}}) + "\n" +
                  json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}))
    assert [m[-1]["content"] for m in L.read_pairs(pc)] == ['{"a": 1}', "a"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"prompt": "hi"}) + "\n")
    with pytest.raises(DataError, match="bad.jsonl:1"):
        L.read_pairs(bad)
    bad.write_text(json.dumps({"requirement": "x", "parse": {"model": {"task": "tracking"}}}) + "\n")
    with pytest.raises(DataError, match="bad.jsonl:1"):
        read_ru_pairs(bad)


def test_finetune_lora_learns_and_adapter_loads(tiny, tmp_path):
    answer = completion_for(json.loads(gold_file(tmp_path, 1).read_text())["parse"])
    examples = [build_messages("Detect cars") + [{"role": "assistant", "content": answer}]]
    res = L.finetune_lora(tiny, examples, tmp_path / "adapter",
                          L.LoraSettings(epochs=8, lr=5e-3, batch_size=1, max_length=2048))
    assert res.steps == 8 and len(res.losses) == 8
    assert res.losses[-1] < res.losses[0]
    assert (tmp_path / "adapter" / "adapter_config.json").exists()
    meta = json.loads((tmp_path / "adapter" / "autommlab_lora.json").read_text())
    assert meta["settings"]["rank"] == 8 and meta["settings"]["alpha"] == 32
    base = L.load(tiny)
    lm2 = L.load(tiny, adapter_path=tmp_path / "adapter")
    assert lm2.adapter_path is not None
    # the adapter changes the model: the trained answer got more likely than under the base model
    assert _answer_loss(lm2, examples[0]) < _answer_loss(base, examples[0])
    out = L.generate_model(lm2, examples[0][:2], Pick, max_new_tokens=300, require_all=True, max_string=8, max_items=3)
    assert isinstance(out, Pick)


def _answer_loss(lm, messages):
    import torch

    ids, labels = L.encode_example(lm.tokenizer, messages, 4096)
    with torch.no_grad():
        return float(lm.model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss)


def test_cli_finetune_then_parse_with_adapter(tiny, tmp_path, capsys):
    from autommlab.cli import main

    out = tmp_path / "ad"
    main(["ru", "finetune", "--data", str(gold_file(tmp_path, 2)), "--base", str(tiny), "--out", str(out),
          "--epochs", "1", "--batch-size", "2", "--rank", "4", "--alpha", "16"])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["steps"] == 1 and Path(summary["adapter"]) == out
    assert json.loads((out / "adapter_config.json").read_text())["r"] == 4
    os.environ["AUTOMMLAB_PLUGINS__RU_LLAMA__MAX_NEW_TOKENS"] = str(TOKENS)
    try:
        main(["ru", "parse", "Segment roads", "--model", str(tiny), "--adapter", str(out)])
    finally:
        del os.environ["AUTOMMLAB_PLUGINS__RU_LLAMA__MAX_NEW_TOKENS"]
    Request.model_validate(json.loads(capsys.readouterr().out))


def test_cli_eval_scores_the_llm(tiny, tmp_path, capsys):
    from autommlab.cli import main

    os.environ["AUTOMMLAB_PLUGINS__RU_LLAMA__MAX_NEW_TOKENS"] = str(TOKENS)
    try:
        main(["ru", "eval", "--data", str(gold_file(tmp_path, 2)), "--model", str(tiny)])
    finally:
        del os.environ["AUTOMMLAB_PLUGINS__RU_LLAMA__MAX_NEW_TOKENS"]
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # a random model parses (every answer validates) but gets the content wrong
    assert out["n"] == 2 and out["unparsed"] == 0 and out["request_level"] == 0.0


def test_load_refuses_missing_paths(tmp_path):
    from autommlab.errors import UsageError

    with pytest.raises(UsageError, match="model_path"):
        L.load(tmp_path / "nope")


def test_plugin_modules_import_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys, autommlab_ru_llama.plugin, autommlab.parsing.plugin; "
            "print([m for m in ('torch', 'transformers', 'peft', 'lmformatenforcer') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
