"""DataPlans over shared/datapool (read-only) in the trainer's formats, with small val splits.

Each builder writes only list/annotation files (and symlinks) under ``root``
and returns a ``DataPlan`` following the data-format contract.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from autommlab.schemas import DataPlan

# shared/ lies beside the repository checkout (CI clones it there too)
POOL = Path(os.environ.get("AUTOMMLAB_TEST_DATAPOOL", Path(__file__).resolve().parents[2].parent / "shared" / "datapool"))


def _take(items: list, n: int | None) -> list:
    return items if n is None else items[:n]


def classification(root: Path, n_train: int | None = 64, n_val: int | None = 16) -> DataPlan:
    src = POOL / "hymenoptera"
    classes = ["ants", "bees"]
    root.mkdir(parents=True, exist_ok=True)
    counts = {}
    for split, n in (("train", n_train), ("val", n_val)):
        lines = []
        per = {}
        for label, c in enumerate(classes):
            files = sorted((src / split / c).glob("*.jpg"))
            files = _take(files, None if n is None else n // 2)
            per[c] = len(files)
            lines += [f"{split}/{c}/{f.name} {label}" for f in files]
        (root / f"{split}.txt").write_text("\n".join(lines) + "\n")
        counts[split] = per
    return DataPlan(source="test", datasets=["hymenoptera"], task="classification", format="imagenet", root=root,
                    classes=classes, files={"data_prefix": str(src), "train_list": "train.txt", "val_list": "val.txt"},
                    train_counts=counts["train"], val_counts=counts["val"])


def _coco_subset(src: Path, dst: Path, n: int | None) -> dict:
    data = json.loads(src.read_text())
    if n is not None:
        keep = {im["id"] for im in data["images"][:n]}
        data["images"] = [im for im in data["images"] if im["id"] in keep]
        data["annotations"] = [a for a in data["annotations"] if a["image_id"] in keep]
    dst.write_text(json.dumps(data))
    return data


def detection(root: Path, n_train: int | None = 40, n_val: int | None = 8) -> DataPlan:
    src = POOL / "pennfudan"
    root.mkdir(parents=True, exist_ok=True)
    tr = _coco_subset(src / "annotations" / "train.json", root / "train.json", n_train)
    va = _coco_subset(src / "annotations" / "val.json", root / "val.json", n_val)
    return DataPlan(source="test", datasets=["pennfudan"], task="detection", format="coco", root=root,
                    classes=["pedestrian"], files={"img_dir": str(src / "images"), "train_ann": "train.json",
                                                   "val_ann": "val.json"},
                    train_counts={"pedestrian": len(tr["annotations"])},
                    val_counts={"pedestrian": len(va["annotations"])})


def segmentation(root: Path, n_train: int | None = 40, n_val: int | None = 6) -> DataPlan:
    src = POOL / "pennfudan"
    counts = {}
    for split, n in (("train", n_train), ("val", n_val)):
        stems = _take((src / "splits" / f"{split}.txt").read_text().split(), n)
        for kind, folder, suffix in (("img", "images", ".jpg"), ("mask", "masks", ".png")):
            d = root / split / kind
            d.mkdir(parents=True, exist_ok=True)
            for s in stems:
                link = d / f"{s}{suffix}"
                if not link.exists():
                    link.symlink_to(src / folder / f"{s}{suffix}")
        counts[split] = {"background": len(stems), "pedestrian": len(stems)}
    files = {"train_img_dir": "train/img", "train_mask_dir": "train/mask", "val_img_dir": "val/img",
             "val_mask_dir": "val/mask", "img_suffix": ".jpg", "mask_suffix": ".png"}
    return DataPlan(source="test", datasets=["pennfudan"], task="segmentation", format="semantic_masks", root=root,
                    classes=["background", "pedestrian"], files=files, train_counts=counts["train"],
                    val_counts=counts["val"])


def keypoint(root: Path, n_train: int | None = 64, n_val: int | None = 12) -> DataPlan:
    src = POOL / "lspet_pose"
    root.mkdir(parents=True, exist_ok=True)
    tr = _coco_subset(src / "annotations" / "train.json", root / "train.json", n_train)
    va = _coco_subset(src / "annotations" / "val.json", root / "val.json", n_val)
    cat = tr["categories"][0]
    n = len(cat["keypoints"])
    skeleton = [[a - 1, b - 1] for a, b in cat["skeleton"]]  # COCO files are 1-based; the trainer wants 0-based
    metainfo = {"keypoint_names": cat["keypoints"], "skeleton": skeleton, "flip_pairs": cat["flip_pairs"],
                "sigmas": [0.089, 0.087, 0.107, 0.107, 0.087, 0.089, 0.062, 0.072, 0.079, 0.079, 0.072, 0.062,
                           0.079, 0.079][:n]}
    return DataPlan(source="test", datasets=["lspet_pose"], task="keypoint", format="coco_keypoints", root=root,
                    classes=["person"], files={"img_dir": str(src / "images"), "train_ann": "train.json",
                                               "val_ann": "val.json"},
                    train_counts={"person": len(tr["annotations"])}, val_counts={"person": len(va["annotations"])},
                    metainfo=metainfo)


BUILDERS = {"classification": classification, "detection": detection, "segmentation": segmentation,
            "keypoint": keypoint}
