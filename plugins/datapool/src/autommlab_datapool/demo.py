"""The embedded demo pool: four procedurally generated shape datasets, always available.

``ensure_demo(home, name)`` generates ``<home>/demo/<name>/`` on first use
(seeded, seconds) and returns its card; a ``card.json`` written last marks a
complete dataset, so an interrupted generation is simply redone.

=================  ==============  ====  ==================================
name               format          px    content
=================  ==============  ====  ==================================
demo-shapes-cls    imagenet        96    one large shape per image
demo-shapes-det    coco            160   1-4 shapes, occluding (RLE masks)
demo-shapes-seg    semantic_masks  128   1-4 shapes, masks 0 = background
demo-shapes-kpt    coco_keypoints  160   a 7-joint stick figure + clutter
=================  ==============  ====  ==================================
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from .cards import DatasetCard
from .fsutil import write_json, write_text

DEMO_DATASETS: dict[str, dict] = {
    "demo-shapes-cls": {"format": "imagenet", "size": 96, "train": 100, "val": 25,
                        "tasks": ["classification"]},  # per class
    "demo-shapes-det": {"format": "coco", "size": 160, "train": 300, "val": 100,
                        "tasks": ["detection", "segmentation"]},
    "demo-shapes-seg": {"format": "semantic_masks", "size": 128, "train": 300, "val": 100,
                        "tasks": ["segmentation"]},
    "demo-shapes-kpt": {"format": "coco_keypoints", "size": 160, "train": 300, "val": 100,
                        "tasks": ["keypoint"]},
}
DEMO_NOTE = ("synthetic demo data (procedurally generated shapes), used because no registered real dataset "
             "serves this request; register one with `autommlab data add`")


def demo_train_images(name: str) -> int:
    """Train images of demo dataset ``name`` at scale 1 (cls: per class x 4 classes)."""
    spec = DEMO_DATASETS[name]
    return spec["train"] * (4 if spec["format"] == "imagenet" else 1)


def demo_root(home: Path) -> Path:
    return Path(home).expanduser() / "demo"


def ensure_demo(home: Path, name: str, seed: int = 0, scale: float = 1.0, out: Path | None = None) -> DatasetCard:
    """Generate demo dataset ``name`` (unless already complete with the same seed/scale); return its card."""
    spec = DEMO_DATASETS[name]
    root = (Path(out) if out else demo_root(home)) / name
    card_file = root / "card.json"
    params = {"seed": seed, "scale": scale, "version": 1}
    if card_file.is_file():
        try:
            saved = json.loads(card_file.read_text())
            if saved.get("params") == params:
                return DatasetCard.model_validate(saved["card"])
        except (json.JSONDecodeError, KeyError, ValueError):
            pass
    if root.exists():
        shutil.rmtree(root)
    n_train, n_val = max(1, round(spec["train"] * scale)), max(1, round(spec["val"] * scale))
    rng = np.random.default_rng([seed, list(DEMO_DATASETS).index(name)])
    writer = {"imagenet": _write_cls, "coco": _write_det, "semantic_masks": _write_seg,
              "coco_keypoints": _write_kpt}[spec["format"]]
    writer(root, rng, spec["size"], {"train": n_train, "val": n_val})
    from .formats import inspect_dataset
    card = inspect_dataset(name, root, spec["format"])
    card.demo = True
    card.description = f"synthetic shapes ({spec['format']}, {spec['size']} px, seed {seed})"
    write_json(card_file, {"params": params, "card": card.model_dump(mode="json")}, indent=2)
    return card


def demo_card_stub(name: str) -> DatasetCard:
    """A card for listing a demo dataset that is not generated yet (no counts)."""
    from .demo_scene import SHAPES
    spec = DEMO_DATASETS[name]
    cats = {"imagenet": list(SHAPES), "coco": list(SHAPES), "semantic_masks": ["background", *SHAPES],
            "coco_keypoints": ["stick figure"]}[spec["format"]]
    return DatasetCard(name=name, path=Path("(generated on first use)"), format=spec["format"], tasks=spec["tasks"],
                       categories=cats, demo=True, description="synthetic shapes, not generated yet")


def _write_cls(root: Path, rng, size: int, n: dict[str, int]) -> None:
    from .demo_scene import SHAPES, classification_image
    for split, per_class in n.items():
        for kind in SHAPES:
            d = root / split / kind
            d.mkdir(parents=True, exist_ok=True)
            for i in range(per_class):
                classification_image(rng, kind, size).save(d / f"{kind}_{i:04d}.jpg", quality=92)


def _coco_skeleton(categories: list[dict]) -> dict:
    return {"info": {"description": "AutoMMLab demo shapes (synthetic)"}, "licenses": [], "images": [],
            "annotations": [], "categories": categories}


def _write_det(root: Path, rng, size: int, n: dict[str, int]) -> None:
    from pycocotools import mask as mask_utils

    from .demo_scene import SHAPES, scene
    cats = [{"id": i + 1, "name": s, "supercategory": "shape"} for i, s in enumerate(SHAPES)]
    (root / "images").mkdir(parents=True, exist_ok=True)
    img_id = ann_id = 0
    for split, count in n.items():
        coco = _coco_skeleton(cats)
        for _ in range(count):
            img_id += 1
            img, objs = scene(rng, size)
            fname = f"{split}_{img_id:05d}.jpg"
            img.save(root / "images" / fname, quality=92)
            coco["images"].append({"id": img_id, "file_name": fname, "width": size, "height": size})
            for o in objs:
                ann_id += 1
                rle = mask_utils.encode(np.asfortranarray(o.mask.astype(np.uint8)))
                rle["counts"] = rle["counts"].decode("ascii")
                coco["annotations"].append({"id": ann_id, "image_id": img_id, "category_id": SHAPES.index(o.label) + 1,
                                            "bbox": o.bbox, "area": float(o.mask.sum()), "iscrowd": 0,
                                            "segmentation": rle})
        write_json(root / "annotations" / f"{split}.json", coco)


def _write_seg(root: Path, rng, size: int, n: dict[str, int]) -> None:
    from PIL import Image

    from .demo_scene import SHAPES, scene
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "masks").mkdir(parents=True, exist_ok=True)
    write_text(root / "classes.txt", "\n".join(["background", *SHAPES]) + "\n")
    k = 0
    for split, count in n.items():
        stems = []
        for _ in range(count):
            k += 1
            stem = f"{split}_{k:05d}"
            img, objs = scene(rng, size)
            sem = np.zeros((size, size), dtype=np.uint8)
            for o in objs:
                sem[o.mask] = SHAPES.index(o.label) + 1
            img.save(root / "images" / f"{stem}.jpg", quality=92)
            Image.fromarray(sem, mode="L").save(root / "masks" / f"{stem}.png")
            stems.append(stem)
        write_text(root / "splits" / f"{split}.txt", "\n".join(stems) + "\n")


def _write_kpt(root: Path, rng, size: int, n: dict[str, int]) -> None:
    from .demo_scene import FIGURE_FLIP, FIGURE_KEYPOINTS, FIGURE_SIGMAS, FIGURE_SKELETON, figure_scene
    cat = {"id": 1, "name": "stick figure", "supercategory": "figure", "keypoints": list(FIGURE_KEYPOINTS),
           "skeleton": [[i + 1, j + 1] for i, j in FIGURE_SKELETON],  # COCO: 1-based
           "flip_pairs": [list(p) for p in FIGURE_FLIP], "sigmas": list(FIGURE_SIGMAS)}
    (root / "images").mkdir(parents=True, exist_ok=True)
    img_id = 0
    for split, count in n.items():
        coco = _coco_skeleton([cat])
        for _ in range(count):
            img_id += 1
            img, objs = figure_scene(rng, size)
            fname = f"{split}_{img_id:05d}.jpg"
            img.save(root / "images" / fname, quality=92)
            coco["images"].append({"id": img_id, "file_name": fname, "width": size, "height": size})
            for o in objs:
                x, y, w, h = o.bbox
                coco["annotations"].append({
                    "id": img_id, "image_id": img_id, "category_id": 1, "bbox": o.bbox, "area": float(w * h),
                    "iscrowd": 0, "keypoints": o.keypoints,
                    "num_keypoints": sum(1 for v in o.keypoints[2::3] if v > 0)})
        write_json(root / "annotations" / f"{split}.json", coco)
