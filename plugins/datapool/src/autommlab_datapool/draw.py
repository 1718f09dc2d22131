"""Render a few samples of a dataset with their labels (boxes, masks, keypoints) into one PNG."""

from __future__ import annotations

import colorsys
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .cards import DatasetCard

TILE = 192


def _palette(n: int) -> list[tuple[int, int, int]]:
    return [tuple(int(255 * v) for v in colorsys.hsv_to_rgb(i / max(1, n), 0.9, 1.0)) for i in range(n)]


def _fit(img: Image.Image) -> tuple[Image.Image, float]:
    s = TILE / max(img.size)
    return img.convert("RGB").resize((max(1, round(img.width * s)), max(1, round(img.height * s)))), s


def _samples_cls(card, k, rng):
    from .formats_cls import read_items
    classes, items, _ = read_items(card.path)
    rows = [r for split in items.values() for r in split]
    out = []
    for p, lb in rng.sample(rows, min(k, len(rows))):
        img, _ = _fit(Image.open(p))
        ImageDraw.Draw(img).text((3, 3), classes[lb], fill=(255, 255, 0))
        out.append(img)
    return out


def _samples_coco(card, k, rng):
    from pycocotools import mask as mask_utils

    from .formats_coco import load_json
    split = "train" if "train_ann" in card.files else next(s for s in ("val", "all") if f"{s}_ann" in card.files)
    data = load_json(Path(card.files[f"{split}_ann"]))
    img_dir = Path(card.files[f"{split}_img_dir"])
    pal = _palette(len(card.categories))
    cidx = {c["id"]: card.categories.index(c["name"]) for c in data["categories"]}
    by_img: dict[int, list] = {}
    for a in data["annotations"]:
        by_img.setdefault(a["image_id"], []).append(a)
    layout = next(iter(card.metainfo.get("keypoints", {}).values()), None)
    out = []
    for im in rng.sample(data["images"], min(k, len(data["images"]))):
        base = Image.open(img_dir / im["file_name"]).convert("RGB")
        w, h = base.size
        over = np.asarray(base, dtype=float)
        for a in by_img.get(im["id"], []):
            seg = a.get("segmentation")
            if seg:
                rle = mask_utils.merge(mask_utils.frPyObjects(seg, h, w)) if isinstance(seg, list) else (
                    mask_utils.frPyObjects(seg, h, w) if isinstance(seg.get("counts"), list) else seg)
                m = mask_utils.decode(rle).astype(bool)
                over[m] = 0.5 * over[m] + 0.5 * np.array(pal[cidx[a["category_id"]]])
        img, s = _fit(Image.fromarray(over.astype(np.uint8)))
        d = ImageDraw.Draw(img)
        for a in by_img.get(im["id"], []):
            col = pal[cidx[a["category_id"]]]
            x, y, bw, bh = (v * s for v in a["bbox"])
            d.rectangle([x, y, x + bw, y + bh], outline=col, width=2)
            d.text((x + 2, y + 1), card.categories[cidx[a["category_id"]]], fill=col)
            kp = a.get("keypoints")
            if kp and layout:
                pts = [(kp[3 * i] * s, kp[3 * i + 1] * s, kp[3 * i + 2]) for i in range(len(kp) // 3)]
                for i, j in layout["skeleton"]:
                    if pts[i][2] > 0 and pts[j][2] > 0:
                        d.line([pts[i][:2], pts[j][:2]], fill=(0, 255, 255), width=2)
                for x1, y1, v in pts:
                    if v > 0:
                        d.ellipse([x1 - 3, y1 - 3, x1 + 3, y1 + 3], fill=(255, 0, 0) if v == 2 else (255, 160, 0))
        out.append(img)
    return out


def _samples_masks(card, k, rng):
    from .formats_masks import find_pairs, read_mask
    pairs = [p for rows in find_pairs(card.path).values() for p in rows]
    pal = np.array([(0, 0, 0), *_palette(len(card.categories) - 1)] + [(0, 0, 0)] * (256 - len(card.categories)),
                   dtype=float)
    pal[255] = (255, 255, 255)
    out = []
    for img_p, mask_p in rng.sample(pairs, min(k, len(pairs))):
        base = np.asarray(Image.open(img_p).convert("RGB"), dtype=float)
        m = read_mask(mask_p)
        fg = m > 0
        base[fg] = 0.45 * base[fg] + 0.55 * pal[m[fg]]
        img, _ = _fit(Image.fromarray(base.astype(np.uint8)))
        d = ImageDraw.Draw(img)
        d.text((3, 3), ", ".join(card.categories[v] for v in np.unique(m) if 0 < v < len(card.categories)),
               fill=(255, 255, 0))
        out.append(img)
    return out


def render_samples(card: DatasetCard, out: Path, k: int = 6, seed: int = 0) -> Path:
    """Draw ``k`` random samples of ``card`` with labels into a grid PNG at ``out``; return ``out``."""
    rng = random.Random(seed)
    fn = {"imagenet": _samples_cls, "coco": _samples_coco, "coco_keypoints": _samples_coco,
          "semantic_masks": _samples_masks}[card.format]
    tiles = fn(card, k, rng)
    cols = min(3, max(1, len(tiles)))
    rows = (len(tiles) + cols - 1) // cols
    grid = Image.new("RGB", (cols * (TILE + 4), max(1, rows) * (TILE + 4)), (30, 30, 30))
    for i, t in enumerate(tiles):
        grid.paste(t, ((i % cols) * (TILE + 4) + 2, (i // cols) * (TILE + 4) + 2))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    grid.save(out)
    return out
