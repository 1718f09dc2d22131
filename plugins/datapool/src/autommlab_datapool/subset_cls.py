"""Classification subset (imagenet format): linked images under ``images/<split>/<class>/`` plus list files.

Writes ``train.txt`` / ``val.txt`` ("<rel path> <label>") and ``classes.txt``;
``negatives`` (source categories) are merged into one extra class "other".
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .cards import DatasetCard
from .fsutil import write_text
from .imagecheck import link_checked
from .subset_common import Subset, drop_empty, splits_of


def classification_subset(card: DatasetCard, categories: list[str], out: Path, seed: int, val_fraction: float,
                          negatives: list[str]) -> Subset:
    """The imagenet-format subset of ``card`` restricted to ``categories`` (+ "other" for ``negatives``)."""
    from .formats_cls import read_items
    src_classes, items, _ = read_items(card.path)
    notes: list[str] = []
    name_of = {src_classes.index(c): c for c in categories}
    name_of.update({src_classes.index(c): "other" for c in negatives})
    if negatives:
        notes.append(f"class 'other' merges {len(negatives)} unrequested categories as negatives")
    per_split = {s: [(p, name_of[lb]) for p, lb in rows if lb in name_of] for s, rows in items.items()}
    splits = splits_of(per_split, seed, val_fraction, notes, card.name, key=lambda it: it[1])
    counts = {s: Counter(c for _, c in rows) for s, rows in splits.items()}
    classes = drop_empty(list(categories) + (["other"] if negatives else []), counts["train"], notes, card.name)
    label = {c: i for i, c in enumerate(classes)}
    for split, rows in splits.items():
        lines, used = [], set()
        for src, cls in rows:
            if cls not in label:
                continue
            name = src.name
            if (cls, name) in used:  # same file name in two source folders
                name = f"{len(used)}_{name}"
            used.add((cls, name))
            rel = f"{split}/{cls}/{name}"
            link_checked(src, out / "images" / rel, f"{card.name} ({split}, class {cls!r})")
            lines.append(f"{rel} {label[cls]}")
        write_text(out / f"{split}.txt", "\n".join(lines) + "\n")
    write_text(out / "classes.txt", "\n".join(classes) + "\n")
    return Subset("imagenet", classes, {"data_prefix": "images", "train_list": "train.txt", "val_list": "val.txt"},
                  {c: counts["train"][c] for c in classes}, {c: counts["val"].get(c, 0) for c in classes},
                  notes=notes)
