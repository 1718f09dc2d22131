"""Reading JSONL input files with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from .errors import DataError


def iter_json_objects(path: str | Path, what: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line of a JSONL file.

    ``what`` names the file's role in errors ("gold file", "training data file").
    Raises ``DataError`` naming the file (and line) when the file is missing, a
    line is not JSON, or a line is not a JSON object.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: {what} does not exist")
    with open(p, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{p}:{n}: not valid JSON: {e}") from e
            if not isinstance(row, dict):
                raise DataError(f"{p}:{n}: expected a JSON object")
            yield n, row
