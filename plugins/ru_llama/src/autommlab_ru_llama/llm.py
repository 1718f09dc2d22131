"""Reusable causal-LM helpers, one import for other plugins: load, constrained JSON, LoRA finetuning.

Used by the ru_llama parse plugin and by other LLM plugins (hpo_llama). The work
lives in one module per job: ``loading`` (local model + adapter), ``chat``
(messages and prompt rendering), ``schema`` + ``decoding`` (schema-constrained
generation), ``finetune`` (LoRA training data and training); ``endpoint`` talks to
an OpenAI-compatible server instead of a local model. Heavy libraries (torch,
transformers, peft, lmformatenforcer) are imported inside the functions, so
importing this module is cheap.

Stable API
----------
``load(model_path, adapter_path=None, device="cpu", dtype="auto") -> LLM``
    Load a Hugging Face causal LM and its tokenizer from a LOCAL directory,
    optionally with a PEFT LoRA adapter directory. Never downloads.
``render_prompt(llm_or_tokenizer, messages, add_generation_prompt=True) -> str``
    Chat messages ``[{"role": "system"|"user"|"assistant", "content": str}]``
    rendered with the tokenizer's chat template, or a plain
    ``### System/User/Assistant`` format when it has none (the same format the
    finetuning code trains on).
``generate_json(llm, prompt, schema, max_new_tokens=512, require_all=False, max_string=200, max_items=16) -> dict``
    Greedy decoding constrained by a JSON schema (``dict``) or a pydantic model
    class (lm-format-enforcer): the text is always JSON of the schema's shape;
    it is parsed with ``json.loads`` (never evaluated).
``generate_model(llm, prompt, model_cls, max_new_tokens=512, ...) -> model_cls``
    ``generate_json`` + pydantic validation; raises ``GenerationError``
    naming the field when a constraint the decoder cannot enforce (e.g. a
    numeric maximum) is violated.
``read_pairs(path) -> list[list[dict]]``
    Training data from JSONL: lines ``{"prompt", "completion"}`` or
    ``{"messages": [...]}``; each becomes a message list.
``finetune_lora(base_path, examples, out_dir, settings=LoraSettings()) -> FinetuneResult``
    Train a LoRA adapter (peft) on the assistant turns of each message list
    and save it under ``out_dir`` (loadable by ``load(..., adapter_path=out_dir)``).

``prompt`` arguments accept a ready string (used as is) or a message list.

What constrained decoding guarantees: keys, nesting, types, enums/literals,
required keys, string length and list length bounds (added where the schema
has none, so every decode ends), integers without "." or exponent, numbers
that are valid JSON (no "5." or "5.e3"), at most 16 characters and 2 exponent
digits, no leading "-" where the property's ``minimum`` is >= 0, and no raw
control characters (tokens that decode to them or to partial UTF-8 are never
offered). Numeric maxima and other pydantic constraints are checked after
decoding (``generate_model`` raises ``GenerationError`` naming the field).
"""

from __future__ import annotations

from .chat import ROLES, Messages, check_messages, render_prompt
from .decoding import generate_json, generate_model, generate_text
from .errors import GenerationError
from .finetune import FinetuneResult, LoraSettings, encode_example, finetune_lora, read_pairs
from .loading import LLM, load, require_llm_stack
from .schema import MAX_ARRAY_ITEMS, MAX_STRING_CHARS, decoding_schema

__all__ = ["LLM", "ROLES", "MAX_ARRAY_ITEMS", "MAX_STRING_CHARS", "FinetuneResult", "GenerationError", "LoraSettings",
           "Messages", "check_messages", "decoding_schema", "encode_example", "finetune_lora", "generate_json",
           "generate_model", "generate_text", "load", "read_pairs", "render_prompt", "require_llm_stack"]
