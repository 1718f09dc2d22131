"""Detection subset (COCO): the selected categories renumbered 1..N, images without them left out.

Also holds the COCO helpers the mask and keypoint writers share: the
per-split (json, image dir, images) view, annotations kept per image, the
category id map and linking one image entry (``link_coco_image``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import write_json
from .imagecheck import inside, link_checked
from .subset_common import Subset, drop_empty, seeded_split

CocoSplits = dict[str, tuple[dict, Path, list[dict]]]  # split -> (json, image dir, images of the split)


def coco_splits(card: DatasetCard, seed: int, val_fraction: float, notes: list[str]) -> CocoSplits:
    """split -> (json, image dir, images); a single-split source is split by image, seeded."""
    from .formats_coco import load_json
    loaded = {s: (load_json(Path(card.files[f"{s}_ann"])), Path(card.files[f"{s}_img_dir"]))
              for s in ("train", "val", "all") if f"{s}_ann" in card.files}
    if not loaded:
        raise DataError(f"{card.name}: the registry card lists no annotation file (files: {sorted(card.files)}); "
                        "register the dataset again with `autommlab data add --replace`")
    if "train" in loaded and "val" in loaded:
        return {s: (d, p, d["images"]) for s, (d, p) in loaded.items() if s in ("train", "val")}
    only = next(iter(loaded))
    data, img_dir = loaded[only]
    train, val = seeded_split(data["images"], seed, val_fraction)
    notes.append(f"{card.name} has one annotation file ({only!r}); made a seeded image split (seed {seed}, "
                 f"{val_fraction:.0%} val): {len(train)} train / {len(val)} val images")
    return {"train": (data, img_dir, train), "val": (data, img_dir, val)}


def ann_file(card: DatasetCard, split: str) -> str:
    """The annotation file a split was read from (for messages)."""
    return card.files.get(f"{split}_ann", card.files.get("all_ann", card.name))


def kept_anns(data: dict, images: list[dict], cat_map: dict[int, int]) -> dict[int, list[dict]]:
    """image id -> its annotations whose category is in ``cat_map``, for ``images`` only."""
    ids = {im["id"] for im in images}
    by_img: dict[int, list[dict]] = {}
    for a in data["annotations"]:
        if a["image_id"] in ids and a["category_id"] in cat_map:
            by_img.setdefault(a["image_id"], []).append(a)
    return by_img


def cat_map_of(data: dict, classes: list[str]) -> dict[int, int]:
    """Source category id -> new id (1..N in ``classes`` order) for the categories named in ``classes``."""
    name2new = {c: i + 1 for i, c in enumerate(classes)}
    return {c["id"]: name2new[c["name"]] for c in data["categories"] if c["name"] in name2new}


def link_coco_image(img_dir: Path, im: dict, out: Path, split: str, ann: str) -> str:
    """Check and link one COCO image entry into ``out/images/<split>/``; returns its new ``file_name``."""
    where = f"{ann}: image id {im['id']}"
    src = inside(img_dir, im["file_name"], where)
    if not src.is_file():
        raise DataError(f"{ann}: image {im['file_name']!r} (id {im['id']}) not found in {img_dir}")
    rel = f"{split}/{im['file_name']}"
    link_checked(src, out / "images" / rel, where, expect_wh=(im.get("width"), im.get("height")))
    return rel


def count_train(categories: list[str], splits: CocoSplits) -> dict[str, int]:
    """Training instances per category name (only ``categories``)."""
    names: dict[str, int] = {c: 0 for c in categories}
    data, _, images = splits["train"]
    id2name = {c["id"]: c["name"] for c in data["categories"]}
    ids = {im["id"] for im in images}
    for a in data["annotations"]:
        n = id2name[a["category_id"]]
        if a["image_id"] in ids and n in names:
            names[n] += 1
    return names


def detection_subset(card: DatasetCard, categories: list[str], out: Path, seed: int, val_fraction: float) -> Subset:
    """The COCO detection subset of ``card`` restricted to ``categories``."""
    notes: list[str] = []
    splits = coco_splits(card, seed, val_fraction, notes)
    classes = drop_empty(list(categories), count_train(categories, splits), notes, card.name)
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        cat_map = cat_map_of(data, classes)
        by_img = kept_anns(data, images, cat_map)
        coco = {"info": {"description": f"{card.name} subset: {', '.join(classes)}"}, "licenses": [],
                "images": [], "annotations": [],
                "categories": [{"id": i + 1, "name": c, "supercategory": c} for i, c in enumerate(classes)]}
        c = Counter()
        for im in images:
            anns = by_img.get(im["id"])
            if not anns:
                continue
            rel = link_coco_image(img_dir, im, out, split, ann_file(card, split))
            coco["images"].append({**im, "file_name": rel})
            for a in anns:
                new = {**a, "category_id": cat_map[a["category_id"]]}
                new.setdefault("area", float(a["bbox"][2] * a["bbox"][3]))
                new.setdefault("iscrowd", 0)
                coco["annotations"].append(new)
                c[classes[new["category_id"] - 1]] += 1
        write_json(out / "annotations" / f"{split}.json", coco)
        counts[split] = {k: c.get(k, 0) for k in classes}
    notes.append("images with none of the selected categories are left out")
    return Subset("coco", classes, {"img_dir": "images", "train_ann": "annotations/train.json",
                                    "val_ann": "annotations/val.json"}, counts["train"], counts["val"], notes=notes)
