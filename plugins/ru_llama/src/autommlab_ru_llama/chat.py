"""Chat messages: validation and rendering to the prompt text a local model sees.

A tokenizer's chat template is used when it has one, else plain ``### System/User/Assistant``
blocks (the same format the finetuning code trains on).
"""

from __future__ import annotations

from typing import Any

from autommlab.errors import DataError

Messages = list[dict[str, str]]
ROLES = ("system", "user", "assistant")
#: plain prompt headers used when a tokenizer has no chat template
HEADERS = {"system": "### System:\n", "user": "### User:\n", "assistant": "### Assistant:\n"}


def check_messages(messages: Any, where: str = "messages") -> Messages:
    """Validate a chat message list; errors name the item."""
    if not isinstance(messages, list) or not messages:
        raise DataError(f"{where}: expected a non-empty list of {{role, content}} messages")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise DataError(f"{where}[{i}]: expected {{'role': one of {ROLES}, 'content': str}}, got {m!r:.120}")
        out.append({"role": m["role"], "content": m["content"]})
    return out


def has_template(tok: Any) -> bool:
    return bool(getattr(tok, "chat_template", None))


def render_prompt(llm_or_tokenizer: Any, messages: Messages, add_generation_prompt: bool = True) -> str:
    """Render chat messages to the prompt string the model sees (chat template, else ``### Role:`` blocks)."""
    tok = getattr(llm_or_tokenizer, "tokenizer", llm_or_tokenizer)
    messages = check_messages(messages)
    if has_template(tok):
        return tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    text = "".join(f"{HEADERS[m['role']]}{m['content']}\n\n" for m in messages)
    return text + (HEADERS["assistant"] if add_generation_prompt else "")


def encode_prompt(llm: Any, prompt: str | Messages) -> list[int]:
    tok = llm.tokenizer
    if isinstance(prompt, str):
        return tok(prompt, add_special_tokens=True)["input_ids"]
    text = render_prompt(tok, prompt)
    # a chat template already writes BOS (and other specials) as text
    return tok(text, add_special_tokens=not has_template(tok))["input_ids"]
