"""Semantic-mask subsets: from a mask dataset (values remapped) or rasterised from COCO polygons/RLE.

Both write ``images/<split>/<stem><suffix>`` (linked), ``masks/<split>/<stem>.png``
(pixel = class index, 0 background, 255 ignore; written atomically, kept on a
rerun) and ``classes.txt``.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import write_text
from .imagecheck import check_mask_size, inside, link_checked
from .subset_coco import ann_file, cat_map_of, coco_splits, count_train, kept_anns
from .subset_common import IGNORE, Subset, drop_empty, splits_of


def save_mask(arr: np.ndarray, path: Path) -> None:
    """Write ``arr`` as an 8-bit single-channel PNG, atomically."""
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.png")
    Image.fromarray(arr.astype(np.uint8), mode="L").save(tmp)
    os.replace(tmp, path)


def seg_suffix(paths: list[Path], notes: list[str]) -> str:
    """The most common image suffix (every image is linked under it; decoders read the content)."""
    sufs = Counter(p.suffix.lower() for p in paths)
    if not sufs:
        return ".jpg"
    suf = sufs.most_common(1)[0][0]
    if len(sufs) > 1:
        notes.append(f"images have mixed suffixes {dict(sufs)}; linked as '{suf}' (decoders read the content)")
    return suf


def semantic_subset(out: Path, classes: list[str], suffix: str, counts: dict[str, dict[str, int]],
                    notes: list[str]) -> Subset:
    """The Subset of a semantic-mask tree written under ``out`` (images/<split>, masks/<split>); writes classes.txt."""
    files = {"train_img_dir": "images/train", "train_mask_dir": "masks/train", "val_img_dir": "images/val",
             "val_mask_dir": "masks/val", "img_suffix": suffix, "mask_suffix": ".png"}
    write_text(out / "classes.txt", "\n".join(classes) + "\n")
    return Subset("semantic_masks", classes, files, counts["train"], counts["val"], notes=notes)


def _rasterise(anns: list[dict], cat_map: dict[int, int], h: int, w: int, ann: str, file_name: str) -> np.ndarray:
    """One semantic mask from COCO annotations (larger objects first, so small ones stay visible)."""
    from pycocotools import mask as mask_utils
    sem = np.zeros((h, w), dtype=np.uint8)
    for a in sorted(anns, key=lambda a: -float(a.get("area") or a["bbox"][2] * a["bbox"][3])):
        seg = a.get("segmentation")
        if not seg:
            raise DataError(f"{ann}: annotation {a.get('id')} (image {file_name}) has no segmentation; "
                            "cannot make a mask")
        try:
            if isinstance(seg, list):
                rle = mask_utils.merge(mask_utils.frPyObjects(seg, h, w))
            elif isinstance(seg.get("counts"), list):
                rle = mask_utils.frPyObjects(seg, h, w)
            else:
                rle = seg
            m = mask_utils.decode(rle).astype(bool)
        except Exception as e:
            raise DataError(f"{ann}: annotation {a.get('id')} has a malformed segmentation: {e}") from e
        if m.shape != (h, w):
            raise DataError(f"{ann}: annotation {a.get('id')} (image {file_name}) has a {m.shape[1]}x{m.shape[0]} "
                            f"mask but the image is {w}x{h}")
        sem[m] = IGNORE if a.get("iscrowd") else cat_map[a["category_id"]]
    return sem


def coco_to_masks_subset(card: DatasetCard, categories: list[str], out: Path, seed: int,
                         val_fraction: float) -> Subset:
    """Semantic masks of ``categories`` rasterised from a COCO instances dataset."""
    from .imagecheck import header_size
    notes: list[str] = ["semantic masks rasterised from the COCO polygons/RLE (crowd regions = 255, ignored)"]
    splits = coco_splits(card, seed, val_fraction, notes)
    fg = drop_empty(list(categories), count_train(categories, splits), notes, card.name)
    classes = ["background", *fg]
    all_imgs = [Path(img_dir) / str(im["file_name"]) for _, (d, img_dir, ims) in splits.items() for im in ims]
    suffix = seg_suffix(all_imgs, notes)
    counts: dict[str, dict[str, int]] = {}
    for split, (data, img_dir, images) in splits.items():
        ann = ann_file(card, split)
        cat_map = cat_map_of(data, fg)
        by_img = kept_anns(data, images, cat_map)
        c = Counter()
        for im in images:
            anns = by_img.get(im["id"])
            if not anns:
                continue
            where = f"{ann}: image id {im['id']}"
            stem = Path(im["file_name"]).with_suffix("").as_posix().replace("/", "__")
            src = inside(img_dir, im["file_name"], where)
            if not src.is_file():
                raise DataError(f"{ann}: image {im['file_name']!r} not found in {img_dir}")
            link_checked(src, out / "images" / split / f"{stem}{suffix}", where,
                         expect_wh=(im.get("width"), im.get("height")))
            mask_path = out / "masks" / split / f"{stem}.png"
            c.update({classes[cat_map[a["category_id"]]] for a in anns})
            if mask_path.is_file():
                continue
            h, w = im.get("height"), im.get("width")
            if not h or not w:  # link_checked compared the stated size with the decoded one
                w, h = header_size(src, where)
            save_mask(_rasterise(anns, cat_map, h, w, ann, im["file_name"]), mask_path)
        counts[split] = {k: c.get(k, 0) for k in fg}
    return semantic_subset(out, classes, suffix, counts, notes)


def masks_subset(card: DatasetCard, categories: list[str], out: Path, seed: int, val_fraction: float) -> Subset:
    """The subset of a semantic-mask dataset: ``categories`` renumbered 1..N, other classes become background."""
    from .formats_masks import check_values, find_pairs, read_mask
    notes: list[str] = []
    src_classes = card.categories
    fg = [c for c in categories if c != src_classes[0]]
    pairs = find_pairs(card.path)
    splits = splits_of(pairs, seed, val_fraction, notes, card.name)
    lut = np.zeros(256, dtype=np.uint8)
    lut[IGNORE] = IGNORE
    idx = {c: src_classes.index(c) for c in fg}
    classes = ["background", *fg]
    for i, c in enumerate(fg, 1):
        lut[idx[c]] = i
    others = [c for c in src_classes[1:] if c not in fg]
    if others:
        notes.append(f"pixels of unselected classes ({', '.join(others)}) become background")
    suffix = seg_suffix([img for rows in splits.values() for img, _ in rows], notes)
    counts: dict[str, dict[str, int]] = {}
    for split, rows in splits.items():
        c = Counter()
        for img, mask_src in rows:
            mask = read_mask(mask_src)
            vals = check_values(mask, mask_src, len(src_classes))
            present = [src_classes[v] for v in vals if src_classes[v] in idx]
            if not present:
                continue
            c.update(present)
            check_mask_size(img, mask_src, card.name)
            link_checked(img, out / "images" / split / f"{img.stem}{suffix}", f"{card.name} ({split})")
            dst = out / "masks" / split / f"{img.stem}.png"
            if not dst.is_file():
                save_mask(lut[mask], dst)
        counts[split] = {k: c.get(k, 0) for k in fg}
    kept = drop_empty(fg, counts["train"], notes, card.name)
    if kept != fg:
        raise DataError(f"{card.name}: categories {sorted(set(fg) - set(kept))} appear in no training mask")
    notes.append("images whose masks contain none of the selected classes are left out")
    return semantic_subset(out, classes, suffix, counts, notes)
