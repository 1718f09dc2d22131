"""Standalone preprocessing for the deployed bundle: numpy + OpenCV, no OpenMMLab.

A bundle stores its preprocessing as a list of simple steps (``spec``), made
at deploy time from the trained model's ``test_pipeline`` and data
preprocessor by ``spec_from_config`` and checked there against OpenMMLab's own
pipeline on a real val image. ``prepare(image, spec)`` applies it:

    image (HxWx3 BGR uint8) -> (input tensor 1x3xHxW float32, meta)

``meta`` records what is needed to map outputs back to the image
(scale factors, crop offset, affine center/scale).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_INTERP = {"nearest": 0, "bilinear": 1, "bicubic": 2, "area": 3, "lanczos": 4}  # cv2.INTER_* values

#: pipeline transforms that do nothing to the image at inference time
_SKIP = {"LoadImageFromFile", "LoadImage", "LoadAnnotations", "PackInputs", "PackDetInputs", "PackSegInputs",
         "PackPoseInputs", "PackClsInputs", "mmdet.PackDetInputs", "mmdet.LoadAnnotations"}


class UnsupportedPreprocess(ValueError):
    """The model's test pipeline uses a transform the standalone predictor does not implement."""


# --------------------------------------------------------------------------- spec from config


def _wh(v: Any) -> list[int]:
    if isinstance(v, (int, float)):
        return [int(v), int(v)]
    return [int(v[0]), int(v[1])]


def _pad_value(v: Any) -> float:
    if isinstance(v, dict):
        v = v.get("img", 0)
    if isinstance(v, (list, tuple)):
        v = v[0]
    return float(v)


def spec_from_config(test_pipeline: list[dict], data_preprocessor: dict, task: str) -> dict[str, Any]:
    """Translate an mmengine ``test_pipeline`` and ``model.data_preprocessor`` into a preprocessing spec.

    :raises UnsupportedPreprocess: naming the first transform it cannot reproduce.
    """
    steps: list[dict[str, Any]] = []
    for t in test_pipeline:
        kind = str(t.get("type", "")).split(".")[-1]
        if kind in _SKIP or t.get("type") in _SKIP:
            continue
        interp = t.get("interpolation", "bilinear")
        if kind == "Resize":
            if t.get("scale") is None:
                raise UnsupportedPreprocess(f"Resize without `scale` ({t}) is not supported by the standalone "
                                            f"predictor")
            steps.append(dict(op="resize", size=_wh(t["scale"]), keep_ratio=bool(t.get("keep_ratio", False)),
                              interpolation=interp))
        elif kind == "ResizeEdge":
            steps.append(dict(op="resize_edge", scale=int(t["scale"]), edge=t.get("edge", "short"),
                              interpolation=interp))
        elif kind == "CenterCrop":
            steps.append(dict(op="center_crop", size=_wh(t["crop_size"])))
        elif kind == "Pad":
            steps.append(dict(op="pad", size=_wh(t["size"]) if t.get("size") is not None else None,
                              size_divisor=t.get("size_divisor"), square=bool(t.get("pad_to_square", False)),
                              value=_pad_value(t.get("pad_val", 0))))
        elif kind == "GetBBoxCenterScale":
            steps.append(dict(op="bbox_center_scale", padding=float(t.get("padding", 1.25))))
        elif kind == "TopdownAffine":
            if t.get("use_udp"):
                raise UnsupportedPreprocess("TopdownAffine(use_udp=True) is not supported by the standalone predictor")
            steps.append(dict(op="topdown_affine", size=_wh(t["input_size"])))
        else:
            raise UnsupportedPreprocess(f"test_pipeline transform {t.get('type')!r} is not supported by the "
                                        f"standalone predictor")
    dp = dict(data_preprocessor or {})
    to_rgb = bool(dp.get("bgr_to_rgb", dp.get("to_rgb", False)))
    mean = [float(x) for x in dp.get("mean", [0.0, 0.0, 0.0])]
    std = [float(x) for x in dp.get("std", [1.0, 1.0, 1.0])]
    batch_pad = dict(size_divisor=int(dp.get("pad_size_divisor", dp.get("size_divisor", 1)) or 1),
                     value=float(dp.get("pad_value", dp.get("pad_val", 0)) or 0))
    test_cfg = dp.get("test_cfg") or {}
    if test_cfg.get("size") is not None:
        batch_pad["size"] = _wh(test_cfg["size"])[::-1]  # mmseg stores (h, w)
    if test_cfg.get("size_divisor") is not None:
        batch_pad["size_divisor"] = int(test_cfg["size_divisor"])
    return dict(task=task, steps=steps, to_rgb=to_rgb, mean=mean, std=std, batch_pad=batch_pad)


# --------------------------------------------------------------------------- applying a spec


def _resize(img: np.ndarray, w: int, h: int, interpolation: str) -> np.ndarray:
    import cv2

    return cv2.resize(img, (int(w), int(h)), interpolation=_INTERP.get(interpolation, 1))


def _rescale_size(w: int, h: int, scale: list[int]) -> tuple[int, int]:
    # mmcv.rescale_size: fit the long edge to max(scale) and the short to min(scale)
    factor = min(max(scale) / max(h, w), min(scale) / min(h, w))
    return int(w * factor + 0.5), int(h * factor + 0.5)


def _bbox_cs(bbox_xywh: list[float], padding: float) -> tuple[np.ndarray, np.ndarray]:
    # mmpose's bbox_xyxy2cs, in float32 as mmpose computes it
    x, y, w, h = (np.float32(v) for v in bbox_xywh)
    x2, y2 = x + w, y + h
    center = np.array([x + x2, y + y2], dtype=np.float32) * np.float32(0.5)
    scale = np.array([x2 - x, y2 - y], dtype=np.float32) * np.float32(padding)
    return center, scale


def _fix_aspect(scale: np.ndarray, aspect: float) -> np.ndarray:
    w, h = scale
    if w > h * aspect:
        return np.array([w, w / aspect], dtype=np.float32)
    return np.array([h * aspect, h], dtype=np.float32)


def affine_matrix(center: np.ndarray, scale: np.ndarray, out_wh: list[int]) -> np.ndarray:
    """mmpose's ``get_warp_matrix`` (no rotation, no shift): 2x3 matrix image -> model input."""
    import cv2

    src_w = scale[0]
    dst_w, dst_h = out_wh[0], out_wh[1]
    src_dir = np.array([src_w * -0.5, 0.0])
    dst_dir = np.array([dst_w * -0.5, 0.0])

    def third(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = a - b
        return b + np.r_[-d[1], d[0]]

    src = np.zeros((3, 2), dtype=np.float32)
    dst = np.zeros((3, 2), dtype=np.float32)
    src[0, :] = center
    src[1, :] = center + src_dir
    dst[0, :] = [dst_w * 0.5, dst_h * 0.5]
    dst[1, :] = np.array([dst_w * 0.5, dst_h * 0.5]) + dst_dir
    src[2, :] = third(src[0, :], src[1, :])
    dst[2, :] = third(dst[0, :], dst[1, :])
    return cv2.getAffineTransform(np.float32(src), np.float32(dst))


def prepare(image: np.ndarray, spec: dict[str, Any], bbox_xywh: list[float] | None = None
            ) -> tuple[np.ndarray, dict[str, Any]]:
    """Apply ``spec`` to a BGR uint8 image.

    :param bbox_xywh: the person box for top-down keypoint models (default: the whole image).
    :return: (float32 array 1x3xHxW, meta) where meta has ``ori_hw``, ``img_hw`` (after
        resizing, before padding), ``scale_factor`` (w, h), ``crop_xy`` and, for keypoints,
        ``center``/``scale``/``input_wh``.
    """
    import cv2

    img = image
    h0, w0 = img.shape[:2]
    meta: dict[str, Any] = dict(ori_hw=[h0, w0], scale_factor=[1.0, 1.0], crop_xy=[0, 0])
    sx = sy = 1.0
    center = scale = None
    for step in spec["steps"]:
        op = step["op"]
        h, w = img.shape[:2]
        if op == "resize":
            if step["keep_ratio"]:
                nw, nh = _rescale_size(w, h, step["size"])
            else:
                nw, nh = step["size"]
            img = _resize(img, nw, nh, step["interpolation"])
            sx, sy = sx * nw / w, sy * nh / h
        elif op == "resize_edge":
            s = step["scale"]
            edge = step["edge"]
            if (edge == "short" and w < h) or (edge == "long" and w > h) or edge == "width":
                nw, nh = s, int(s * h / w)
            else:
                nw, nh = int(s * w / h), s
            img = _resize(img, nw, nh, step["interpolation"])
            sx, sy = sx * nw / w, sy * nh / h
        elif op == "center_crop":
            cw, ch = step["size"]
            # Python's round (half to even), as mmcv's CenterCrop uses it
            y1 = max(0, int(round((h - ch) / 2.0)))
            x1 = max(0, int(round((w - cw) / 2.0)))
            img = img[y1:min(h, y1 + ch), x1:min(w, x1 + cw)]
            meta["crop_xy"] = [meta["crop_xy"][0] + x1 / sx, meta["crop_xy"][1] + y1 / sy]
        elif op == "pad":
            meta["img_hw"] = [h, w]
            if step.get("size"):
                tw, th = step["size"]
            elif step.get("square"):
                tw = th = max(h, w)
            else:
                d = int(step.get("size_divisor") or 1)
                tw, th = -(-w // d) * d, -(-h // d) * d
            img = cv2.copyMakeBorder(img, 0, max(0, th - h), 0, max(0, tw - w), cv2.BORDER_CONSTANT,
                                     value=(step["value"],) * 3)
        elif op == "bbox_center_scale":
            box = bbox_xywh if bbox_xywh is not None else [0.0, 0.0, float(w), float(h)]
            center, scale = _bbox_cs(box, step["padding"])
        elif op == "topdown_affine":
            out_w, out_h = step["size"]
            if center is None:
                center, scale = _bbox_cs([0.0, 0.0, float(w), float(h)], 1.25)
            scale = _fix_aspect(scale, out_w / out_h)
            mat = affine_matrix(center, scale, [out_w, out_h])
            img = cv2.warpAffine(img, mat, (int(out_w), int(out_h)), flags=cv2.INTER_LINEAR)
            meta.update(center=center.tolist(), scale=scale.tolist(), input_wh=[int(out_w), int(out_h)])
        else:  # pragma: no cover - spec_from_config only writes the ops above
            raise UnsupportedPreprocess(f"unknown preprocessing op {op!r}")
    meta.setdefault("img_hw", list(img.shape[:2]))
    meta["scale_factor"] = [sx, sy]
    x = img.astype(np.float32)
    if spec.get("to_rgb"):
        x = x[..., ::-1]
    x = (x - np.asarray(spec["mean"], np.float32)) / np.asarray(spec["std"], np.float32)
    x = np.ascontiguousarray(x.transpose(2, 0, 1))[None]
    pad = spec.get("batch_pad") or {}
    _, _, h, w = x.shape
    th, tw = h, w
    if pad.get("size"):
        th, tw = max(h, pad["size"][0]), max(w, pad["size"][1])
    d = int(pad.get("size_divisor") or 1)
    th, tw = -(-th // d) * d, -(-tw // d) * d
    if (th, tw) != (h, w):
        out = np.full((1, 3, th, tw), pad.get("value", 0.0), dtype=np.float32)
        out[:, :, :h, :w] = x
        x = out
    meta["input_hw"] = [int(x.shape[2]), int(x.shape[3])]
    return x.astype(np.float32), meta
