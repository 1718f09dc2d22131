"""Draw a prediction (label, boxes, mask, keypoints) on the image with OpenCV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def _color(i: int) -> tuple[int, int, int]:
    rng = np.random.default_rng(i * 7919 + 17)
    c = rng.integers(64, 256, size=3)
    return int(c[0]), int(c[1]), int(c[2])


def draw(image: np.ndarray, result: dict[str, Any], mask: np.ndarray | None = None,
         metainfo: dict[str, Any] | None = None, kpt_thr: float = 0.3) -> np.ndarray:
    """Return a copy of the BGR ``image`` with ``result`` drawn on it."""
    import cv2

    out = image.copy()
    task = result["task"]
    if task == "classification":
        text = f"{result['class']} {result['score']:.2f}"
        cv2.rectangle(out, (0, 0), (8 + 9 * len(text), 24), (0, 0, 0), -1)
        cv2.putText(out, text, (4, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
    elif task == "detection":
        for d in result["detections"]:
            x1, y1, x2, y2 = (int(round(v)) for v in d["bbox"])
            col = _color(d["label"])
            cv2.rectangle(out, (x1, y1), (x2, y2), col, 2)
            cv2.putText(out, f"{d['class']} {d['score']:.2f}", (x1, max(10, y1 - 4)), cv2.FONT_HERSHEY_SIMPLEX,
                        0.45, col, 1, cv2.LINE_AA)
    elif task == "segmentation" and mask is not None:
        overlay = out.copy()
        for label in np.unique(mask):
            if label == 0:  # background stays as is
                continue
            overlay[mask == label] = _color(int(label))
        out = cv2.addWeighted(out, 0.45, overlay, 0.55, 0)
    elif task == "keypoint":
        pts = result["keypoints"]
        skeleton = (metainfo or {}).get("skeleton") or []
        base = 0 if any(0 in pair for pair in skeleton) else 1  # COCO skeletons are 1-based
        for a, b in skeleton:
            a, b = a - base, b - base
            if max(a, b) < len(pts) and pts[a]["score"] >= kpt_thr and pts[b]["score"] >= kpt_thr:
                cv2.line(out, (int(pts[a]["x"]), int(pts[a]["y"])), (int(pts[b]["x"]), int(pts[b]["y"])),
                         (0, 200, 255), 2, cv2.LINE_AA)
        for i, p in enumerate(pts):
            if p["score"] >= kpt_thr:
                cv2.circle(out, (int(p["x"]), int(p["y"])), 3, _color(i), -1, cv2.LINE_AA)
    return out


def save(image: np.ndarray, path: str | Path) -> Path:
    import cv2

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(p), image):
        raise OSError(f"could not write {p} (unknown image extension?)")
    return p
