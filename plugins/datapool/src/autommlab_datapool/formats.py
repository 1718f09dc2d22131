"""Dispatch to the format readers: ``inspect_dataset(name, path, fmt, **options) -> DatasetCard``."""

from __future__ import annotations

from pathlib import Path

from autommlab.errors import UsageError

from .cards import FORMATS, DatasetCard


def inspect_dataset(name: str, path: Path | str, fmt: str, **options: object) -> DatasetCard:
    """Read, validate and describe the dataset at ``path`` in format ``fmt``.

    Options: ``train_ann``, ``val_ann``, ``img_dir`` (COCO), ``classes`` (masks).
    Raises DataError naming the file and item for broken data.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    path = Path(path).expanduser()
    if not path.exists():
        raise UsageError(f"dataset path {path} does not exist")
    if fmt == "imagenet":
        from .formats_cls import inspect
        return inspect(name, path)
    if fmt in ("coco", "coco_keypoints"):
        from .formats_coco import inspect
        return inspect(name, path, fmt=fmt, **options)
    from .formats_masks import inspect
    return inspect(name, path, **options)
