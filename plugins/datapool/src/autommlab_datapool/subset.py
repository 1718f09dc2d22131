"""Write a train/val subset of a registered dataset in the format its task's trainer reads.

``build_subset(card, task, categories, out_dir, seed, val_fraction) -> Subset``
filters to ``categories`` (source names, source order kept), remaps labels,
keeps the source split (or makes a seeded one when the source has a single
split) and writes under ``out_dir``. Every image is decoded once before it is
linked (``imagecheck.py``: a truncated or unreadable image, or a path that
leaves the dataset root, is a ``DataError`` naming the file); images are
linked, not copied. JSON/lists/masks are written atomically and existing masks
are kept, so a rerun after an interruption continues where it stopped.

One module per job:

- ``subset_common``  the ``Subset`` result, seeded splits, dropping empty classes
- ``subset_cls``     classification / imagenet: data_prefix, train_list, val_list ("<rel path> <label>")
- ``subset_coco``    detection / coco: img_dir, train_ann, val_ann (category ids 1..N in class order)
- ``subset_masks``   segmentation / semantic_masks (from masks or rasterised from COCO): train_img_dir,
  train_mask_dir, val_img_dir, val_mask_dir, img_suffix, mask_suffix (pixel = class index, 0 background,
  255 ignore)
- ``subset_kpt``     keypoint / coco_keypoints: img_dir, train_ann, val_ann; metainfo with 0-based layout

Paths in the output are relative to ``out_dir``; see DataPlan in autommlab.schemas.
"""

from __future__ import annotations

from pathlib import Path

from autommlab.errors import DataError

from .cards import DatasetCard
from .subset_common import IGNORE, Subset, seeded_split

__all__ = ["IGNORE", "Subset", "build_subset", "seeded_split"]


def build_subset(card: DatasetCard, task: str, categories: list[str], out_dir: Path, seed: int = 0,
                 val_fraction: float = 0.2, negatives: list[str] | None = None) -> Subset:
    """Write the subset of ``card`` for ``task`` restricted to ``categories``; see module doc.

    ``negatives`` (classification only): source categories merged into one extra class "other".
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    unknown = [c for c in categories if c not in card.categories]
    if unknown:
        raise DataError(f"{card.name}: categories {unknown} are not in the dataset ({card.categories})")
    key = (card.format, task)
    if key == ("imagenet", "classification"):
        from .subset_cls import classification_subset
        return classification_subset(card, categories, out_dir, seed, val_fraction, negatives or [])
    if key == ("coco", "detection"):
        from .subset_coco import detection_subset
        return detection_subset(card, categories, out_dir, seed, val_fraction)
    if key == ("coco", "segmentation"):
        from .subset_masks import coco_to_masks_subset
        return coco_to_masks_subset(card, categories, out_dir, seed, val_fraction)
    if key == ("semantic_masks", "segmentation"):
        from .subset_masks import masks_subset
        return masks_subset(card, categories, out_dir, seed, val_fraction)
    if key == ("coco_keypoints", "keypoint"):
        from .subset_kpt import keypoint_subset
        return keypoint_subset(card, categories, out_dir, seed, val_fraction)
    raise DataError(f"{card.name}: a {card.format} dataset cannot serve {task} (it serves {card.tasks})")
