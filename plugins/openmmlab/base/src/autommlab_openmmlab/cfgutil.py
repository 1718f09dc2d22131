"""Small helpers shared by the codebase adapters to edit plain config dicts."""

from __future__ import annotations

from typing import Any


def set_key(node: Any, key: str, value: Any, skip: tuple[str, ...] = ()) -> int:
    """Set every ``key`` found in nested dicts to ``value`` (not under keys in ``skip``); return the count."""
    n = 0
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and not isinstance(v, (dict, list)):
                node[k] = value
                n += 1
            elif k not in skip:
                n += set_key(v, key, value, skip)
    elif isinstance(node, list):
        for v in node:
            n += set_key(v, key, value, skip)
    return n


def loader(dataset: dict, batch_size: int, shuffle: bool, device: str = "cpu") -> dict:
    """A dataloader dict; no worker processes on CPU, where they would compete with training for cores."""
    workers = 0 if device == "cpu" else 4
    return dict(batch_size=batch_size, num_workers=workers, persistent_workers=workers > 0, drop_last=False,
                sampler=dict(type="DefaultSampler", shuffle=shuffle), dataset=dataset)


def palette(n: int) -> list[list[int]]:
    """A fixed distinct colour per class (background black)."""
    out = [[0, 0, 0]]
    for i in range(1, n):
        out.append([(i * 97) % 256, (i * 57 + 80) % 256, (i * 151 + 160) % 256])
    return out[:n]
