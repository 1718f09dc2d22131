"""Run a deployed bundle on an image: the bundle's own API (numpy + OpenCV + the backend runtime).

    from autommlab_deploy_ort.predict import Predictor
    result = Predictor("runs/x/deploy/onnxruntime")("cat.jpg")   # dict, JSON-serialisable

A bundle directory holds ``deploy.json`` (see ``bundle.py``): its ``bundle``
section names the model file, the preprocessing spec, classes and metainfo.
No training code (torch, mmengine, OpenMMLab) is imported for ONNX Runtime
bundles; TensorRT bundles run through ``autommlab_deploy_trt.runtime``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from autommlab.errors import DataError, UsageError

from . import postprocess
from .preprocess import prepare

BUNDLE_FILE = "deploy.json"


def find_bundle(path: str | Path, backend: str | None = None) -> Path:
    """Resolve a bundle directory from a bundle dir, a run dir (``deploy/<backend>/``) or a deploy dir.

    :raises UsageError: naming what was looked for when there is no bundle, or several and no ``backend``.
    """
    p = Path(path)
    if not p.exists():
        raise UsageError(f"{p} does not exist (expected a run directory or a deployed bundle)")
    if (p / BUNDLE_FILE).is_file():
        return p
    for base in (p / "deploy", p):
        if not base.is_dir():
            continue
        found = sorted(d for d in base.iterdir() if (d / BUNDLE_FILE).is_file())
        if backend:
            found = [d for d in found if d.name == backend]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(f"{base} holds several bundles ({', '.join(d.name for d in found)}); "
                             f"choose one with --backend")
    raise UsageError(f"no deployed bundle in {p}: expected {p / BUNDLE_FILE} or "
                     f"{p / 'deploy' / (backend or '<backend>') / BUNDLE_FILE}")


def read_image(path: str | Path) -> np.ndarray:
    """BGR uint8 image (OpenCV, as OpenMMLab's LoadImageFromFile reads it)."""
    import cv2

    p = Path(path)
    if not p.is_file():
        raise DataError(f"image not found: {p}")
    img = cv2.imread(str(p), cv2.IMREAD_COLOR)
    if img is None:
        raise DataError(f"cannot decode image {p} (not an image OpenCV can read)")
    _check_complete(p)
    return img


def _check_complete(p: Path) -> None:
    """DataError for a truncated file: OpenCV fills the missing rows of a cut-off JPEG with gray, silently."""
    from PIL import Image

    try:
        with Image.open(p) as im:
            im.load()
    except OSError as e:
        if "truncated" in str(e).lower() or "broken" in str(e).lower():
            raise DataError(f"image {p} is truncated ({e}); a prediction on it would be of gray filler") from e
    except Exception:  # noqa: BLE001 - a format PIL cannot read but OpenCV can: OpenCV's decode stands
        pass


class Predictor:
    """A loaded bundle: ``predictor(image_path_or_bgr_array)`` -> result dict."""

    def __init__(self, bundle_dir: str | Path, device: str | None = None, threads: int | None = None):
        self.dir = find_bundle(bundle_dir)
        try:
            record = json.loads((self.dir / BUNDLE_FILE).read_text())
            self.bundle: dict[str, Any] = record["bundle"]
        except (json.JSONDecodeError, KeyError) as e:
            raise DataError(f"{self.dir / BUNDLE_FILE} is not a deploy record with a 'bundle' section: {e}") from e
        self.task: str = self.bundle["task"]
        self.backend: str = record.get("backend", "onnxruntime")
        self.classes: list[str] = list(self.bundle.get("classes") or [])
        self.metainfo: dict[str, Any] = dict(self.bundle.get("metainfo") or {})
        self.spec: dict[str, Any] = self.bundle["preprocess"]
        self.device = device or record.get("device", "cpu")
        self.runner = _open_runner(self.dir, self.bundle, self.backend, self.device, threads)

    def infer(self, x: np.ndarray) -> list[np.ndarray]:
        """Raw outputs of the graph for a prepared input (1x3xHxW float32), in bundle output order."""
        return self.runner(x)

    def predict(self, image: str | Path | np.ndarray, bbox_xywh: list[float] | None = None,
                score_thr: float = 0.3) -> tuple[dict[str, Any], np.ndarray | None]:
        """(result dict, label mask or None). The mask is returned for segmentation only."""
        img = read_image(image) if not isinstance(image, np.ndarray) else image
        x, meta = prepare(img, self.spec, bbox_xywh=bbox_xywh)
        outs = self.infer(x)
        mask = None
        if self.task == "classification":
            res = postprocess.classification(outs, meta, self.classes)
        elif self.task == "detection":
            res = postprocess.detection(outs, meta, self.classes, score_thr=score_thr)
        elif self.task == "segmentation":
            res, mask = postprocess.segmentation(outs, meta, self.classes)
        elif self.task == "keypoint":
            res = postprocess.keypoint(outs, meta, self.classes, self.metainfo,
                                       split_ratio=float(self.bundle.get("simcc_split_ratio", 2.0)))
            x0, y0 = meta["center"][0] - meta["scale"][0] / 2, meta["center"][1] - meta["scale"][1] / 2
            res["bbox"] = [round(v, 2) for v in (bbox_xywh or [0.0, 0.0, float(img.shape[1]), float(img.shape[0])])]
            res["input_region_xyxy"] = [round(x0, 2), round(y0, 2), round(x0 + meta["scale"][0], 2),
                                        round(y0 + meta["scale"][1], 2)]
        else:
            raise DataError(f"{self.dir / BUNDLE_FILE}: unknown task {self.task!r}")
        if isinstance(image, (str, Path)):
            res["image"] = str(image)
        res["image_hw"] = list(meta["ori_hw"])
        return res, mask

    def __call__(self, image: str | Path | np.ndarray, **kw: Any) -> dict[str, Any]:
        return self.predict(image, **kw)[0]


def _open_runner(bundle_dir: Path, bundle: dict[str, Any], backend: str, device: str, threads: int | None):
    model = bundle_dir / bundle["model_file"]
    if not model.is_file():
        raise DataError(f"bundle model file missing: {model}")
    if backend == "onnxruntime":
        from .ortsession import BackendUnavailable, open_session

        try:
            sess, _ = open_session(model, device=device, threads=threads)
        except BackendUnavailable as e:
            raise UsageError(f"cannot run {model}: {e}") from e
        in_name = sess.get_inputs()[0].name
        out_names = list(bundle.get("output_names") or [o.name for o in sess.get_outputs()])
        return lambda x: sess.run(out_names, {in_name: x})
    if backend == "tensorrt":
        try:
            from autommlab_deploy_trt.runtime import engine_runner
        except ImportError as e:
            raise UsageError(f"this bundle is a TensorRT engine; install autommlab-deploy-trt and tensorrt "
                             f"({e})") from e
        return engine_runner(model, bundle, device)
    raise UsageError(f"{bundle_dir / BUNDLE_FILE}: backend {backend!r} has no predictor")
