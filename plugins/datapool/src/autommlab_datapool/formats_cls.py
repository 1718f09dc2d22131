"""Classification sources: ImageNet-style class folders or list files.

Layouts read (``path`` is the dataset root):

- folders with splits: ``train/<class>/*.jpg`` and ``val/<class>/*.jpg``
- folders without splits: ``<class>/*.jpg`` (one split "all"; subsets split it seeded)
- lists: ``classes.txt`` (one class per line) with ``train.txt`` / ``val.txt``
  (or ``meta/``) whose lines are ``<image path relative to the root> <label index>``
"""

from __future__ import annotations

from pathlib import Path

from autommlab.errors import DataError

from .cards import DatasetCard
from .fsutil import read_text
from .imagecheck import inside

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif", ".tif", ".tiff"}
SPLIT_DIRS = {"train": "train", "val": "val", "valid": "val", "validation": "val"}

Items = dict[str, list[tuple[Path, int]]]  # split -> [(image path, label index)]


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def _find_file(root: Path, *names: str) -> Path | None:
    for n in names:
        for cand in (root / n, root / "meta" / n):
            if cand.is_file():
                return cand
    return None


def _read_lists(root: Path, classes_file: Path) -> tuple[list[str], Items, dict[str, str]]:
    classes = [ln.strip() for ln in read_text(classes_file).splitlines() if ln.strip()]
    if not classes:
        raise DataError(f"{classes_file}: no class names (one per line expected)")
    items: Items = {}
    files = {"classes": str(classes_file)}
    for split, names in (("train", ("train.txt",)), ("val", ("val.txt", "valid.txt"))):
        lst = _find_file(root, *names)
        if lst is None:
            continue
        files[f"{split}_list"] = str(lst)
        rows = []
        for i, line in enumerate(read_text(lst).splitlines(), 1):
            if not line.strip():
                continue
            parts = line.rsplit(maxsplit=1)
            if len(parts) != 2 or not parts[1].lstrip("-").isdigit():
                raise DataError(f"{lst}, line {i}: expected '<image path> <label index>', got {line!r}")
            label = int(parts[1])
            if not 0 <= label < len(classes):
                raise DataError(f"{lst}, line {i}: label {label} is outside 0..{len(classes) - 1} "
                                f"({len(classes)} classes in {classes_file.name})")
            img = inside(root, parts[0], f"{lst}, line {i}")
            if not img.is_file():
                raise DataError(f"{lst}, line {i}: image {parts[0]} not found under {root}")
            rows.append((img, label))
        items[split] = rows
    if not items:
        raise DataError(f"{root}: {classes_file.name} found but no train.txt/val.txt list files")
    return classes, items, files


def _read_folders(root: Path) -> tuple[list[str], Items]:
    subdirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    split_dirs = {SPLIT_DIRS[p.name.lower()]: p for p in subdirs if p.name.lower() in SPLIT_DIRS}
    if split_dirs:
        if "train" not in split_dirs:
            raise DataError(f"{root}: has {', '.join(p.name for p in split_dirs.values())} but no train/ folder")
        per_split = split_dirs
    else:
        per_split = {"all": root}
    classes = sorted({c.name for d in per_split.values() for c in d.iterdir() if c.is_dir()
                      and not c.name.startswith(".")})
    if not classes:
        raise DataError(f"{root}: no class folders found (expected <split>/<class>/*.jpg or <class>/*.jpg)")
    items: Items = {}
    for split, d in per_split.items():
        rows = []
        for label, cls in enumerate(classes):
            folder = d / cls
            imgs = _images_in(folder) if folder.is_dir() else []
            if not imgs and split in ("train", "all"):
                raise DataError(f"class folder {folder} has no images (empty class {cls!r})")
            rows += [(p, label) for p in imgs]
        items[split] = rows
    return classes, items


def read_items(root: Path) -> tuple[list[str], Items, dict[str, str]]:
    """Classes and (image, label) items per split of the classification dataset at ``root``."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"dataset folder {root} does not exist")
    classes_file = _find_file(root, "classes.txt")
    if classes_file is not None:
        return _read_lists(root, classes_file)
    classes, items = _read_folders(root)
    return classes, items, {}


def inspect(name: str, root: Path, **_: object) -> DatasetCard:
    """Read the dataset at ``root`` and return its card (validates every list line and folder)."""
    classes, items, files = read_items(root)
    counts = {split: {c: 0 for c in classes} for split in items}
    for split, rows in items.items():
        for _img, label in rows:
            counts[split][classes[label]] += 1
    return DatasetCard(name=name, path=Path(root).resolve(), format="imagenet", tasks=["classification"],
                       categories=classes, counts=counts, images={s: len(r) for s, r in items.items()},
                       files=files)
