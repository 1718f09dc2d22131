"""AutoMMLab RU-LLaMA: the parse stage served by an LLM, as in the AutoMMLab paper.

- ``plugin``: the hook module (entry point ``ru_llama``); light to import. ``config``: its table.
- ``llm``: the reusable LLM helpers in one import (used by hpo_llama), from ``loading``
  (local model + adapter), ``chat`` (messages, prompt rendering), ``schema`` / ``decoding``
  (schema-constrained generation), ``finetune`` (LoRA); ``errors``: ``GenerationError``.
- ``endpoint``: an OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server) instead
  of a local model: JSON-schema response_format, validation with one retry, streaming.
- ``prompt``: the request-understanding prompt and the decoding schema; ``parser``: parse
  with either; ``pairs``: finetuning pairs; ``commands``: ``autommlab ru ...``.
"""

__version__ = "0.1.0"
