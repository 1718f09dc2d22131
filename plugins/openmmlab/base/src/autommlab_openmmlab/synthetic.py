"""Tiny, easy, learnable synthetic sets (coloured squares) for tests and benchmarks.

In: a task, an output folder, image counts and a seed. Out: a ``DataPlan``
written in the format that task's trainer reads (ImageNet lists, COCO
instances, semantic masks, COCO keypoints). Numpy and Pillow only. These are
for checking that training learns and for timing, never for reporting model
quality.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from autommlab.schemas import DataPlan

COLORS = {"red": (220, 30, 30), "green": (30, 200, 40), "blue": (30, 60, 230)}


def _canvas(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = rng.integers(90, 160, size=3)
    noise = rng.normal(0, 12, size=(h, w, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def _square(rng, h, w, lo, hi):
    s = int(rng.integers(lo, hi))
    y, x = int(rng.integers(0, h - s)), int(rng.integers(0, w - s))
    return x, y, s


def _save(img: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(img).save(path, quality=95)


def classification(root: Path, n_train: int = 40, n_val: int = 20, seed: int = 0, size: int = 96) -> DataPlan:
    """One big square per image; its colour is the class."""
    rng = np.random.default_rng(seed)
    classes = list(COLORS)
    lists = {}
    for split, n in (("train", n_train), ("val", n_val)):
        lines = []
        for i in range(n):
            c = i % len(classes)
            img = _canvas(rng, size, size)
            x, y, s = _square(rng, size, size, size // 3, size // 2)
            img[y:y + s, x:x + s] = COLORS[classes[c]]
            rel = f"{split}/{classes[c]}/{i:04d}.jpg"
            _save(img, root / "images" / rel)
            lines.append(f"{rel} {c}")
        (root / f"{split}.txt").write_text("\n".join(lines) + "\n")
        lists[split] = {k: sum(1 for j in range(n) if j % len(classes) == ci) for ci, k in enumerate(classes)}
    return DataPlan(source="synthetic", datasets=["squares"], task="classification", format="imagenet", root=root,
                    classes=classes, files={"data_prefix": "images", "train_list": "train.txt", "val_list": "val.txt"},
                    train_counts=lists["train"], val_counts=lists["val"])


def _coco_images(rng, root: Path, split: str, n: int, size: int, classes: list[str], per_image=(1, 3),
                 masks: bool = False):
    images, anns = [], []
    for i in range(n):
        img = _canvas(rng, size, size)
        mask = np.zeros((size, size), np.uint8)
        for _ in range(int(rng.integers(per_image[0], per_image[1] + 1))):
            c = int(rng.integers(0, len(classes)))
            x, y, s = _square(rng, size, size, size // 6, size // 3)
            img[y:y + s, x:x + s] = COLORS[classes[c]]
            mask[y:y + s, x:x + s] = c + 1
            anns.append(dict(id=len(anns) + 1, image_id=i + 1, category_id=c + 1, bbox=[x, y, s, s], area=s * s,
                             iscrowd=0))
        name = f"{split}_{i:04d}"
        _save(img, root / "images" / f"{name}.jpg")
        if masks:
            (root / "masks").mkdir(parents=True, exist_ok=True)
            Image.fromarray(mask).save(root / "masks" / f"{name}.png")
        images.append(dict(id=i + 1, file_name=f"{name}.jpg", width=size, height=size))
    return images, anns


def detection(root: Path, n_train: int = 60, n_val: int = 20, seed: int = 0, size: int = 160) -> DataPlan:
    """1-3 coloured squares per image; boxes are their extents, classes their colours."""
    rng = np.random.default_rng(seed)
    classes = ["red", "blue"]
    counts = {}
    for split, n in (("train", n_train), ("val", n_val)):
        images, anns = _coco_images(rng, root, split, n, size, classes)
        cats = [dict(id=i + 1, name=c) for i, c in enumerate(classes)]
        (root / f"{split}.json").write_text(json.dumps(dict(images=images, annotations=anns, categories=cats)))
        counts[split] = {c: sum(a["category_id"] == i + 1 for a in anns) for i, c in enumerate(classes)}
    return DataPlan(source="synthetic", datasets=["squares"], task="detection", format="coco", root=root,
                    classes=classes, files={"img_dir": "images", "train_ann": "train.json", "val_ann": "val.json"},
                    train_counts=counts["train"], val_counts=counts["val"])


def segmentation(root: Path, n_train: int = 40, n_val: int = 16, seed: int = 0, size: int = 128) -> DataPlan:
    """Coloured squares; the mask holds each square's class (0 = background)."""
    rng = np.random.default_rng(seed)
    classes = ["red", "blue"]
    for split, n in (("train", n_train), ("val", n_val)):
        _coco_images(rng, root / split, split, n, size, classes, masks=True)
    return DataPlan(source="synthetic", datasets=["squares"], task="segmentation", format="semantic_masks", root=root,
                    classes=["background", *classes],
                    files={"train_img_dir": "train/images", "train_mask_dir": "train/masks",
                           "val_img_dir": "val/images", "val_mask_dir": "val/masks",
                           "img_suffix": ".jpg", "mask_suffix": ".png"},
                    train_counts={"background": n_train, "red": n_train, "blue": n_train},
                    val_counts={"background": n_val, "red": n_val, "blue": n_val})


KEYPOINTS = ["top_left", "top_right", "bottom_right", "bottom_left", "centre"]


def keypoint(root: Path, n_train: int = 60, n_val: int = 20, seed: int = 0, size: int = 160) -> DataPlan:
    """One rectangle per image with a differently coloured dot at each corner; keypoints are the corners."""
    rng = np.random.default_rng(seed)
    dot = [(250, 250, 0), (0, 250, 250), (250, 0, 250), (250, 250, 250), (0, 0, 0)]
    for split, n in (("train", n_train), ("val", n_val)):
        images, anns = [], []
        for i in range(n):
            img = _canvas(rng, size, size)
            w, h = int(rng.integers(size // 3, size // 2)), int(rng.integers(size // 2, size - 20))
            x, y = int(rng.integers(5, size - w - 5)), int(rng.integers(5, size - h - 5))
            img[y:y + h, x:x + w] = COLORS["blue"]
            pts = [(x, y), (x + w - 1, y), (x + w - 1, y + h - 1), (x, y + h - 1), (x + w // 2, y + h // 2)]
            kps = []
            for (px, py), col in zip(pts, dot):
                img[max(py - 3, 0):py + 4, max(px - 3, 0):px + 4] = col
                kps += [float(px), float(py), 2]
            pad = 8
            bx, by = max(x - pad, 0), max(y - pad, 0)
            bw, bh = min(x + w + pad, size) - bx, min(y + h + pad, size) - by
            name = f"{split}_{i:04d}.jpg"
            _save(img, root / "images" / name)
            images.append(dict(id=i + 1, file_name=name, width=size, height=size))
            anns.append(dict(id=i + 1, image_id=i + 1, category_id=1, bbox=[bx, by, bw, bh], area=bw * bh, iscrowd=0,
                             keypoints=kps, num_keypoints=len(KEYPOINTS)))
        cats = [dict(id=1, name="box", keypoints=KEYPOINTS, skeleton=[[1, 2], [2, 3], [3, 4], [4, 1]])]
        (root / f"{split}.json").write_text(json.dumps(dict(images=images, annotations=anns, categories=cats)))
    return DataPlan(source="synthetic", datasets=["squares"], task="keypoint", format="coco_keypoints", root=root,
                    classes=["box"], files={"img_dir": "images", "train_ann": "train.json", "val_ann": "val.json"},
                    metainfo={"keypoint_names": KEYPOINTS, "skeleton": [[0, 1], [1, 2], [2, 3], [3, 0]],
                              "flip_pairs": [[0, 1], [2, 3]], "sigmas": [0.05] * len(KEYPOINTS)},
                    train_counts={"box": n_train}, val_counts={"box": n_val})


MAKERS = {"classification": classification, "detection": detection, "segmentation": segmentation,
          "keypoint": keypoint}


def make_plan(task: str, root: Path, **kw) -> DataPlan:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return MAKERS[task](root, **kw)
