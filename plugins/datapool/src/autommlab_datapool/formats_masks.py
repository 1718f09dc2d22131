"""Semantic-mask sources: images plus 8-bit PNG masks (pixel = class index, 255 = ignore).

Layouts read (``root`` is the dataset root; image and mask share the stem):

- ``images/*`` + ``masks/*`` with optional ``splits/{train,val}.txt`` (stems)
- ``images/{train,val}/*`` + ``masks/{train,val}/*`` (also ``img_dir``/``ann_dir``, mmseg style)

The class list comes from ``--classes``, else ``classes.txt`` (one per line,
background first), else a sibling COCO annotation's categories after "background".
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import read_text
from .imagecheck import check_mask_size
from .formats_cls import IMAGE_SUFFIXES

IGNORE = 255
Pairs = dict[str, list[tuple[Path, Path]]]  # split -> [(image, mask)]


def _dir(root: Path, *names: str) -> Path | None:
    return next((root / n for n in names if (root / n).is_dir()), None)


def _stems(folder: Path, suffixes: set[str]) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes}


def find_pairs(root: Path) -> Pairs:
    """(image, mask) pairs per split; a missing mask or listed stem raises DataError naming it."""
    img_root, mask_root = _dir(root, "images", "img_dir"), _dir(root, "masks", "ann_dir", "annotations")
    if img_root is None or mask_root is None:
        raise DataError(f"{root}: expected images/ (or img_dir/) and masks/ (or ann_dir/) folders")
    split_dirs = [s for s in ("train", "val") if (img_root / s).is_dir()]
    out: Pairs = {}
    if split_dirs:
        for s in split_dirs:
            out[s] = _pair(_stems(img_root / s, IMAGE_SUFFIXES), mask_root / s, None)
        return out
    images = _stems(img_root, IMAGE_SUFFIXES)
    lists = {s: root / "splits" / f"{s}.txt" for s in ("train", "val") if (root / "splits" / f"{s}.txt").is_file()}
    if not lists:
        return {"all": _pair(images, mask_root, None)}
    for s, lst in lists.items():
        stems = [ln.strip() for ln in read_text(lst).splitlines() if ln.strip()]
        for i, st in enumerate(stems, 1):
            if st not in images:
                raise DataError(f"{lst}, line {i}: image {st!r} not found in {img_root}")
        out[s] = _pair({st: images[st] for st in stems}, mask_root, lst)
    return out


def _pair(images: dict[str, Path], mask_dir: Path, listed_in: Path | None) -> list[tuple[Path, Path]]:
    pairs = []
    for stem, img in images.items():
        mask = mask_dir / f"{stem}.png"
        if not mask.is_file():
            raise DataError(f"mask {mask} for image {img.name} not found" + (f" (listed in {listed_in})" if listed_in else ""))
        pairs.append((img, mask))
    return pairs


def read_classes(root: Path, classes: list[str] | str | None, notes: list[str]) -> list[str]:
    if isinstance(classes, str):
        classes = [c.strip() for c in classes.split(",") if c.strip()]
    if classes:
        return list(classes)
    f = root / "classes.txt"
    if f.is_file():
        names = [ln.strip() for ln in read_text(f).splitlines() if ln.strip()]
        if not names:
            raise DataError(f"{f}: empty class list")
        return names
    for ann in sorted(root.glob("annotations/*.json")):
        try:
            cats = json.loads(ann.read_text()).get("categories") or []
        except (ValueError, AttributeError, OSError):
            continue
        if cats:
            names = ["background"] + [c["name"] for c in sorted(cats, key=lambda c: c["id"])]
            notes.append(f"class list taken from {ann.name}'s categories: mask value i = category id i, 0 = background")
            return names
    raise DataError(f"{root}: no class list; give --classes background,a,b or write classes.txt (background first)")


def read_mask(path: Path) -> np.ndarray:
    from PIL import Image
    try:
        with Image.open(path) as im:
            if im.mode not in ("L", "P", "I;16", "I"):
                raise DataError(f"mask {path} has mode {im.mode}; expected a single-channel 8-bit PNG")
            return np.asarray(im)
    except DataError:
        raise
    except Exception as e:  # PIL raises many types for broken files
        raise DataError(f"mask {path} cannot be read: {e}") from e


def check_values(mask: np.ndarray, path: Path, n_classes: int) -> np.ndarray:
    """Class ids present in ``mask``; a value outside 0..n-1 (and not 255) raises DataError naming the file."""
    vals = np.unique(mask)
    bad = [int(v) for v in vals if v != IGNORE and v >= n_classes]
    if bad:
        raise DataError(f"mask {path} has values {bad}, but the class list has {n_classes} classes "
                        f"(values 0..{n_classes - 1}, 255 = ignore): class count mismatch")
    return vals[vals != IGNORE]


def inspect(name: str, root: Path, classes: list[str] | str | None = None, **_: object) -> DatasetCard:
    """Read the mask dataset at ``root``, checking every mask against the class list; return its card."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise DataError(f"dataset folder {root} does not exist")
    notes: list[str] = []
    names = read_classes(root, classes, notes)
    if names[0].lower() not in ("background", "bg", "_background_"):
        notes.append(f"class 0 is {names[0]!r}, not 'background'; it is treated as background in subsets")
    pairs = find_pairs(root)
    counts = {}
    for split, rows in pairs.items():
        c = np.zeros(len(names), dtype=int)
        for img, mask in rows:
            check_mask_size(img, mask, f"{name} ({split})")
            c[check_values(read_mask(mask), mask, len(names))] += 1
        counts[split] = {n: int(v) for n, v in zip(names, c)}
    files = {"img_dir": str(_dir(root, "images", "img_dir")), "mask_dir": str(_dir(root, "masks", "ann_dir", "annotations"))}
    return DatasetCard(name=name, path=root, format="semantic_masks", tasks=["segmentation"], categories=names,
                       counts=counts, images={s: len(r) for s, r in pairs.items()}, files=files, notes=notes)
