"""Keypoint subset (COCO keypoints): one keypoint category as id 1, instances with no visible keypoint left out.

Every annotation must carry exactly 3 x K keypoint values for the category's
K keypoints (DataError naming the file and annotation otherwise); the
metainfo (names, 0-based skeleton, flip pairs, sigmas) goes with the subset.
"""

from __future__ import annotations

from pathlib import Path

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import write_json
from .subset_coco import ann_file, coco_splits, kept_anns, link_coco_image
from .subset_common import Subset


def keypoint_subset(card: DatasetCard, categories: list[str], out: Path, seed: int, val_fraction: float) -> Subset:
    """The COCO-keypoints subset of the first of ``categories`` that has a keypoint layout."""
    from .formats_coco import check_keypoints, keypoint_layout
    notes: list[str] = []
    layouts = card.metainfo.get("keypoints", {})
    with_kpts = [c for c in categories if c in layouts]
    if not with_kpts:
        raise DataError(f"{card.name}: categories {categories} have no keypoint layout")
    if len(with_kpts) > 1:
        notes.append(f"several keypoint categories matched ({', '.join(with_kpts)}); using {with_kpts[0]!r}")
    cat_name = with_kpts[0]
    splits = coco_splits(card, seed, val_fraction, notes)
    data0 = splits["train"][0]
    src_cat = next(c for c in data0["categories"] if c["name"] == cat_name)
    meta = keypoint_layout(src_cat, notes)
    k = len(meta["keypoint_names"])
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        ann = ann_file(card, split)
        by_img = kept_anns(data, images, {src_cat["id"]: 1})
        coco = {"info": {"description": f"{card.name} keypoint subset: {cat_name}"}, "licenses": [], "images": [],
                "annotations": [],
                "categories": [{"id": 1, "name": cat_name, "supercategory": src_cat.get("supercategory", cat_name),
                                "keypoints": meta["keypoint_names"],
                                "skeleton": [[i + 1, j + 1] for i, j in meta["skeleton"]]}]}
        n = 0
        for im in images:
            anns = []
            for a in by_img.get(im["id"], []):
                kp = check_keypoints(a, k, f"{ann}: annotation {a.get('id')}")
                nk = sum(1 for v in kp[2::3] if v > 0)
                if nk:
                    anns.append({**a, "category_id": 1, "num_keypoints": nk, "iscrowd": a.get("iscrowd", 0),
                                 "area": a.get("area", float(a["bbox"][2] * a["bbox"][3]))})
            if not anns:
                continue
            rel = link_coco_image(img_dir, im, out, split, ann)
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
