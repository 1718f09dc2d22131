"""Ask the LLM for the next hparams: render the dialogue, decode under the JSON schema, clip to range.

In: request/data/model, the trial history, the plugin config table, the budget
scale. Out: ``HParams`` (proposer "hpo_llama"). The LLM is a local model
(``propose``; heavy imports through ``autommlab_ru_llama.llm`` only when called)
or an OpenAI-compatible endpoint (``propose_by_endpoint``).
"""

from __future__ import annotations

from typing import Any

from autommlab.hpo.recipe import is_pretrained
from autommlab.hpo.space import make_hparams
from autommlab.hpo.store import summarize
from autommlab.schemas import HParams, Trial

from .dialogue import Answer, conversation, describe, feedback

NAME = "hpo_llama"
_CACHE: dict[tuple, Any] = {}  # (model_path, adapter, device, dtype) -> LLM: loading once per process


def adapter_for(cfg: dict, task: str) -> str | None:
    """``adapters[task]`` if given, else ``adapter`` (one adapter for every task), else None."""
    adapters = cfg.get("adapters") or {}
    if not isinstance(adapters, dict):
        from autommlab.errors import UsageError
        raise UsageError(f"[plugins.{NAME}] adapters must be a table task -> path, got {adapters!r}")
    return adapters.get(task) or cfg.get("adapter") or None


def get_llm(cfg: dict, task: str) -> Any:
    from autommlab_ru_llama import llm as llm_mod

    key = (str(cfg["model_path"]), adapter_for(cfg, task), cfg.get("device", "auto"), cfg.get("dtype", "auto"))
    if key not in _CACHE:
        _CACHE[key] = llm_mod.load(key[0], key[1], device=key[2], dtype=key[3])
    return _CACHE[key]


def messages_for(request, data, model, history: list[Trial], scale: float) -> list[dict[str, str]]:
    """The dialogue so far: the description, then each past trial's hparams and result."""
    req, dat, mod = summarize(request, data, model)
    desc = describe(model.task, scale, req, dat, mod, is_pretrained(model))
    rounds = [(t.hparams, feedback(i, t.status, t.primary_metric, t.score, t.error))
              for i, t in enumerate(history, 1)]
    return conversation(desc, rounds)


def to_hparams(ans: Answer, task: str, scale: float, note: str) -> HParams:
    """Clip the model's answer into the paper's ranges; the rationale says what was clipped."""
    hp = make_hparams(task, scale, optimizer=ans.optimizer, lr=ans.lr, weight_decay=ans.weight_decay,
                      lr_schedule=ans.lr_schedule, iters=ans.iters, batch_size=ans.batch_size, proposer=NAME)
    clipped = [f"{f} {getattr(ans, f):g}->{getattr(hp, f):g}" for f in ("lr", "weight_decay", "iters", "batch_size")
               if float(getattr(ans, f)) != float(getattr(hp, f))]
    why = note + (f"; clipped to range: {', '.join(clipped)}" if clipped else "")
    return hp.model_copy(update={"rationale": why})


def propose(request, data, model, history: list[Trial], cfg: dict, scale: float) -> HParams:
    from autommlab_ru_llama import llm as llm_mod

    llm = get_llm(cfg, model.task)
    msgs = messages_for(request, data, model, history, scale)
    value = llm_mod.generate_json(llm, msgs, Answer, max_new_tokens=int(cfg.get("max_new_tokens", 400)),
                                  require_all=True)
    ans = Answer.model_validate(value)
    adapter = adapter_for(cfg, model.task)
    note = (f"HPO-LLaMA round {len(history) + 1}: {llm.model_path.name}"
            + (f" + adapter {adapter}" if adapter else " (no adapter for this task)"))
    return to_hparams(ans, model.task, scale, note)


def endpoint_for(cfg: dict, task: str) -> Any:
    """The ``EndpointConfig`` of the table; ``models[task]`` (if given) names the model for this task."""
    from autommlab.errors import UsageError
    from autommlab_ru_llama.endpoint import endpoint_config

    models = cfg.get("models") or {}
    if not isinstance(models, dict):
        raise UsageError(f"[plugins.{NAME}] models must be a table task -> model name, got {models!r}")
    table = dict(cfg)
    if models.get(task):
        table["model"] = models[task]
    raw = cfg.get("max_new_tokens")
    return endpoint_config(table, NAME, max_tokens=int(raw) if raw is not None else None)


def propose_by_endpoint(request, data, model, history: list[Trial], cfg: dict, scale: float) -> HParams:
    """The endpoint's answer to the dialogue so far, validated as ``Answer`` (one retry) and clipped to range."""
    from autommlab_ru_llama.endpoint import chat_json, schema_for

    ep = endpoint_for(cfg, model.task)
    msgs = messages_for(request, data, model, history, scale)
    ans, exchange = chat_json(ep, msgs, Answer.model_validate, schema_for(Answer), name="hparams")
    note = f"HPO-LLaMA round {len(history) + 1}: {ep.model} at {ep.endpoint}"
    if exchange.notes:
        note += " (" + "; ".join(exchange.notes) + ")"
    return to_hparams(ans, model.task, scale, note)
