"""Standalone decoding of the deployed graph's outputs into results in image coordinates (numpy only).

Each function takes the raw outputs of one image (batch index 0), the meta
from ``preprocess.prepare`` and the bundle's ``classes``/``metainfo``, and
returns a JSON-serialisable dict.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def classification(outputs: list[np.ndarray], meta: dict, classes: list[str], topk: int = 5) -> dict[str, Any]:
    scores = np.asarray(outputs[0], dtype=np.float64)[0]
    if not (np.all(scores >= 0) and abs(scores.sum() - 1.0) < 1e-3):  # logits: the graph had no softmax
        e = np.exp(scores - scores.max())
        scores = e / e.sum()
    order = np.argsort(-scores)[:topk]
    label = int(order[0])
    return dict(task="classification", label=label, **{"class": _name(classes, label)},
                score=float(scores[label]),
                topk=[dict(label=int(i), **{"class": _name(classes, int(i))}, score=float(scores[i])) for i in order])


def detection(outputs: list[np.ndarray], meta: dict, classes: list[str], score_thr: float = 0.3) -> dict[str, Any]:
    dets = np.asarray(outputs[0], dtype=np.float64)[0]
    labels = np.asarray(outputs[1])[0].astype(int)
    sx, sy = meta["scale_factor"]
    h, w = meta["ori_hw"]
    found = []
    for det, label in zip(dets, labels):
        score = float(det[4])
        if score < score_thr or label < 0:
            continue
        x1, y1, x2, y2 = det[:4] / np.array([sx, sy, sx, sy])
        box = [float(np.clip(x1, 0, w)), float(np.clip(y1, 0, h)), float(np.clip(x2, 0, w)), float(np.clip(y2, 0, h))]
        found.append(dict(bbox=[round(v, 2) for v in box], score=round(score, 5), label=int(label),
                          **{"class": _name(classes, int(label))}))
    found.sort(key=lambda d: -d["score"])
    return dict(task="detection", score_thr=score_thr, detections=found)


def segmentation_mask(outputs: list[np.ndarray], meta: dict) -> np.ndarray:
    """Label map (H x W, int) at the original image size (nearest resize, as mmdeploy does)."""
    import cv2

    out = np.asarray(outputs[0])[0]
    if out.ndim == 3 and out.shape[0] > 1:  # scores, not argmax
        out = out.argmax(0)
    elif out.ndim == 3:
        out = out[0]
    ih, iw = meta["img_hw"]
    out = out[:ih, :iw]  # drop batch padding
    h, w = meta["ori_hw"]
    if out.shape != (h, w):
        out = cv2.resize(out.astype(np.int32).astype(np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    return out.astype(np.int64)


def segmentation(outputs: list[np.ndarray], meta: dict, classes: list[str]) -> tuple[dict[str, Any], np.ndarray]:
    mask = segmentation_mask(outputs, meta)
    ids, counts = np.unique(mask, return_counts=True)
    total = float(mask.size)
    share = {_name(classes, int(i)): round(c / total, 5) for i, c in zip(ids, counts)}
    return dict(task="segmentation", mask_hw=list(mask.shape), class_pixel_share=share), mask


def keypoint(outputs: list[np.ndarray], meta: dict, classes: list[str], metainfo: dict,
             split_ratio: float = 2.0) -> dict[str, Any]:
    """SimCC outputs (simcc_x 1xKxWx, simcc_y 1xKxHy) -> keypoints in image pixels.

    Mirrors mmpose's ``get_simcc_maximum`` (score = min of the x and y maxima)
    and the top-down inverse transform (input -> center/scale box).
    """
    sx, sy = (np.asarray(o, dtype=np.float64)[0] for o in outputs[:2])
    xs, ys = sx.argmax(1).astype(np.float64), sy.argmax(1).astype(np.float64)
    scores = np.minimum(sx.max(1), sy.max(1))
    kp = np.stack([xs, ys], axis=1) / split_ratio
    kp[scores <= 0] = -1
    in_wh = np.asarray(meta["input_wh"], dtype=np.float64)
    center = np.asarray(meta["center"], dtype=np.float64)
    scale = np.asarray(meta["scale"], dtype=np.float64)
    kp = kp / in_wh * scale + center - 0.5 * scale
    names = metainfo.get("keypoint_names") or [str(i) for i in range(len(kp))]
    return dict(task="keypoint", keypoints=[dict(name=names[i] if i < len(names) else str(i), x=round(float(x), 2),
                                                 y=round(float(y), 2), score=round(float(s), 5))
                                            for i, ((x, y), s) in enumerate(zip(kp, scores))])


def _name(classes: list[str], i: int) -> str:
    return classes[i] if 0 <= i < len(classes) else str(i)
