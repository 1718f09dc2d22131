"""Plugin ``ru_llama``: the parse stage served by an LLM: a local causal LM (+ LoRA) or an OpenAI-compatible endpoint.

Config table ``[plugins.ru_llama]`` (``config``):
    model_path      local Hugging Face causal-LM directory
    adapter_path    PEFT LoRA adapter directory (e.g. from ``autommlab ru finetune``), optional
    device          "cpu" (default), "cuda", "cuda:0" or "auto"
    dtype           "auto" (default: fp32 on CPU, fp16 on GPU), "float32", "float16", "bfloat16"
    endpoint        instead of model_path: base URL of an OpenAI-compatible chat API (Ollama, vLLM,
                    llama.cpp server), e.g. "http://127.0.0.1:11434/v1"; needs ``model`` (the server's name)
    api_key_env     environment variable holding the endpoint's API key (optional)
    timeout         seconds per HTTP request (default 120); ``retries`` transport retries (default 2)
    stream          read the answer as server-sent events (default false)
    response_format "json_schema" (default: constrained output where the server supports it),
                    "json_object" or "none"; answers are validated either way (one retry with the error)
    max_new_tokens  generation budget for the JSON answer (default 384; sent as max_tokens only if set)
    precheck        refuse empty text and unsupported tasks before calling the model (default true)

Without model_path or endpoint the plugin declines. An endpoint that cannot be reached or answers
invalid JSON twice makes it decline with the reason. This module imports nothing heavy.
"""

from __future__ import annotations

from typing import Any

from autommlab import hookimpl

from .config import NAME, endpoint_of, settings


@hookimpl
def autommlab_parse(text: str, ctx: Any) -> Any:
    table = ctx.plugin_config(NAME) if ctx is not None else {}
    cfg = settings(table)
    ep = endpoint_of(table)
    if ep is None and not cfg.get("model_path"):
        return ctx.decline(NAME, f"no model configured: set model_path (a local Hugging Face causal-LM directory) "
                                 f"or endpoint + model (an OpenAI-compatible server) in the plugins.{NAME} table of "
                                 f"autommlab.toml or AUTOMMLAB_PLUGINS__{NAME.upper()}__MODEL_PATH; adapter_path "
                                 f"adds a LoRA adapter")
    if ep is None:
        from .loading import require_llm_stack

        missing = require_llm_stack()
        if missing:
            return ctx.decline(NAME, missing)
    if cfg["precheck"]:
        from autommlab.parsing.rules import precheck

        precheck(text)
    if ep is not None:
        from .endpoint import EndpointError
        from .errors import GenerationError
        from .parser import parse_with_endpoint

        try:
            return parse_with_endpoint(text, ep, log=ctx.log)
        except (EndpointError, GenerationError) as e:
            return ctx.decline(NAME, f"endpoint: {e}")
    from .parser import get_llm, parse_with_llm

    lm = get_llm(cfg["model_path"], cfg.get("adapter_path"), cfg["device"], cfg["dtype"])
    return parse_with_llm(text, lm, int(cfg["max_new_tokens"]))


@hookimpl
def autommlab_register_commands(cli: Any) -> None:
    from .commands import register

    register(cli)


@hookimpl
def autommlab_plugin_info() -> dict[str, Any]:
    return {"description": "parse via an LLM (RU-LLaMA): a local causal LM + LoRA with JSON-schema-constrained "
                           "decoding, or an OpenAI-compatible endpoint; `autommlab ru finetune` trains the adapter",
            "requires": ["torch", "transformers", "peft", "lm-format-enforcer"]}
