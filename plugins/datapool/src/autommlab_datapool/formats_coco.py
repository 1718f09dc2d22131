"""COCO sources: instances (detection, segmentation from polygons/RLE) and keypoints.

Annotation files are found under ``<root>/annotations/`` or ``<root>/``: a name
containing "train" is the train split, "val" the val split; a single file
without either is one split "all". Images are looked up, per split, in
``img_dir`` (if given), ``images/``, ``images/<split>/``, ``<split>/``,
``<split>2017/``, the annotation file's folder and the root.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from autommlab.errors import DataError

from .cards import DatasetCard

# COCO-17 sigmas by joint word; LSP-style joints reuse them (neck/head guessed)
SIGMA_BY_WORD = {"nose": 0.026, "eye": 0.025, "ear": 0.035, "shoulder": 0.079, "elbow": 0.072,
                 "wrist": 0.062, "hand": 0.062, "hip": 0.107, "pelvis": 0.107, "knee": 0.087,
                 "ankle": 0.089, "foot": 0.089, "neck": 0.079, "head": 0.089, "top": 0.089}
DEFAULT_SIGMA = 0.08


def find_ann_files(root: Path, train_ann: str | None = None, val_ann: str | None = None) -> dict[str, Path]:
    """split -> annotation json; explicit names win over the search."""
    root = Path(root)
    out: dict[str, Path] = {}
    for split, given in (("train", train_ann), ("val", val_ann)):
        if given:
            p = Path(given) if Path(given).is_absolute() else root / given
            if not p.is_file():
                raise DataError(f"{split} annotation file {p} does not exist")
            out[split] = p
    if out:
        return out
    jsons = sorted([*root.glob("annotations/*.json"), *root.glob("*.json")])
    jsons = [p for p in jsons if p.name not in ("provenance.json", "card.json")]
    for p in jsons:
        n = p.stem.lower()
        if "train" in n and "train" not in out:
            out["train"] = p
        elif "val" in n and "val" not in out:
            out["val"] = p
    if not out and len(jsons) == 1:
        out["all"] = jsons[0]
    if not out:
        raise DataError(f"{root}: no COCO annotation json found (looked in annotations/*.json and *.json; "
                        "name them *train*.json / *val*.json or pass --train-ann/--val-ann)")
    return out


def load_json(path: Path) -> dict[str, Any]:
    """Load and structurally validate a COCO json; errors name the file and the item."""
    try:
        data = json.loads(Path(path).read_text())
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: malformed JSON: {e}") from e
    except OSError as e:
        raise DataError(f"{path}: cannot read: {e}") from e
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object with images/annotations/categories")
    for key in ("images", "annotations", "categories"):
        if not isinstance(data.get(key), list):
            raise DataError(f"{path}: missing or non-list {key!r}")
    cat_ids, names = set(), set()
    for i, c in enumerate(data["categories"]):
        if not isinstance(c, dict) or "id" not in c or "name" not in c:
            raise DataError(f"{path}: categories[{i}] needs 'id' and 'name', got {c}")
        if not _is_id(c["id"]) or not isinstance(c["name"], str):
            raise DataError(f"{path}: categories[{i}]: id must be an integer and name a string, got "
                            f"id={c['id']!r} name={c['name']!r}")
        if c["name"] in names:
            raise DataError(f"{path}: categories[{i}]: duplicate category name {c['name']!r}")
        cat_ids.add(c["id"])
        names.add(c["name"])
    img_ids = set()
    for i, im in enumerate(data["images"]):
        if not isinstance(im, dict) or "id" not in im or "file_name" not in im:
            raise DataError(f"{path}: images[{i}] needs 'id' and 'file_name', got {im}")
        if not _is_id(im["id"]) or not isinstance(im["file_name"], str):
            raise DataError(f"{path}: images[{i}]: id must be an integer and file_name a string, got "
                            f"id={im['id']!r} file_name={im['file_name']!r}")
        for key in ("width", "height"):
            if key in im and not (_is_id(im[key]) and im[key] > 0):
                raise DataError(f"{path}: images[{i}] (id {im['id']}): {key}={im[key]!r} is not a positive integer")
        img_ids.add(im["id"])
    for i, a in enumerate(data["annotations"]):
        if not isinstance(a, dict):
            raise DataError(f"{path}: annotations[{i}] is not an object: {a!r}")
        where = f"{path}: annotations[{i}] (id {a.get('id')})"
        if not _is_id(a.get("image_id")) or a.get("image_id") not in img_ids:
            raise DataError(f"{where}: image_id {a.get('image_id')!r} is not in images")
        if not _is_id(a.get("category_id")) or a.get("category_id") not in cat_ids:
            raise DataError(f"{where}: category_id {a.get('category_id')!r} is not in categories "
                            f"(ids {sorted(cat_ids)})")
        bbox = a.get("bbox")
        if not (isinstance(bbox, list) and len(bbox) == 4 and all(_finite(v) for v in bbox)) \
                or bbox[2] < 0 or bbox[3] < 0:
            raise DataError(f"{where}: bbox must be [x, y, w, h] of finite numbers with w, h >= 0, got {bbox}")
        if "area" in a and not _finite(a["area"]):
            raise DataError(f"{where}: area={a['area']!r} is not a finite number")
    return data


def _is_id(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_keypoints(ann: dict[str, Any], k: int, where: str) -> list[float]:
    """The ``keypoints`` list of one annotation, checked: 3 x ``k`` finite numbers; DataError naming ``where``."""
    kp = ann.get("keypoints")
    if not isinstance(kp, list) or len(kp) != 3 * k:
        n = len(kp) if isinstance(kp, list) else "no"
        raise DataError(f"{where}: has {n} keypoint values, expected 3*{k} for the category's {k} keypoints")
    if not all(_finite(v) for v in kp):
        raise DataError(f"{where}: keypoints hold a value that is not a finite number: {kp}")
    return kp


def resolve_img_dir(root: Path, split: str, ann: Path, data: dict, img_dir: str | None = None) -> Path:
    """The folder the split's ``file_name`` values are relative to; every image must exist there."""
    root = Path(root)
    cands = []
    if img_dir:
        p = Path(img_dir)
        cands += [p if p.is_absolute() else root / p, (p if p.is_absolute() else root / p) / split]
    cands += [root / "images", root / "images" / split, root / split, root / f"{split}2017", ann.parent, root]
    if not data["images"]:
        return cands[0] if img_dir else root / "images"
    from .imagecheck import inside
    for i, im in enumerate(data["images"]):
        inside(root, im["file_name"], f"{ann}: images[{i}] (id {im['id']})")
    first = data["images"][0]["file_name"]
    found = next((c for c in cands if (c / first).is_file()), None)
    if found is None:
        raise DataError(f"{ann}: image {first!r} (images[0]) not found; looked in "
                        + ", ".join(str(c) for c in cands))
    for i, im in enumerate(data["images"]):
        if not (found / im["file_name"]).is_file():
            raise DataError(f"{ann}: images[{i}] file {im['file_name']!r} (id {im['id']}) not found in {found}")
    return found


def keypoint_layout(cat: dict[str, Any], notes: list[str] | None = None) -> dict[str, Any]:
    """0-based keypoint metainfo of a COCO keypoint category (names, skeleton, flip pairs, sigmas).

    DataError naming the category when a field has the wrong shape or type.
    """
    try:
        return _keypoint_layout(cat, notes)
    except (TypeError, ValueError) as e:
        raise DataError(f"category {cat.get('name')!r}: malformed keypoints/skeleton/flip_pairs/sigmas "
                        f"({type(e).__name__}: {e})") from e


def _keypoint_layout(cat: dict[str, Any], notes: list[str] | None) -> dict[str, Any]:
    names = list(cat.get("keypoints") or [])
    if not all(isinstance(n, str) for n in names):
        raise ValueError(f"keypoint names must be strings, got {names}")
    k = len(names)
    skeleton = [[int(i) - 1, int(j) - 1] for i, j in cat.get("skeleton") or []]  # COCO skeleton is 1-based
    if any(not (0 <= i < k and 0 <= j < k) for i, j in skeleton):
        raise DataError(f"category {cat.get('name')!r}: skeleton {cat.get('skeleton')} has indices outside 1..{k}")
    if "flip_pairs" in cat:
        flip = [[int(i), int(j)] for i, j in cat["flip_pairs"]]
    else:
        flip = _flip_pairs_from_names(names)
    if "sigmas" in cat and len(cat["sigmas"]) == k:
        sigmas = [float(s) for s in cat["sigmas"]]
    else:
        sigmas = [_sigma_for(n) for n in names]
        if notes is not None:
            notes.append(f"category {cat.get('name')!r} gives no OKS sigmas; using COCO/LSP-style sigmas by "
                         f"joint name ({min(sigmas):.3f}-{max(sigmas):.3f}, {DEFAULT_SIGMA} for unknown names)")
    return {"keypoint_names": names, "skeleton": skeleton, "flip_pairs": flip, "sigmas": sigmas}


def _sigma_for(name: str) -> float:
    low = name.lower()
    for word, s in SIGMA_BY_WORD.items():
        if word in low:
            return s
    return DEFAULT_SIGMA


def _flip_pairs_from_names(names: list[str]) -> list[list[int]]:
    index = {n: i for i, n in enumerate(names)}
    pairs = []
    for i, n in enumerate(names):
        for a, b in (("left", "right"), ("l_", "r_")):
            if n.startswith(a) and (n.replace(a, b, 1)) in index:
                pairs.append([i, index[n.replace(a, b, 1)]])
    return pairs


def inspect(name: str, root: Path, fmt: str = "coco", train_ann: str | None = None, val_ann: str | None = None,
            img_dir: str | None = None, **_: object) -> DatasetCard:
    """Read and validate a COCO dataset; return its card (``fmt`` "coco" or "coco_keypoints")."""
    root = Path(root).resolve()
    anns = find_ann_files(root, train_ann, val_ann)
    categories: list[str] | None = None
    cats_raw: list[dict] = []
    counts: dict[str, dict[str, int]] = {}
    images: dict[str, int] = {}
    files: dict[str, str] = {}
    has_seg = False
    notes: list[str] = []
    loaded: dict[str, dict[str, Any]] = {}
    for split, ann in anns.items():
        data = loaded[split] = load_json(ann)
        cats = sorted(data["categories"], key=lambda c: c["id"])
        names = [c["name"] for c in cats]
        if categories is None:
            categories, cats_raw = names, cats
        elif names != categories:
            raise DataError(f"{ann}: categories {names} differ from the other split's {categories}")
        d = resolve_img_dir(root, split, ann, data, img_dir)
        files[f"{split}_ann"] = str(ann)
        files[f"{split}_img_dir"] = str(d)
        id2name = {c["id"]: c["name"] for c in cats}
        counts[split] = {n: 0 for n in names}
        for a in data["annotations"]:
            counts[split][id2name[a["category_id"]]] += 1
            has_seg = has_seg or bool(a.get("segmentation"))
        images[split] = len(data["images"])
    assert categories is not None
    metainfo: dict[str, Any] = {}
    if fmt == "coco_keypoints":
        kcats = [c for c in cats_raw if c.get("keypoints")]
        if not kcats:
            raise DataError(f"{next(iter(anns.values()))}: --format coco_keypoints but no category has 'keypoints'")
        metainfo["keypoints"] = {c["name"]: keypoint_layout(c, notes) for c in kcats}
        k_of = {c["id"]: len(metainfo["keypoints"][c["name"]]["keypoint_names"]) for c in kcats}
        for split, ann in anns.items():  # every instance must fit its category's layout
            for i, a in enumerate(loaded[split]["annotations"]):
                if a["category_id"] in k_of:
                    check_keypoints(a, k_of[a["category_id"]], f"{ann}: annotations[{i}] (id {a.get('id')})")
        tasks = ["keypoint"]
    else:
        tasks = ["detection"] + (["segmentation"] if has_seg else [])
    empty = [c for c in categories if not any(counts[s][c] for s in counts)]
    if empty:
        notes.append(f"categories with no annotations: {', '.join(empty)}")
    return DatasetCard(name=name, path=root, format=fmt, tasks=tasks, categories=categories, counts=counts,
                       images=images, files=files, metainfo=metainfo, notes=notes)
