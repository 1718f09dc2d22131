"""Plugin ``ru_llama``: the parse stage served by a local causal LM (+ optional LoRA adapter).

Config table ``[plugins.ru_llama]``:
    model_path      local Hugging Face causal-LM directory (required; without it the plugin declines)
    adapter_path    PEFT LoRA adapter directory (e.g. from ``autommlab ru finetune``), optional
    device          "cpu" (default), "cuda", "cuda:0" or "auto"
    dtype           "auto" (default: fp32 on CPU, fp16 on GPU), "float32", "float16", "bfloat16"
    max_new_tokens  generation budget for the JSON answer (default 384)
    precheck        refuse empty text and unsupported tasks before calling the model (default true)

This module imports nothing heavy; the model loads on the first parse.
"""

from __future__ import annotations

from typing import Any

from autommlab import hookimpl

NAME = "ru_llama"


def settings(cfg: dict[str, Any]) -> dict[str, Any]:
    from .parser import DEFAULTS

    unknown = set(cfg) - {"model_path", "adapter_path", "precheck", *DEFAULTS}
    if unknown:
        from autommlab.errors import UsageError

        raise UsageError(f"plugins.{NAME} config table: unknown key(s) {', '.join(sorted(unknown))}")
    return {**DEFAULTS, "precheck": True, **cfg}


@hookimpl
def autommlab_parse(text: str, ctx: Any) -> Any:
    cfg = settings(ctx.plugin_config(NAME) if ctx is not None else {})
    if not cfg.get("model_path"):
        return ctx.decline(NAME, f"no model configured: set model_path (a local Hugging Face causal-LM directory) "
                                 f"in the plugins.{NAME} table of autommlab.toml or "
                                 f"AUTOMMLAB_PLUGINS__{NAME.upper()}__MODEL_PATH; adapter_path adds a LoRA adapter")
    from .llm import require_llm_stack

    missing = require_llm_stack()
    if missing:
        return ctx.decline(NAME, missing)
    if cfg["precheck"]:
        from autommlab.parsing.rules import precheck

        precheck(text)
    from .parser import get_llm, parse_with_llm

    lm = get_llm(cfg["model_path"], cfg.get("adapter_path"), cfg["device"], cfg["dtype"])
    return parse_with_llm(text, lm, int(cfg["max_new_tokens"]))


@hookimpl
def autommlab_register_commands(cli: Any) -> None:
    from .commands import register

    register(cli)


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "parse via a local causal LM + LoRA (RU-LLaMA), JSON-schema-constrained decoding; "
                           "`autommlab ru finetune` trains the adapter",
            "requires": ["torch", "transformers", "peft", "lm-format-enforcer"]}
