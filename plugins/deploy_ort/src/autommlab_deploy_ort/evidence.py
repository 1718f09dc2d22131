"""Report material from the DEPLOYED bundle (``autommlab_report_parts``): what the model does on val images.

In: the run's ``RunResult`` (its ``deployment`` and ``data``). Out: ``ReportPart``s:

- a grid of val images, ground truth drawn left and the deployed model's prediction right
  (JPEG files under ``<run>/report/predictions/``), drawn by ``draw.py`` as ``autommlab predict`` draws;
- classification: confusion matrix and per-class precision / recall;
  detection: precision-recall curve at IoU 0.5 per class and per-class AP50 (pycocotools);
  segmentation: per-class IoU;
- the latency distribution of the deployment's own timed runs (``deploy.json`` ``latency_samples_ms``).

The bundle runs through ``predict.Predictor`` (the standalone path users call),
so these numbers can differ slightly from deployment.json's val metric, which
mmdeploy's model computed; each part says which it is.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from autommlab.report_parts import ReportImage, ReportPart
from autommlab.results import RunResult

from .predict import BUNDLE_FILE, Predictor, read_image
from .valset import ValItem, val_items

NAME = "deploy_ort"
GRID = 8  # val images drawn
MAX_EVAL = 500  # val images the per-class figures are computed on
GT_COLOR = (60, 200, 60)  # BGR


def bundle_dir(result: RunResult) -> Path | None:
    dep = result.deployment
    if dep is None:
        return None
    rec = dep.artifacts.get("record")
    # artifact paths are as the run wrote them (relative to its working directory when run_dir was relative)
    for d in ([Path(rec).parent] if rec else []) + [Path(result.run_dir) / "deploy" / dep.backend]:
        if (d / BUNDLE_FILE).is_file():
            return d
    return None


def report_parts(result: RunResult) -> list[ReportPart] | None:
    """Every part above for ``result``'s deployment; None when the run has no deployed bundle."""
    bdir = bundle_dir(result)
    if bdir is None or result.data is None:
        return None
    dep = result.deployment
    parts = [p for p in [latency_part(bdir, dep)] if p]
    predictor = Predictor(bdir)
    items = val_items(result.data)
    if not items:
        return parts
    evaluated = items[:MAX_EVAL]
    where = (f"deployed {dep.backend} bundle through `autommlab predict`'s code on "
             f"{len(evaluated)} of {len(items)} val images")
    preds = [_predict(predictor, it, score_thr=0.01 if predictor.task == "detection" else 0.3) for it in evaluated]
    task = predictor.task
    if task == "classification":
        parts += classification_parts(preds, evaluated, predictor.classes, where, dep)
    elif task == "detection":
        parts += detection_parts(preds, evaluated, predictor.classes, where, result.data)
    elif task == "segmentation":
        parts += segmentation_parts(preds, evaluated, predictor.classes, where)
    parts.append(grid_part(predictor, items, preds, result.run_dir / "report" / "predictions", where))
    return parts


def _predict(predictor: Predictor, item: ValItem, score_thr: float) -> tuple[dict[str, Any], Any]:
    return predictor.predict(read_image(item.image), bbox_xywh=item.bbox_xywh, score_thr=score_thr)


# ----------------------------------------------------------------------------- latency
def latency_part(bdir: Path, dep) -> ReportPart | None:
    record = json.loads((bdir / BUNDLE_FILE).read_text())
    samples = record.get("latency_samples_ms") or []
    if not samples:
        return None
    lat = dep.latency
    return ReportPart(
        plugin=NAME, section="latency", kind="histogram", title=f"Latency of the deployed model ({dep.backend}, "
        f"{dep.device})", x_label="ms per image (batch 1)", y_label="timed runs", values=samples,
        markers={"p50": lat.p50_ms, "p90": lat.p90_ms},
        notes=[f"{len(samples)} timed runs after {lat.warmup} warm-up runs at "
               f"{'x'.join(map(str, lat.input_size))}, preprocessing excluded (the runs p50/p90 in "
               f"deployment.json summarise)"])


# ----------------------------------------------------------------------------- classification
def classification_parts(preds, items, classes, where, dep) -> list[ReportPart]:
    n = len(classes)
    cm = np.zeros((n, n), dtype=np.int64)
    for (res, _), it in zip(preds, items):
        if it.label is not None and 0 <= it.label < n and 0 <= res["label"] < n:
            cm[it.label, res["label"]] += 1
    tp = np.diag(cm).astype(float)
    prec = np.divide(tp, cm.sum(0), out=np.zeros(n), where=cm.sum(0) > 0)
    rec = np.divide(tp, cm.sum(1), out=np.zeros(n), where=cm.sum(1) > 0)
    acc = float(tp.sum() / cm.sum()) if cm.sum() else 0.0
    note = f"computed with the {where}: accuracy {acc:.4f}"
    if "accuracy" in dep.metrics:
        note += f" (deployment.json, mmdeploy's val pass: {dep.metrics['accuracy']:.4f})"
    rows = [[c, str(int(cm[i].sum())), f"{prec[i]:.3f}", f"{rec[i]:.3f}",
             f"{2 * prec[i] * rec[i] / (prec[i] + rec[i]) if prec[i] + rec[i] else 0:.3f}"]
            for i, c in enumerate(classes)]
    return [
        ReportPart(plugin=NAME, section="metrics", kind="matrix", title="Confusion matrix (deployed model, val)",
                   x_label="predicted", y_label="ground truth", labels=list(classes), matrix=cm.tolist(), notes=[note]),
        ReportPart(plugin=NAME, section="metrics", kind="bars", title="Per-class recall (deployed model, val)",
                   y_label="recall", labels=list(classes), values=[round(float(v), 6) for v in rec], notes=[note]),
        ReportPart(plugin=NAME, section="metrics", kind="table", title="Per-class metrics (deployed model, val)",
                   headers=["class", "val images", "precision", "recall", "F1"], rows=rows, notes=[note]),
    ]


# ----------------------------------------------------------------------------- detection
def detection_parts(preds, items, classes, where, plan) -> list[ReportPart]:
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval

    gt = json.loads(plan.path("val_ann").read_text())
    cats = sorted(gt["categories"], key=lambda c: c["id"])
    cat_of = {i: c["id"] for i, c in enumerate(cats)}
    by_name = {c["name"]: c["id"] for c in cats}
    dets = []
    for (res, _), it in zip(preds, items):
        for d in res["detections"]:
            x1, y1, x2, y2 = d["bbox"]
            cid = by_name.get(d["class"], cat_of.get(d["label"]))
            if cid is not None:
                dets.append(dict(image_id=it.image_id, category_id=cid, bbox=[x1, y1, x2 - x1, y2 - y1],
                                 score=d["score"]))
    if not dets:
        return [ReportPart(plugin=NAME, section="metrics", kind="table", title="Precision-recall (deployed model)",
                           headers=["note"], rows=[["the deployed model found no box above score 0.01"]],
                           notes=[where])]
    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO()
        coco.dataset = gt
        coco.createIndex()
        ev = COCOeval(coco, coco.loadRes(dets), "bbox")
        ev.params.imgIds = [it.image_id for it in items]
        ev.evaluate()
        ev.accumulate()
    precision = ev.eval["precision"][0, :, :, 0, -1]  # IoU 0.5, recall points, classes, area all, maxDets 100
    recall = ev.params.recThrs
    series, ap50, labels = {}, [], []
    for k, c in enumerate(cats):
        p = precision[:, k]
        name = c["name"]
        labels.append(name)
        ap50.append(round(float(p[p > -1].mean()), 6) if (p > -1).any() else 0.0)
        series[name] = [(float(r), float(v)) for r, v in zip(recall, p) if v > -1]
    note = f"pycocotools COCOeval (bbox, IoU 0.5, maxDets 100) on the {where}; boxes with score >= 0.01"
    return [
        ReportPart(plugin=NAME, section="metrics", kind="curves",
                   title="Precision-recall at IoU 0.5 (deployed model, val)",
                   x_label="recall", y_label="precision", series=series, notes=[note]),
        ReportPart(plugin=NAME, section="metrics", kind="bars", title="Per-class AP50 (deployed model, val)",
                   y_label="AP50", labels=labels, values=ap50, notes=[note]),
    ]


# ----------------------------------------------------------------------------- segmentation
def _read_mask(path: Path) -> np.ndarray:
    import cv2

    m = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if m is None:
        from autommlab.errors import DataError

        raise DataError(f"cannot read mask {path}")
    return m if m.ndim == 2 else m[..., 0]


def segmentation_parts(preds, items, classes, where) -> list[ReportPart]:
    n = len(classes)
    cm = np.zeros((n, n), dtype=np.int64)
    for (_, mask), it in zip(preds, items):
        gt = _read_mask(it.mask).astype(np.int64)
        if mask is None or gt.shape != mask.shape:
            continue
        valid = (gt < n) & (mask >= 0) & (mask < n)
        cm += np.bincount(gt[valid] * n + mask[valid], minlength=n * n).reshape(n, n)
    tp = np.diag(cm).astype(float)
    union = cm.sum(0) + cm.sum(1) - tp
    iou = np.divide(tp, union, out=np.zeros(n), where=union > 0)
    present = [i for i in range(n) if cm.sum(1)[i] > 0]
    miou = float(iou[present].mean()) if present else 0.0
    note = (f"pixel confusion on the {where} (255 = ignore); mIoU over the {len(present)} classes present: "
            f"{miou:.4f}")
    return [ReportPart(plugin=NAME, section="metrics", kind="bars", title="Per-class IoU (deployed model, val)",
                       y_label="IoU", labels=list(classes), values=[round(float(v), 6) for v in iou], notes=[note])]


# ----------------------------------------------------------------------------- drawn predictions
def _pick(n_items: int, k: int) -> list[int]:
    if n_items <= k:
        return list(range(n_items))
    return sorted({round(i * (n_items - 1) / (k - 1)) for i in range(k)})


def _label_bar(img: np.ndarray, text: str, color=(0, 0, 0)) -> np.ndarray:
    import cv2

    out = img.copy()
    cv2.rectangle(out, (0, 0), (8 + 9 * len(text), 24), color, -1)
    cv2.putText(out, text, (4, 17), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
    return out


def draw_truth(img: np.ndarray, item: ValItem, classes: list[str], task: str, metainfo: dict) -> np.ndarray:
    """The ground truth drawn the way ``draw.draw`` draws predictions (boxes in green)."""
    import cv2

    from .draw import draw

    name = (lambda i: classes[i] if 0 <= i < len(classes) else str(i))
    if task == "classification":
        return _label_bar(img, f"truth: {name(item.label)}", GT_COLOR)
    if task == "detection":
        out = img.copy()
        for (x1, y1, x2, y2), lab in item.boxes:
            cv2.rectangle(out, (int(x1), int(y1)), (int(x2), int(y2)), GT_COLOR, 2)
            cv2.putText(out, name(lab), (int(x1), max(10, int(y1) - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, GT_COLOR, 1,
                        cv2.LINE_AA)
        return out
    if task == "segmentation":
        gt = _read_mask(item.mask).astype(np.int64)
        gt[gt == 255] = 0
        return draw(img, {"task": "segmentation"}, gt, metainfo)
    if task == "keypoint":
        pts = [dict(x=k[0], y=k[1], score=1.0 if k[2] > 0 else 0.0) for k in item.keypoints]
        return draw(img, {"task": "keypoint", "keypoints": pts}, None, metainfo)
    return img


def _panel(truth: np.ndarray, pred: np.ndarray) -> np.ndarray:
    import cv2

    h, w = truth.shape[:2]
    scale = 192 / max(h, w) if max(h, w) < 192 else min(1.0, 320 / max(h, w))
    if scale != 1.0:
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        interp = cv2.INTER_NEAREST if scale > 1 else cv2.INTER_AREA
        truth, pred = cv2.resize(truth, size, interpolation=interp), cv2.resize(pred, size, interpolation=interp)
    gap = np.full((truth.shape[0], 6, 3), 255, dtype=np.uint8)
    return np.concatenate([truth, gap, pred], axis=1)


def _caption(task: str, res: dict, item: ValItem, classes: list[str]) -> str:
    name = item.image.name
    if task == "classification":
        truth = classes[item.label] if item.label is not None and 0 <= item.label < len(classes) else "?"
        ok = "correct" if res["label"] == item.label else "WRONG"
        return f"{name}: truth {truth}, predicted {res['class']} ({res['score']:.2f}), {ok}"
    if task == "detection":
        return f"{name}: {len(item.boxes)} true boxes, {len(res['detections'])} predicted (score >= {res['score_thr']})"
    if task == "keypoint":
        return f"{name}: person box {', '.join(f'{v:.0f}' for v in item.bbox_xywh or [])}"
    return name


def grid_part(predictor: Predictor, items: list[ValItem], preds: list, out_dir: Path, where: str) -> ReportPart:
    from .draw import draw, save

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in [*out_dir.glob("*.jpg"), *out_dir.glob("*.png")]:  # a re-render draws the current bundle only
        old.unlink()
    images = []
    for n, i in enumerate(_pick(len(items), GRID)):
        item = items[i]
        img = read_image(item.image)
        res, mask = preds[i] if i < len(preds) else _predict(predictor, item, 0.3)
        if predictor.task == "detection":  # draw what `autommlab predict` shows: its default threshold
            res = dict(res, detections=[d for d in res["detections"] if d["score"] >= 0.3], score_thr=0.3)
        if predictor.task == "classification" and max(img.shape[:2]) < 192:  # room for the label text
            import cv2

            f = 192 / max(img.shape[:2])
            img = cv2.resize(img, (round(img.shape[1] * f), round(img.shape[0] * f)), interpolation=cv2.INTER_LINEAR)
        truth = draw_truth(img, item, predictor.classes, predictor.task, predictor.metainfo)
        pred = draw(img, res, mask, predictor.metainfo)
        path = save(_panel(truth, pred), out_dir / f"{n:02d}.jpg")  # JPEG: photos are 5x smaller than as PNG
        images.append(ReportImage(path=path, caption=_caption(predictor.task, res, item, predictor.classes)))
    return ReportPart(plugin=NAME, section="predictions", kind="images",
                      title="Val images: ground truth (left) and the deployed model's prediction (right)",
                      images=images, notes=[f"{len(images)} val images evenly spaced over the split; {where}"])
