"""Map OpenMMLab evaluator outputs to AutoMMLab's canonical metric names (fractions in [0, 1])."""

from __future__ import annotations

from typing import Any

# evaluator key -> (canonical name, scale to a fraction). mmpretrain and mmseg
# report percents, mmdet and mmpose (COCO) report fractions already.
_KEYS: dict[str, tuple[str, float]] = {
    "accuracy/top1": ("accuracy", 0.01),
    "accuracy/top5": ("top5_accuracy", 0.01),
    "single-label/precision": ("precision", 0.01),
    "single-label/recall": ("recall", 0.01),
    "single-label/f1-score": ("f1", 0.01),
    "coco/bbox_mAP": ("AP", 1.0),
    "coco/bbox_mAP_50": ("AP50", 1.0),
    "coco/bbox_mAP_75": ("AP75", 1.0),
    "mIoU": ("mIoU", 0.01),
    "aAcc": ("pixel_accuracy", 0.01),
    "mDice": ("dice", 0.01),
    "coco/AP": ("AP", 1.0),
    "coco/AP .5": ("AP50", 1.0),
    "coco/AP .75": ("AP75", 1.0),
    "PCK": ("PCK", 1.0),
}

#: the metric each task's HPO loop and report lead with
PRIMARY = {"classification": "accuracy", "detection": "AP", "segmentation": "mIoU", "keypoint": "AP"}


def canonical_metrics(raw: dict[str, Any]) -> dict[str, float]:
    """Evaluator output (``{"accuracy/top1": 93.4, "coco/bbox_mAP": 0.41, ...}``) -> canonical fractions.

    Keys not in the table are dropped; negative COCO values (-1: no ground
    truth in that range) are dropped rather than reported as 0.
    """
    out: dict[str, float] = {}
    for key, value in raw.items():
        if key not in _KEYS:
            continue
        try:
            v = float(value)
        except (TypeError, ValueError):
            continue
        if v < 0:
            continue
        name, scale = _KEYS[key]
        out[name] = round(min(1.0, v * scale), 6)
    return out
