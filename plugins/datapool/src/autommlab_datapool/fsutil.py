"""Small file helpers: atomic JSON writes and linking images instead of copying."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def write_json(path: Path, data: Any, indent: int | None = None) -> None:
    """Write ``data`` as JSON to ``path`` atomically (temp file + rename), creating parents."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=indent)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def read_text(path: Path) -> str:
    """The UTF-8 text of a dataset file (list, class list); DataError naming it when unreadable or binary."""
    from autommlab.errors import DataError
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 text ({e})") from e
    except OSError as e:
        raise DataError(f"{path}: cannot read ({e})") from e


def link_file(src: Path, dst: Path) -> str:
    """Make ``dst`` refer to ``src``: symlink, else hardlink, else copy.

    Idempotent: an existing ``dst`` that already resolves to ``src`` is kept.
    :return: "kept", "symlink", "hardlink" or "copy".
    """
    src = Path(src).resolve()
    if dst.is_symlink() or dst.exists():
        try:
            if dst.resolve() == src or (dst.exists() and os.path.samefile(dst, src)):
                return "kept"
        except OSError:
            pass
        dst.unlink()
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.symlink(src, dst)
        return "symlink"
    except OSError:
        pass
    try:
        os.link(src, dst)
        return "hardlink"
    except OSError:
        shutil.copy2(src, dst)
        return "copy"
