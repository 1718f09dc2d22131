"""Request text as the user gives it (argument or file): checked before any run directory is made.

``read_request_file(path) -> str`` and ``check_request_text(text, where) -> str``
raise ``RequestError`` (exit 2) naming the file or the problem: not UTF-8,
empty, longer than ``MAX_REQUEST_CHARS`` (a request is a paragraph; the
parsers' regular expressions and an LLM's context are sized for that), or
holding control characters (binary data).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .errors import RequestError

MAX_REQUEST_CHARS = 20_000
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def read_request_file(path: Path) -> str:
    """The UTF-8 text of ``path``, checked; RequestError naming the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise RequestError(f"--file {path}: cannot read ({e})") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RequestError(f"--file {path}: not UTF-8 text (byte {e.start}: {raw[e.start:e.start + 1]!r}); "
                           "a request is a paragraph of plain text") from e
    return check_request_text(text, f"--file {path}")


def check_request_text(text: str, where: str = "the request text") -> str:
    """``text`` when it can be a request; RequestError naming ``where`` and the problem otherwise."""
    if not text or not text.strip():
        raise RequestError(f"{where} is empty")
    if len(text) > MAX_REQUEST_CHARS:
        raise RequestError(f"{where} is {len(text):,} characters; a request is at most {MAX_REQUEST_CHARS:,} "
                           "(one paragraph saying the task, the data and the requirements)")
    for i, ch in enumerate(text):
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"):
            raise RequestError(f"{where} holds the control character U+{ord(ch):04X} at position {i}: "
                               "binary data, not a request")
    return text
