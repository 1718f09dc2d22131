"""One pass over the val split with the PyTorch and the deployed model: metrics of both and their agreement.

``Agreement`` accumulates task-level agreement between the two models'
predictions per image (same label / mask pixels / matched boxes / keypoints);
``val_pass`` runs both models on every val image, feeds each model's results to
its own copy of the trial's evaluator, and returns both metric sets.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .metrics import canonical_metrics


def _np(x: Any) -> np.ndarray:
    return x.detach().cpu().numpy() if hasattr(x, "detach") else np.asarray(x)


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU matrix of xyxy boxes a (N,4) and b (M,4)."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    tl = np.maximum(a[:, None, :2], b[None, :, :2])
    br = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(br - tl, 0, None).prod(-1)
    area_a = (a[:, 2:] - a[:, :2]).clip(0).prod(-1)
    area_b = (b[:, 2:] - b[:, :2]).clip(0).prod(-1)
    return inter / np.maximum(area_a[:, None] + area_b[None] - inter, 1e-9)


@dataclass
class Agreement:
    """Per-task agreement between PyTorch (reference) and deployed predictions."""

    task: str
    det_score_thr: float = 0.3
    kpt_tol_px: float = 2.0
    images: int = 0
    same: list[float] = field(default_factory=list)  # per-image agreement share
    max_abs: float = 0.0  # largest score / coordinate difference seen
    extra: list[float] = field(default_factory=list)
    confident: int = 0  # detection: reference boxes above det_score_thr (0: only top-10 low-score boxes compared)

    def add(self, ref: Any, dep: Any) -> None:
        self.images += 1
        if self.task == "classification":
            self.same.append(float(int(_np(ref.pred_label).ravel()[0]) == int(_np(dep.pred_label).ravel()[0])))
            self.max_abs = max(self.max_abs, float(np.abs(_np(ref.pred_score) - _np(dep.pred_score)).max()))
        elif self.task == "segmentation":
            a, b = _np(ref.pred_sem_seg.data), _np(dep.pred_sem_seg.data)
            self.same.append(float((a == b).mean()) if a.shape == b.shape else 0.0)
        elif self.task == "detection":
            self._add_det(ref.pred_instances, dep.pred_instances)
        elif self.task == "keypoint":
            a = _np(ref.pred_instances.keypoints).reshape(-1, 2)
            b = _np(dep.pred_instances.keypoints).reshape(-1, 2)
            d = np.linalg.norm(a - b, axis=1)
            self.same.append(float((d <= self.kpt_tol_px).mean()))
            self.extra.append(float(d.mean()))
            self.max_abs = max(self.max_abs, float(d.max()))

    def _add_det(self, ref: Any, dep: Any) -> None:
        # Reference boxes: PyTorch's above the threshold, or its top 10 when none is (a barely
        # trained model); each must reappear among all deployed boxes (same label, IoU >= 0.9).
        rs_all = _np(ref.scores)
        keep = rs_all >= self.det_score_thr
        self.confident += int(keep.sum())
        if not keep.any():
            keep = np.zeros_like(keep)
            keep[np.argsort(-rs_all)[:10]] = True
        rb, rl, rs = _np(ref.bboxes)[keep], _np(ref.labels)[keep], rs_all[keep]
        db, dl, ds = _np(dep.bboxes), _np(dep.labels), _np(dep.scores)
        if len(rb) == 0:
            self.same.append(1.0 if not (ds >= self.det_score_thr).any() else 0.0)
            return
        iou = _iou(rb, db)
        if iou.size:
            iou[rl[:, None] != dl[None, :]] = 0  # a match needs the same label
        matched = 0
        for i in range(len(rb)):
            if not iou.shape[1]:
                break
            j = int(iou[i].argmax())
            if iou[i, j] >= 0.9:
                matched += 1
                self.extra.append(float(iou[i, j]))
                self.max_abs = max(self.max_abs, float(abs(rs[i] - ds[j])))
        self.same.append(matched / len(rb))

    def summary(self) -> dict[str, Any]:
        share = round(float(np.mean(self.same)), 6) if self.same else None
        out: dict[str, Any] = {"images": self.images}
        if self.task == "classification":
            out.update(same_label_share=share, max_abs_score_diff=self.max_abs)
        elif self.task == "segmentation":
            out.update(same_mask_pixel_share=share)
        elif self.task == "detection":
            out.update(matched_box_share=share, box_match_iou=0.9, score_thr=self.det_score_thr,
                       reference_boxes_above_thr=self.confident,
                       mean_matched_iou=round(float(np.mean(self.extra)), 6) if self.extra else None,
                       max_abs_score_diff=self.max_abs)
        elif self.task == "keypoint":
            out.update(same_keypoint_share=share, keypoint_tol_px=self.kpt_tol_px,
                       mean_keypoint_dist_px=round(float(np.mean(self.extra)), 4) if self.extra else None,
                       max_keypoint_dist_px=round(self.max_abs, 4))
        return out


def val_pass(dataloader: Any, torch_model: Any, deployed: Any, make_evaluator: Callable[[], Any], task: str,
             progress: Any = None) -> tuple[dict[str, float], dict[str, float], dict[str, Any], dict[str, Any]]:
    """Run both models over ``dataloader`` (batch 1).

    :return: (deployed metrics, PyTorch metrics, raw evaluator output of the deployed model, agreement summary)
    """
    import torch

    ev_dep, ev_ref = make_evaluator(), make_evaluator()
    agree = Agreement(task)
    n = 0
    with torch.no_grad():
        for batch in dataloader:
            dep = deployed.test_step(copy.deepcopy(batch))
            ref = torch_model.test_step(copy.deepcopy(batch))
            ev_dep.process(dep, copy.deepcopy(batch))
            ev_ref.process(ref, copy.deepcopy(batch))
            for r, d in zip(ref, dep):
                agree.add(r, d)
            n += len(dep)
            if progress is not None:
                progress.update(1)
    size = len(dataloader.dataset)
    raw_dep = ev_dep.evaluate(size)
    raw_ref = ev_ref.evaluate(size)
    return canonical_metrics(raw_dep), canonical_metrics(raw_ref), dict(raw_dep), agree.summary()


def _det_parity(pairs: list[tuple[list[np.ndarray], list[np.ndarray]]], min_score: float = 1e-6
                ) -> dict[str, Any]:
    """Detections compared as sets: boxes may come in another order when scores tie.

    Sorted score lists are compared position by position; each deployed box
    (score >= ``min_score``: every box but the zero-score padding) is matched to the PyTorch box of the
    same label with the closest score and coordinates: ``same_box_share`` is the share found within
    0.01 px, ``max_abs_box_diff_px`` the worst gap.
    """
    score_diff, box_diff, counts, same = 0.0, 0.0, [], []
    for ref, dep in pairs:
        rd, dd = np.asarray(ref[0], np.float64)[0], np.asarray(dep[0], np.float64)[0]
        rl, dl = np.asarray(ref[1])[0], np.asarray(dep[1])[0]
        rk, dk = rd[:, 4] >= min_score, dd[:, 4] >= min_score
        counts.append((int(rk.sum()), int(dk.sum())))
        rs, ds = np.sort(rd[rk, 4])[::-1], np.sort(dd[dk, 4])[::-1]
        n = min(len(rs), len(ds))
        if n:
            score_diff = max(score_diff, float(np.abs(rs[:n] - ds[:n]).max()))
        for box, label in zip(dd[dk], dl[dk]):
            cand = rd[rk & (rl == label)]
            if len(cand) == 0:
                same.append(0.0)
                continue
            cost = np.abs(cand[:, :4] - box[:4]).max(1) + 1e3 * np.abs(cand[:, 4] - box[4])
            gap = float(np.abs(cand[int(cost.argmin()), :4] - box[:4]).max())
            box_diff = max(box_diff, gap)
            same.append(float(gap <= 0.01))
    return dict(max_abs_score_diff=score_diff, max_abs_box_diff_px=box_diff, min_score=min_score,
                same_box_share=round(float(np.mean(same)), 6) if same else None,
                same_count_share=round(float(np.mean([a == b for a, b in counts])), 6) if counts else None)


def raw_parity(pairs: list[tuple[list[np.ndarray], list[np.ndarray]]], names: list[str], task: str = ""
               ) -> dict[str, Any]:
    """Compare raw graph outputs: per output, max |a - b| (floats) or share of equal values (integers).

    :param pairs: (PyTorch outputs, backend outputs) per image, same order as ``names``.
    Detection outputs (``dets``, ``labels``) are compared as sets (``_det_parity``).
    """
    if task == "detection" and names[:2] == ["dets", "labels"]:
        return {"detections": _det_parity(pairs)}
    out: dict[str, Any] = {}
    for k, name in enumerate(names):
        diffs, equal = [], []
        for ref, dep in pairs:
            a, b = np.asarray(ref[k]), np.asarray(dep[k])
            if a.shape != b.shape:
                equal.append(0.0)
                continue
            if np.issubdtype(a.dtype, np.floating) or np.issubdtype(b.dtype, np.floating):
                diffs.append(float(np.abs(a.astype(np.float64) - b.astype(np.float64)).max()) if a.size else 0.0)
            else:
                equal.append(float((a == b).mean()) if a.size else 1.0)
        entry: dict[str, Any] = {}
        if diffs:
            entry["max_abs_diff"] = max(diffs)
        if equal:
            entry["equal_share"] = round(float(np.mean(equal)), 6)
        out[name] = entry
    return out
