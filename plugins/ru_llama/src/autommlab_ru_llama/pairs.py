"""Training pairs for RU-LLaMA finetuning.

Accepts JSONL whose lines are gold requests ``{"requirement", "parse"}``
(the format of ru_dev.jsonl: the parse is validated and written as the
model's answer under the RU-LLaMA prompt) or generic pairs
``{"prompt", "completion"}`` / ``{"messages": [...]}`` (used as given).
"""

from __future__ import annotations

import json
from pathlib import Path

from autommlab.errors import DataError
from pydantic import ValidationError

from .chat import Messages
from .finetune import read_pairs
from .prompt import build_messages, completion_for


def read_ru_pairs(path: str | Path) -> list[Messages]:
    """Message lists for finetuning; errors name the file and line."""
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: training data file does not exist")
    lines = p.read_text(encoding="utf-8").splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    try:
        is_gold = "requirement" in json.loads(first)
    except (json.JSONDecodeError, TypeError):
        raise DataError(f"{p}:1: not valid JSON") from None
    if not is_gold:
        return read_pairs(p)
    out: list[Messages] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, parse = row["requirement"], row["parse"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise DataError(f"{p}:{n}: expected a JSON object with 'requirement' and 'parse' ({e})") from e
        try:
            answer = completion_for(parse)
        except ValidationError as e:
            raise DataError(f"{p}:{n}: 'parse' is not a valid Request: {e}") from e
        out.append(build_messages(text) + [{"role": "assistant", "content": answer}])
    if not out:
        raise DataError(f"{p}: no training pairs")
    return out
