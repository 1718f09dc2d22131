"""The val split of a DataPlan with its ground truth, read from the trainer-format files (numpy/json only).

``val_items(plan)`` -> list of ``ValItem`` in file order, following the DataPlan
output contract (``autommlab_datapool.subset``):

- imagenet: ``data_prefix`` + ``val_list`` lines "<rel path> <label>"
- coco: ``img_dir`` + ``val_ann`` (boxes xywh -> xyxy; labels by category name in ``plan.classes``)
- semantic_masks: ``val_img_dir`` / ``val_mask_dir`` with ``img_suffix`` / ``mask_suffix``
- coco_keypoints: ``img_dir`` + ``val_ann`` (one entry per annotated person)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autommlab.errors import DataError
from autommlab.schemas import DataPlan


@dataclass
class ValItem:
    image: Path
    label: int | None = None  # classification
    boxes: list[tuple[list[float], int]] = field(default_factory=list)  # detection: (xyxy, label index)
    mask: Path | None = None  # segmentation: pixel = class index, 255 ignore
    bbox_xywh: list[float] | None = None  # keypoint: the person box
    keypoints: list[list[float]] = field(default_factory=list)  # keypoint: [x, y, visibility]
    image_id: int | None = None  # COCO image id


def _coco(plan: DataPlan) -> tuple[dict[str, Any], Path, dict[int, int]]:
    ann = plan.path("val_ann")
    try:
        data = json.loads(ann.read_text())
    except (OSError, ValueError) as e:
        raise DataError(f"{ann}: cannot read the val annotations ({e})") from e
    cats = sorted(data.get("categories", []), key=lambda c: c["id"])
    by_name = {c: i for i, c in enumerate(plan.classes)}
    label = {c["id"]: by_name.get(c["name"], i) for i, c in enumerate(cats)}
    return data, plan.path("img_dir"), label


def val_items(plan: DataPlan) -> list[ValItem]:
    """The val images of ``plan`` with their ground truth; DataError names a missing file."""
    if plan.format == "imagenet":
        prefix = plan.path("data_prefix")
        lst = plan.path("val_list")
        items = []
        for line in lst.read_text().splitlines():
            if line.strip():
                rel, lab = line.rsplit(maxsplit=1)
                items.append(ValItem(image=prefix / rel, label=int(lab)))
        return items
    if plan.format == "coco":
        data, img_dir, label = _coco(plan)
        boxes: dict[int, list] = {}
        for a in data.get("annotations", []):
            x, y, w, h = a["bbox"]
            boxes.setdefault(a["image_id"], []).append(([x, y, x + w, y + h], label.get(a["category_id"], 0)))
        return [ValItem(image=img_dir / im["file_name"], boxes=boxes.get(im["id"], []), image_id=im["id"])
                for im in data.get("images", [])]
    if plan.format == "semantic_masks":
        img_dir, mask_dir = plan.path("val_img_dir"), plan.path("val_mask_dir")
        isuf, msuf = plan.files.get("img_suffix", ".jpg"), plan.files.get("mask_suffix", ".png")
        return [ValItem(image=p, mask=mask_dir / (p.name[: -len(isuf)] + msuf))
                for p in sorted(img_dir.iterdir()) if p.name.endswith(isuf)]
    if plan.format == "coco_keypoints":
        data, img_dir, _ = _coco(plan)
        images = {im["id"]: im for im in data.get("images", [])}
        out = []
        for a in data.get("annotations", []):
            im = images.get(a["image_id"])
            if im is None:
                continue
            k = a.get("keypoints", [])
            out.append(ValItem(image=img_dir / im["file_name"], bbox_xywh=[float(v) for v in a["bbox"]],
                               keypoints=[list(map(float, k[i:i + 3])) for i in range(0, len(k), 3)],
                               image_id=im["id"]))
        return out
    raise DataError(f"unknown data format {plan.format!r}")
