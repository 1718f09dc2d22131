"""Plugin ``hpo_llama``: the paper's HPO-LLaMA as a propose-hparams strategy (light module: no torch here).

Config ``[plugins.hpo_llama]``: ``model_path`` (local HF causal LM directory;
required, else the plugin declines), ``adapters = {classification = "...", ...}``
(per-task LoRA adapters) or ``adapter`` (one for all tasks), ``device`` ("auto",
"cpu", "cuda"), ``dtype`` ("auto", "float32", "bfloat16", ...), ``max_new_tokens``.
"""

from __future__ import annotations

from autommlab import hookimpl

NAME = "hpo_llama"


@hookimpl
def autommlab_propose_hparams(request, data, model, history, ctx):
    cfg = ctx.plugin_config(NAME)
    if not cfg.get("model_path"):
        return ctx.decline(NAME, f"no model configured: set [plugins.{NAME}] model_path (a local HF causal LM)")
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


@hookimpl
def autommlab_register_commands(cli):
    from .commands import register
    register(cli)


@hookimpl
def autommlab_plugin_info():
    return {"description": "HPO-LLaMA: multi-round dialogue with a local causal LM + per-task LoRA adapter",
            "requires": ["torch", "transformers", "peft", "lm-format-enforcer"]}
