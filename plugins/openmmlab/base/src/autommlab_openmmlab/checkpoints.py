"""Checkpoints the project writes and reads back: weights only, loaded with ``torch.load(weights_only=True)``.

mmengine's CheckpointHook pickles its message hub (``HistoryBuffer`` objects,
numpy arrays, bound statistics methods through ``getattr``), the optimizer
and the schedulers into every checkpoint, which torch's safe loader refuses.
``slim(src, dst)`` rewrites such a checkpoint, once, right after the trainer
wrote it, as ``{"state_dict": tensors, "meta": plain values}``: everything
later (export, parity, PyTorch latency) loads it inside
``weights_only_loading()``, where every ``torch.load`` is forced to
``weights_only=True`` (``TORCH_FORCE_WEIGHTS_ONLY_LOAD``), whatever a library
passes. A checkpoint that still holds pickled objects then fails to load
instead of running them.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator

#: meta keys kept by ``slim`` (mmengine writes them; mmdeploy/mmengine read dataset_meta when loading)
KEPT_META = ("cfg", "dataset_meta", "seed", "experiment_name", "time", "mmengine_version", "epoch", "iter")
_FORCE, _NO_FORCE = "TORCH_FORCE_WEIGHTS_ONLY_LOAD", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"


def _plain(v: Any) -> bool:
    """True for JSON-like values (what torch's weights-only unpickler rebuilds without any global)."""
    if v is None or isinstance(v, (str, bool, int, float)):
        return True
    if isinstance(v, (list, tuple)):
        return all(_plain(x) for x in v)
    if isinstance(v, dict):
        return all(isinstance(k, (str, int)) and _plain(x) for k, x in v.items())
    return False


def slim(src: Path, dst: Path) -> None:
    """Rewrite the mmengine checkpoint ``src`` (written by this process moments before) as a weights-only ``dst``.

    ``src`` is read with full unpickling: it is the file the trainer just
    wrote, never one from elsewhere. ``dst`` gets the model ``state_dict`` and
    the plain-valued ``meta`` keys in ``KEPT_META``; written atomically, then
    ``src`` is removed.
    """
    import torch

    from .compat import trusted_checkpoint_loading

    src, dst = Path(src), Path(dst)
    with trusted_checkpoint_loading():
        ck = torch.load(src, map_location="cpu", weights_only=False)
    meta = {k: v for k, v in (ck.get("meta") or {}).items() if k in KEPT_META and _plain(v)}
    tmp = dst.with_name(dst.name + ".tmp")
    torch.save({"state_dict": ck["state_dict"], "meta": meta}, tmp)
    os.replace(tmp, dst)
    if src != dst:
        src.unlink(missing_ok=True)


@contextlib.contextmanager
def weights_only_loading() -> Iterator[None]:
    """Inside this block every ``torch.load`` runs with ``weights_only=True`` (nothing is unpickled but tensors
    and plain containers), even where mmengine or mmdeploy would ask otherwise."""
    old = {k: os.environ.get(k) for k in (_FORCE, _NO_FORCE)}
    os.environ.pop(_NO_FORCE, None)
    os.environ[_FORCE] = "1"
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_weights_only(path: Path) -> dict[str, Any]:
    """``torch.load(path, weights_only=True)`` on CPU; ``UnpicklingError`` names what it refused."""
    import torch

    with weights_only_loading():
        return torch.load(Path(path), map_location="cpu", weights_only=True)
