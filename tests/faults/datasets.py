"""Tiny hostile datasets built on disk for the fault suite (real files, a few pixels each)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def jpeg(path: Path, size: tuple[int, int] = (24, 20), value: int = 120) -> Path:
    """A real JPEG of ``size`` (width, height)."""
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    arr = np.full((size[1], size[0], 3), value, dtype=np.uint8)
    arr[: size[1] // 2] = 255 - value
    Image.fromarray(arr).save(path, "JPEG", quality=90)
    return path


def truncate(path: Path, keep: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def mask(path: Path, size: tuple[int, int], values=(0, 1), mode: str = "L") -> Path:
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    arr = np.zeros((size[1], size[0]), dtype=np.uint8)
    arr[:, size[0] // 2:] = values[-1]
    arr[:, : size[0] // 2] = values[0]
    img = Image.fromarray(arr, mode="L")
    if mode != "L":
        img = img.convert(mode)
    img.save(path)
    return path


def imagenet_folders(root: Path, classes=("ants", "bees"), n: int = 3) -> Path:
    for split in ("train", "val"):
        for c in classes:
            for i in range(n):
                jpeg(root / split / c / f"{c}{i}.jpg", value=40 + 60 * classes.index(c) + i)
    return root


def imagenet_lists(root: Path, lines: list[str], classes=("ants", "bees")) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "classes.txt").write_text("\n".join(classes) + "\n")
    for c in classes:
        jpeg(root / "img" / f"{c}.jpg")
    (root / "train.txt").write_text("\n".join(lines) + "\n")
    return root


def coco(root: Path, *, n: int = 3, bbox=None, category_id: int = 1, file_name=None, keypoints=None,
         k: int = 0, raw: str | None = None, width=None) -> Path:
    """A COCO dataset with ``n`` images per split; the first train annotation gets the given overrides."""
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    for split in ("train", "val"):
        images, anns = [], []
        for i in range(n):
            iid = (0 if split == "train" else 100) + i + 1
            jpeg(root / "images" / f"{split}{i}.jpg", size=(32, 24))
            images.append({"id": iid, "file_name": f"{split}{i}.jpg", "width": 32, "height": 24})
            a = {"id": iid, "image_id": iid, "category_id": 1, "bbox": [2, 2, 10, 8], "area": 80, "iscrowd": 0,
                 "segmentation": [[2, 2, 12, 2, 12, 10, 2, 10]]}
            if k:
                a["keypoints"] = [5, 5, 2] * k
                a["num_keypoints"] = k
            anns.append(a)
        if split == "train":
            if bbox is not None:
                anns[0]["bbox"] = bbox
            anns[0]["category_id"] = category_id
            if file_name is not None:
                images[0]["file_name"] = file_name
            if keypoints is not None:
                anns[0]["keypoints"] = keypoints
            if width is not None:
                images[0]["width"] = width
        cat = {"id": 1, "name": "person", "supercategory": "person"}
        if k:
            cat["keypoints"] = [f"joint{j}" for j in range(k)]
            cat["skeleton"] = [[1, 2]]
        text = json.dumps({"images": images, "annotations": anns, "categories": [cat]})
        (root / "annotations" / f"{split}.json").write_text(raw if (raw is not None and split == "train") else text)
    return root


def masks_dataset(root: Path, *, mask_size=(24, 20), image_size=(24, 20), values=(0, 1), mode="L",
                  n: int = 3) -> Path:
    (root).mkdir(parents=True, exist_ok=True)
    (root / "classes.txt").write_text("background\nroad\n")
    for split in ("train", "val"):
        for i in range(n):
            jpeg(root / "images" / split / f"{split}{i}.jpg", size=image_size)
            size = mask_size if (split == "train" and i == 0) else image_size
            mask(root / "masks" / split / f"{split}{i}.png", size, values if (split == "train" and i == 0)
                 else (0, 1), mode if (split == "train" and i == 0) else "L")
    return root
