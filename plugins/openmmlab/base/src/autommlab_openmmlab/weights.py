"""Find zoo weights already on local disk (nothing is ever downloaded).

Looked up by the URL's file name in ``[plugins.<name>] weights_dir`` (or
``[plugins.openmmlab] weights_dir``) and in torch's hub cache, where mmengine
would have stored a previous download.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse


def hub_dir() -> Path:
    torch_home = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "torch")
    return Path(torch_home) / "hub" / "checkpoints"


def local_weights(url: str | None, dirs: list[str | Path]) -> Path | None:
    """The local file for weights ``url`` in one of ``dirs`` or the hub cache, else None."""
    if not url:
        return None
    fname = Path(urlparse(url).path).name
    if not fname:
        return None
    for d in [*dirs, hub_dir()]:
        if not d:
            continue
        p = Path(d).expanduser() / fname
        if p.is_file():
            return p.resolve()
    return None


def weights_dirs(ctx, plugin_name: str) -> list[str]:
    out = []
    for name in (plugin_name, "openmmlab"):
        d = ctx.plugin_config(name).get("weights_dir") if ctx is not None else None
        if d:
            out.append(str(d))
    return out
