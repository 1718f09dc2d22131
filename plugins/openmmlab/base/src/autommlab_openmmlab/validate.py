"""Check a ``DataPlan`` before training; every error names the file and the item.

In: a ``DataPlan`` (and, for keypoints, the keypoint count the head will have).
Out: None, or ``DataError`` for a missing file or image, a malformed list line
or annotation, a class without any training sample, or class/keypoint counts
that do not match the plan. Cheap: reads lists/json/masks, stats images.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from autommlab.errors import DataError


def _file(plan, key: str) -> Path:
    try:
        p = plan.path(key)
    except KeyError as e:
        raise DataError(f"DataPlan ({plan.format}) is missing files[{key!r}]: {e}") from None
    if not p.exists():
        raise DataError(f"{key}: {p} does not exist")
    return p


def _load_json(p: Path) -> dict:
    try:
        data = json.loads(p.read_text())
    except json.JSONDecodeError as e:
        raise DataError(f"{p}: malformed JSON: {e}") from None
    if not isinstance(data, dict):
        raise DataError(f"{p}: expected a COCO object with images/annotations/categories")
    for k in ("images", "annotations", "categories"):
        if not isinstance(data.get(k), list):
            raise DataError(f"{p}: malformed COCO file: {k!r} missing or not a list")
    return data


def validate_imagenet(plan) -> None:
    prefix = _file(plan, "data_prefix")
    n = len(plan.classes)
    for split in ("train_list", "val_list"):
        lst = _file(plan, split)
        counts: Counter[int] = Counter()
        for no, line in enumerate(lst.read_text().splitlines(), 1):
            if not line.strip():
                continue
            parts = line.rsplit(maxsplit=1)
            if len(parts) != 2 or not parts[1].lstrip("-").isdigit():
                raise DataError(f"{lst}:{no}: malformed line {line!r}; expected '<image path> <label index>'")
            label = int(parts[1])
            if not 0 <= label < n:
                raise DataError(f"{lst}:{no}: label {label} outside 0..{n - 1}: the plan has {n} classes {plan.classes}")
            if not (prefix / parts[0]).is_file():
                raise DataError(f"{lst}:{no}: image {prefix / parts[0]} does not exist")
            counts[label] += 1
        if split == "train_list":
            _no_empty(plan.classes, counts, lst)


def _no_empty(classes: list[str], counts: Counter, where: Path) -> None:
    empty = [c for i, c in enumerate(classes) if counts.get(i, 0) == 0]
    if empty:
        raise DataError(f"{where}: class(es) {empty} have no training sample")


def _coco_common(plan, key: str, img_dir: Path) -> dict:
    p = _file(plan, key)
    data = _load_json(p)
    images = {}
    for im in data["images"]:
        if not isinstance(im, dict) or "id" not in im or "file_name" not in im:
            raise DataError(f"{p}: malformed image entry {im!r}: needs id and file_name")
        if not (img_dir / im["file_name"]).is_file():
            raise DataError(f"{p}: image id {im['id']}: {img_dir / im['file_name']} does not exist")
        images[im["id"]] = im
    for a in data["annotations"]:
        aid = a.get("id") if isinstance(a, dict) else None
        if not isinstance(a, dict) or a.get("image_id") not in images:
            raise DataError(f"{p}: annotation id {aid}: image_id {a.get('image_id') if isinstance(a, dict) else a!r} "
                            f"is not in images")
        bbox = a.get("bbox")
        if (not isinstance(bbox, list) or len(bbox) != 4 or not all(isinstance(v, (int, float)) for v in bbox)
                or bbox[2] <= 0 or bbox[3] <= 0):
            raise DataError(f"{p}: annotation id {aid}: malformed bbox {bbox!r}; expected [x, y, w, h] with w, h > 0")
    return data


def validate_coco(plan) -> None:
    img_dir = _file(plan, "img_dir")
    ids = list(range(1, len(plan.classes) + 1))
    for key in ("train_ann", "val_ann"):
        data = _coco_common(plan, key, img_dir)
        p = plan.path(key)
        cats = sorted((c.get("id"), c.get("name")) for c in data["categories"])
        if [c[1] for c in cats] != list(plan.classes) or [c[0] for c in cats] != ids:
            raise DataError(f"{p}: categories {cats} do not match the plan's {len(plan.classes)} classes "
                            f"{plan.classes} (expected ids 1..{len(plan.classes)} in that order)")
        for a in data["annotations"]:
            if a.get("category_id") not in ids:
                raise DataError(f"{p}: annotation id {a.get('id')}: category_id {a.get('category_id')} "
                                f"is not one of {ids}")
        if key == "train_ann":
            _no_empty(plan.classes, Counter(a["category_id"] - 1 for a in data["annotations"]), p)


def validate_masks(plan) -> None:
    import numpy as np
    from PIL import Image

    if plan.classes[0] != "background":
        raise DataError(f"semantic_masks plan: classes[0] must be 'background', got {plan.classes[0]!r}")
    img_suffix = plan.files.get("img_suffix", ".jpg")
    mask_suffix = plan.files.get("mask_suffix", ".png")
    n = len(plan.classes)
    for split in ("train", "val"):
        img_dir, mask_dir = _file(plan, f"{split}_img_dir"), _file(plan, f"{split}_mask_dir")
        imgs = sorted(img_dir.glob(f"*{img_suffix}"))
        if not imgs:
            raise DataError(f"{split}_img_dir: {img_dir} has no *{img_suffix} image")
        seen: Counter[int] = Counter()
        for im in imgs:
            mask = mask_dir / (im.name[: -len(img_suffix)] + mask_suffix)
            if not mask.is_file():
                raise DataError(f"{split}: image {im.name} has no mask {mask}")
            with Image.open(mask) as m:
                arr = np.asarray(m)
            if arr.ndim != 2:
                raise DataError(f"{mask}: mask must be single-channel (mode L), got shape {arr.shape}")
            vals = set(np.unique(arr).tolist())
            bad = sorted(v for v in vals if v >= n and v != 255)
            if bad:
                raise DataError(f"{mask}: pixel values {bad} are not class indices 0..{n - 1} (or 255 = ignore); "
                                f"the plan has {n} classes {plan.classes}")
            seen.update(v for v in vals if v < n)
        if split == "train":
            _no_empty(plan.classes, seen, mask_dir)


def validate_keypoints(plan) -> None:
    img_dir = _file(plan, "img_dir")
    meta: dict[str, Any] = plan.metainfo or {}
    names = meta.get("keypoint_names")
    if not names:
        raise DataError("coco_keypoints plan: metainfo['keypoint_names'] is missing or empty")
    k = len(names)
    sigmas = meta.get("sigmas")
    if not isinstance(sigmas, list) or len(sigmas) != k:
        raise DataError(f"coco_keypoints plan: metainfo['sigmas'] must list {k} numbers (one per keypoint), "
                        f"got {sigmas!r}")
    for field in ("flip_pairs", "skeleton"):
        for pair in meta.get(field) or []:
            if len(pair) != 2 or not all(isinstance(i, int) and 0 <= i < k for i in pair):
                raise DataError(f"coco_keypoints plan: metainfo[{field!r}] pair {pair} is not two indices in 0..{k - 1}")
    for key in ("train_ann", "val_ann"):
        data = _coco_common(plan, key, img_dir)
        p = plan.path(key)
        if len(data["categories"]) != len(plan.classes):
            raise DataError(f"{p}: {len(data['categories'])} categories, the plan has {len(plan.classes)} "
                            f"classes {plan.classes}")
        ck = data["categories"][0].get("keypoints") if data["categories"] else None
        if ck is not None and len(ck) != k:
            raise DataError(f"{p}: category keypoints list {len(ck)} joints, metainfo names {k}")
        for a in data["annotations"]:
            kp = a.get("keypoints")
            if not isinstance(kp, list) or len(kp) != 3 * k:
                raise DataError(f"{p}: annotation id {a.get('id')}: 'keypoints' must hold {3 * k} numbers "
                                f"({k} joints x [x, y, v]), got {len(kp) if isinstance(kp, list) else kp!r}")
        if key == "train_ann" and not data["annotations"]:
            raise DataError(f"{p}: no annotated person to train on")


VALIDATORS = {
    "imagenet": validate_imagenet,
    "coco": validate_coco,
    "semantic_masks": validate_masks,
    "coco_keypoints": validate_keypoints,
}

EXPECTED_FORMAT = {"classification": "imagenet", "detection": "coco", "segmentation": "semantic_masks",
                   "keypoint": "coco_keypoints"}


def validate(plan) -> None:
    want = EXPECTED_FORMAT[plan.task]
    if plan.format != want:
        raise DataError(f"DataPlan for {plan.task} must be in format {want!r}, got {plan.format!r}")
    VALIDATORS[plan.format](plan)
