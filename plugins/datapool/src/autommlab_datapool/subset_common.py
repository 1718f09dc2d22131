"""What every subset writer shares: the ``Subset`` result, seeded splits, dropping empty classes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from autommlab.errors import DataError

IGNORE = 255  # mask value ignored by the trainers


@dataclass
class Subset:
    """What was written: trainer-format files, label order, per-class counts, keypoint metainfo, notes."""

    format: str
    classes: list[str]
    files: dict[str, str]
    train_counts: dict[str, int]
    val_counts: dict[str, int]
    metainfo: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def seeded_split(items: list, seed: int, val_fraction: float, key=lambda x: 0) -> tuple[list, list]:
    """Split ``items`` into train/val, stratified by ``key``, reproducibly for ``seed``."""
    groups: dict[Any, list] = {}
    for it in items:
        groups.setdefault(key(it), []).append(it)
    train, val = [], []
    for k in sorted(groups, key=str):
        g = list(groups[k])
        random.Random(f"{seed}-{k}").shuffle(g)
        n_val = int(round(len(g) * val_fraction)) if len(g) > 1 else 0
        n_val = max(1, n_val) if len(g) > 2 and val_fraction > 0 else n_val
        val += g[:n_val]
        train += g[n_val:]
    return train, val


def splits_of(per_split: dict[str, list], seed: int, val_fraction: float, notes: list[str], what: str,
              key=lambda x: 0) -> dict[str, list]:
    """Keep train/val when the source has both; else a seeded split of the single split."""
    if "train" in per_split and "val" in per_split:
        return {"train": per_split["train"], "val": per_split["val"]}
    only = next(iter(per_split))
    train, val = seeded_split(per_split[only], seed, val_fraction, key)
    notes.append(f"{what} has one split ({only!r}); made a seeded split (seed {seed}, "
                 f"{val_fraction:.0%} val): {len(train)} train / {len(val)} val")
    return {"train": train, "val": val}


def drop_empty(classes: list[str], train_counts: dict[str, int], notes: list[str], dataset: str) -> list[str]:
    """``classes`` without those that have no training example (said in ``notes``); DataError if none is left."""
    empty = [c for c in classes if train_counts.get(c, 0) == 0]
    if empty:
        notes.append(f"dropped categories with no training examples in {dataset}: {', '.join(empty)}")
    kept = [c for c in classes if c not in empty]
    if not kept:
        raise DataError(f"{dataset}: the matched categories {classes} have no training examples "
                        "(empty classes); nothing to train on")
    return kept
