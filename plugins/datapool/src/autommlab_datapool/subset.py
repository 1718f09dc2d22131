"""Write a train/val subset of a registered dataset in the format its task's trainer reads.

``build_subset(card, task, categories, out_dir, seed, val_fraction) -> Subset``
filters to ``categories`` (source names, source order kept), remaps labels,
keeps the source split (or makes a seeded one when the source has a single
split) and writes under ``out_dir``. Images are linked, not copied
(``fsutil.link_file``); JSON/lists/masks are written atomically and existing
masks are kept, so a rerun after an interruption continues where it stopped.

Output contract (paths relative to ``out_dir``), see DataPlan in autommlab.schemas:

- classification / imagenet: data_prefix, train_list, val_list ("<rel path> <label>")
- detection / coco: img_dir, train_ann, val_ann (category ids 1..N in class order)
- segmentation / semantic_masks: train_img_dir, train_mask_dir, val_img_dir,
  val_mask_dir, img_suffix, mask_suffix (pixel = class index, 0 background, 255 ignore)
- keypoint / coco_keypoints: img_dir, train_ann, val_ann; metainfo with 0-based layout
"""

from __future__ import annotations

import os
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import link_file, write_json, write_text

IGNORE = 255


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


def _splits(per_split: dict[str, list], seed: int, val_fraction: float, notes: list[str], what: str,
            key=lambda x: 0) -> dict[str, list]:
    """Keep train/val when the source has both; else a seeded split of the single split."""
    if "train" in per_split and "val" in per_split:
        return {"train": per_split["train"], "val": per_split["val"]}
    only = next(iter(per_split))
    train, val = seeded_split(per_split[only], seed, val_fraction, key)
    notes.append(f"{what} has one split ({only!r}); made a seeded split (seed {seed}, "
                 f"{val_fraction:.0%} val): {len(train)} train / {len(val)} val")
    return {"train": train, "val": val}


def _drop_empty(classes: list[str], train_counts: dict[str, int], notes: list[str], dataset: str) -> list[str]:
    empty = [c for c in classes if train_counts.get(c, 0) == 0]
    if empty:
        notes.append(f"dropped categories with no training examples in {dataset}: {', '.join(empty)}")
    kept = [c for c in classes if c not in empty]
    if not kept:
        raise DataError(f"{dataset}: the matched categories {classes} have no training examples "
                        "(empty classes); nothing to train on")
    return kept


def build_subset(card: DatasetCard, task: str, categories: list[str], out_dir: Path, seed: int = 0,
                 val_fraction: float = 0.2, negatives: list[str] | None = None) -> Subset:
    """Write the subset of ``card`` for ``task`` restricted to ``categories``; see module doc.

    ``negatives`` (classification only): source categories merged into one extra class "other".
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    unknown = [c for c in categories if c not in card.categories]
    if unknown:
        raise DataError(f"{card.name}: categories {unknown} are not in the dataset ({card.categories})")
    key = (card.format, task)
    if key == ("imagenet", "classification"):
        return _cls(card, categories, out_dir, seed, val_fraction, negatives or [])
    if key == ("coco", "detection"):
        return _coco(card, categories, out_dir, seed, val_fraction)
    if key == ("coco", "segmentation"):
        return _coco_to_masks(card, categories, out_dir, seed, val_fraction)
    if key == ("semantic_masks", "segmentation"):
        return _masks(card, categories, out_dir, seed, val_fraction)
    if key == ("coco_keypoints", "keypoint"):
        return _keypoints(card, categories, out_dir, seed, val_fraction)
    raise DataError(f"{card.name}: a {card.format} dataset cannot serve {task} (it serves {card.tasks})")


# --------------------------------------------------------------------------- classification


def _cls(card, categories, out, seed, val_fraction, negatives) -> Subset:
    from .formats_cls import read_items
    src_classes, items, _ = read_items(card.path)
    notes: list[str] = []
    name_of = {src_classes.index(c): c for c in categories}
    name_of.update({src_classes.index(c): "other" for c in negatives})
    if negatives:
        notes.append(f"class 'other' merges {len(negatives)} unrequested categories as negatives")
    per_split = {s: [(p, name_of[lb]) for p, lb in rows if lb in name_of] for s, rows in items.items()}
    splits = _splits(per_split, seed, val_fraction, notes, card.name, key=lambda it: it[1])
    counts = {s: Counter(c for _, c in rows) for s, rows in splits.items()}
    classes = _drop_empty(list(categories) + (["other"] if negatives else []), counts["train"], notes, card.name)
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
            link_file(src, out / "images" / rel)
            lines.append(f"{rel} {label[cls]}")
        write_text(out / f"{split}.txt", "\n".join(lines) + "\n")
    write_text(out / "classes.txt", "\n".join(classes) + "\n")
    return Subset("imagenet", classes, {"data_prefix": "images", "train_list": "train.txt", "val_list": "val.txt"},
                  {c: counts["train"][c] for c in classes}, {c: counts["val"].get(c, 0) for c in classes},
                  notes=notes)


# --------------------------------------------------------------------------- COCO helpers


def _coco_splits(card, seed, val_fraction, notes) -> dict[str, tuple[dict, Path, list[dict]]]:
    """split -> (json, image dir, images); a single-split source is split by image, seeded."""
    from .formats_coco import load_json
    loaded = {s: (load_json(Path(card.files[f"{s}_ann"])), Path(card.files[f"{s}_img_dir"]))
              for s in ("train", "val", "all") if f"{s}_ann" in card.files}
    if "train" in loaded and "val" in loaded:
        return {s: (d, p, d["images"]) for s, (d, p) in loaded.items() if s in ("train", "val")}
    only = next(iter(loaded))
    data, img_dir = loaded[only]
    train, val = seeded_split(data["images"], seed, val_fraction)
    notes.append(f"{card.name} has one annotation file ({only!r}); made a seeded image split (seed {seed}, "
                 f"{val_fraction:.0%} val): {len(train)} train / {len(val)} val images")
    return {"train": (data, img_dir, train), "val": (data, img_dir, val)}


def _kept_anns(data: dict, images: list[dict], cat_map: dict[int, int]) -> dict[int, list[dict]]:
    ids = {im["id"] for im in images}
    by_img: dict[int, list[dict]] = {}
    for a in data["annotations"]:
        if a["image_id"] in ids and a["category_id"] in cat_map:
            by_img.setdefault(a["image_id"], []).append(a)
    return by_img


def _cat_map(data: dict, classes: list[str]) -> dict[int, int]:
    name2new = {c: i + 1 for i, c in enumerate(classes)}
    return {c["id"]: name2new[c["name"]] for c in data["categories"] if c["name"] in name2new}


def _link_image(img_dir: Path, im: dict, out: Path, split: str, ann_file: str) -> str:
    src = img_dir / im["file_name"]
    if not src.is_file():
        raise DataError(f"{ann_file}: image {im['file_name']!r} (id {im['id']}) not found in {img_dir}")
    rel = f"{split}/{im['file_name']}"
    link_file(src, out / "images" / rel)
    return rel


def _count_train(card, categories, splits) -> dict[str, int]:
    names: dict[str, int] = {c: 0 for c in categories}
    data, _, images = splits["train"]
    id2name = {c["id"]: c["name"] for c in data["categories"]}
    ids = {im["id"] for im in images}
    for a in data["annotations"]:
        n = id2name[a["category_id"]]
        if a["image_id"] in ids and n in names:
            names[n] += 1
    return names


# --------------------------------------------------------------------------- detection


def _coco(card, categories, out, seed, val_fraction) -> Subset:
    notes: list[str] = []
    splits = _coco_splits(card, seed, val_fraction, notes)
    classes = _drop_empty(list(categories), _count_train(card, categories, splits), notes, card.name)
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        cat_map = _cat_map(data, classes)
        by_img = _kept_anns(data, images, cat_map)
        coco = {"info": {"description": f"{card.name} subset: {', '.join(classes)}"}, "licenses": [],
                "images": [], "annotations": [],
                "categories": [{"id": i + 1, "name": c, "supercategory": c} for i, c in enumerate(classes)]}
        c = Counter()
        for im in images:
            anns = by_img.get(im["id"])
            if not anns:
                continue
            rel = _link_image(img_dir, im, out, split, card.files.get(f"{split}_ann", card.files.get("all_ann", "")))
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


# --------------------------------------------------------------------------- segmentation


def _save_mask(arr: np.ndarray, path: Path) -> None:
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.png")
    Image.fromarray(arr.astype(np.uint8), mode="L").save(tmp)
    os.replace(tmp, path)


def _seg_suffix(paths: list[Path], notes: list[str]) -> str:
    sufs = Counter(p.suffix.lower() for p in paths)
    if not sufs:
        return ".jpg"
    suf = sufs.most_common(1)[0][0]
    if len(sufs) > 1:
        notes.append(f"images have mixed suffixes {dict(sufs)}; linked as '{suf}' (decoders read the content)")
    return suf


def _semantic_subset(out: Path, classes: list[str], suffix: str, counts: dict[str, dict[str, int]],
                     notes: list[str]) -> Subset:
    """The Subset of a semantic-mask tree written under ``out`` (images/<split>, masks/<split>); writes classes.txt."""
    files = {"train_img_dir": "images/train", "train_mask_dir": "masks/train", "val_img_dir": "images/val",
             "val_mask_dir": "masks/val", "img_suffix": suffix, "mask_suffix": ".png"}
    write_text(out / "classes.txt", "\n".join(classes) + "\n")
    return Subset("semantic_masks", classes, files, counts["train"], counts["val"], notes=notes)


def _coco_to_masks(card, categories, out, seed, val_fraction) -> Subset:
    from pycocotools import mask as mask_utils
    notes: list[str] = ["semantic masks rasterised from the COCO polygons/RLE (crowd regions = 255, ignored)"]
    splits = _coco_splits(card, seed, val_fraction, notes)
    fg = _drop_empty(list(categories), _count_train(card, categories, splits), notes, card.name)
    classes = ["background", *fg]
    all_imgs = [img_dir / im["file_name"] for _, (d, img_dir, ims) in splits.items() for im in ims]
    suffix = _seg_suffix(all_imgs, notes)
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        cat_map = _cat_map(data, fg)
        by_img = _kept_anns(data, images, cat_map)
        c = Counter()
        for im in images:
            anns = by_img.get(im["id"])
            if not anns:
                continue
            stem = Path(im["file_name"]).with_suffix("").as_posix().replace("/", "__")
            src = img_dir / im["file_name"]
            if not src.is_file():
                raise DataError(f"{card.files.get(split + '_ann')}: image {im['file_name']!r} not found in {img_dir}")
            link_file(src, out / "images" / split / f"{stem}{suffix}")
            mask_path = out / "masks" / split / f"{stem}.png"
            present = {classes[cat_map[a["category_id"]]] for a in anns}
            c.update(present)
            if mask_path.is_file():
                continue
            h, w = im.get("height"), im.get("width")
            if not h or not w:
                from PIL import Image
                with Image.open(src) as pim:
                    w, h = pim.size
            sem = np.zeros((h, w), dtype=np.uint8)
            for a in sorted(anns, key=lambda a: -float(a.get("area") or a["bbox"][2] * a["bbox"][3])):
                seg = a.get("segmentation")
                if not seg:
                    raise DataError(f"{card.files.get(split + '_ann')}: annotation {a.get('id')} (image "
                                    f"{im['file_name']}) has no segmentation; cannot make a mask")
                try:
                    if isinstance(seg, list):
                        rle = mask_utils.merge(mask_utils.frPyObjects(seg, h, w))
                    elif isinstance(seg.get("counts"), list):
                        rle = mask_utils.frPyObjects(seg, h, w)
                    else:
                        rle = seg
                    m = mask_utils.decode(rle).astype(bool)
                except Exception as e:
                    raise DataError(f"{card.files.get(split + '_ann')}: annotation {a.get('id')} has a malformed "
                                    f"segmentation: {e}") from e
                sem[m] = IGNORE if a.get("iscrowd") else cat_map[a["category_id"]]
            _save_mask(sem, mask_path)
        counts[split] = {k: c.get(k, 0) for k in fg}
    return _semantic_subset(out, classes, suffix, counts, notes)


def _masks(card, categories, out, seed, val_fraction) -> Subset:
    from .formats_masks import check_values, find_pairs, read_mask
    notes: list[str] = []
    src_classes = card.categories
    fg = [c for c in categories if c != src_classes[0]]
    pairs = find_pairs(card.path)
    splits = _splits(pairs, seed, val_fraction, notes, card.name)
    lut = np.zeros(256, dtype=np.uint8)
    lut[IGNORE] = IGNORE
    idx = {c: src_classes.index(c) for c in fg}
    classes = ["background", *fg]
    for i, c in enumerate(fg, 1):
        lut[idx[c]] = i
    others = [c for c in src_classes[1:] if c not in fg]
    if others:
        notes.append(f"pixels of unselected classes ({', '.join(others)}) become background")
    suffix = _seg_suffix([img for rows in splits.values() for img, _ in rows], notes)
    counts: dict[str, dict[str, int]] = {}
    for split, rows in splits.items():
        c = Counter()
        for img, mask_src in rows:
            vals = check_values(read_mask(mask_src), mask_src, len(src_classes))
            present = [src_classes[v] for v in vals if src_classes[v] in idx]
            if not present:
                continue
            c.update(present)
            link_file(img, out / "images" / split / f"{img.stem}{suffix}")
            dst = out / "masks" / split / f"{img.stem}.png"
            if not dst.is_file():
                _save_mask(lut[read_mask(mask_src)], dst)
        counts[split] = {k: c.get(k, 0) for k in fg}
    kept = _drop_empty(fg, counts["train"], notes, card.name)
    if kept != fg:
        raise DataError(f"{card.name}: categories {sorted(set(fg) - set(kept))} appear in no training mask")
    notes.append("images whose masks contain none of the selected classes are left out")
    return _semantic_subset(out, classes, suffix, counts, notes)


# --------------------------------------------------------------------------- keypoints


def _keypoints(card, categories, out, seed, val_fraction) -> Subset:
    from .formats_coco import keypoint_layout
    notes: list[str] = []
    layouts = card.metainfo.get("keypoints", {})
    with_kpts = [c for c in categories if c in layouts]
    if not with_kpts:
        raise DataError(f"{card.name}: categories {categories} have no keypoint layout")
    if len(with_kpts) > 1:
        notes.append(f"several keypoint categories matched ({', '.join(with_kpts)}); using {with_kpts[0]!r}")
    cat_name = with_kpts[0]
    splits = _coco_splits(card, seed, val_fraction, notes)
    data0 = splits["train"][0]
    src_cat = next(c for c in data0["categories"] if c["name"] == cat_name)
    meta = keypoint_layout(src_cat, notes)
    k = len(meta["keypoint_names"])
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        cat_map = {src_cat["id"]: 1}
        by_img = _kept_anns(data, images, cat_map)
        coco = {"info": {"description": f"{card.name} keypoint subset: {cat_name}"}, "licenses": [], "images": [],
                "annotations": [],
                "categories": [{"id": 1, "name": cat_name, "supercategory": src_cat.get("supercategory", cat_name),
                                "keypoints": meta["keypoint_names"],
                                "skeleton": [[i + 1, j + 1] for i, j in meta["skeleton"]]}]}
        n = 0
        for im in images:
            anns = []
            for a in by_img.get(im["id"], []):
                kp = a.get("keypoints")
                if not isinstance(kp, list) or len(kp) != 3 * k:
                    raise DataError(f"{card.files.get(split + '_ann')}: annotation {a.get('id')} has "
                                    f"{len(kp) if isinstance(kp, list) else 'no'} keypoint values, expected 3*{k}")
                nk = sum(1 for v in kp[2::3] if v > 0)
                if nk:
                    anns.append({**a, "category_id": 1, "num_keypoints": nk, "iscrowd": a.get("iscrowd", 0),
                                 "area": a.get("area", float(a["bbox"][2] * a["bbox"][3]))})
            if not anns:
                continue
            rel = _link_image(img_dir, im, out, split, card.files.get(f"{split}_ann", ""))
            coco["images"].append({**im, "file_name": rel})
            coco["annotations"] += anns
            n += len(anns)
        write_json(out / "annotations" / f"{split}.json", coco)
        counts[split] = {cat_name: n}
    if counts["train"][cat_name] == 0:
        raise DataError(f"{card.name}: no {cat_name!r} instance with annotated keypoints in train (empty class)")
    return Subset("coco_keypoints", [cat_name], {"img_dir": "images", "train_ann": "annotations/train.json",
                                                  "val_ann": "annotations/val.json"},
                  counts["train"], counts["val"], metainfo=meta, notes=notes)
