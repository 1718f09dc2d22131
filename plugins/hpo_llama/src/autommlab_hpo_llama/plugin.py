"""Plugin ``hpo_llama``: the paper's HPO-LLaMA as a propose-hparams strategy (light module: no torch here).

Config ``[plugins.hpo_llama]``: ``model_path`` (local HF causal LM directory),
``adapters = {classification = "...", ...}`` (per-task LoRA adapters) or ``adapter``
(one for all tasks), ``device`` ("auto", "cpu", "cuda"), ``dtype`` ("auto",
"float32", "bfloat16", ...), ``max_new_tokens``. Or, instead of ``model_path``, an
OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server): ``endpoint`` (base URL,
e.g. "http://127.0.0.1:11434/v1"), ``model`` (the server's model name) or ``models =
{classification = "...", ...}`` per task (e.g. vLLM's LoRA module names), and
optionally ``api_key_env``, ``timeout``, ``retries``, ``stream``, ``response_format``
(see ``autommlab_ru_llama.endpoint``). Without either the plugin declines.
"""

from __future__ import annotations

from autommlab import hookimpl

NAME = "hpo_llama"


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    cfg = ctx.plugin_config(NAME)
    if cfg.get("endpoint"):
        return _propose_by_endpoint(request, data, model, history, ctx, cfg)
    if not cfg.get("model_path"):
        return ctx.decline(NAME, f"no model configured: set [plugins.{NAME}] model_path (a local HF causal LM) "
                                 f"or endpoint + model (an OpenAI-compatible server)")
    from autommlab_ru_llama.llm import GenerationError, require_llm_stack
    missing = require_llm_stack()
    if missing:
        return ctx.decline(NAME, missing)
    from autommlab.hpo.space import budget_scale

    from .proposer import propose
    try:
        return propose(request, data, model, list(history), cfg, budget_scale(ctx))
    except GenerationError as e:
        return ctx.decline(NAME, f"generation failed: {e}")


def _propose_by_endpoint(request, data, model, history, ctx, cfg):
    from autommlab.hpo.space import budget_scale
    from autommlab_ru_llama.endpoint import EndpointError
    from autommlab_ru_llama.errors import GenerationError

    from .proposer import propose_by_endpoint
    try:
        return propose_by_endpoint(request, data, model, list(history), cfg, budget_scale(ctx))
    except (EndpointError, GenerationError) as e:
        return ctx.decline(NAME, f"endpoint: {e}")


@hookimpl
def autommlab_register_commands(cli):
    from .commands import register
    register(cli)


@hookimpl
def autommlab_plugin_info():
    return {"description": "HPO-LLaMA: multi-round dialogue with a local causal LM + per-task LoRA adapter, or an "
                           "OpenAI-compatible endpoint",
            "requires": ["torch", "transformers", "peft", "lm-format-enforcer"]}
