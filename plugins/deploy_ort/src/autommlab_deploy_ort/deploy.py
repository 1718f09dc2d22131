"""Deploy a Trial on a backend and measure it; shared by the ONNX Runtime and TensorRT plugins.

``run_deploy(trial, target, ctx, backend)`` -> ``Deployment``:

1. check the trial's config/checkpoint, load the config with the val split as test set;
2. export with mmdeploy to ONNX (``backend.convert`` then builds e.g. a TensorRT engine);
3. raw-output parity (graph outputs vs the rewritten PyTorch model) on the first val images;
4. one val pass with both models: deployed metric, PyTorch metric, prediction agreement;
5. latency p50/p90 at the deployed input size, batch 1, for the backend and PyTorch eager
   (same input, same threads);
6. the standalone bundle (``bundle.py``), its preprocessing checked against OpenMMLab's.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from autommlab.context import Context
from autommlab.schemas import Deployment, DeployTarget, Trial

from . import latency as lat
from .configs import deploy_config
from .modelcfg import check_trial_files, keypoint_input_hw, load_model_config, simcc_split_ratio

#: images for raw-output parity; the rewritten PyTorch detector runs its NMS slowly in eager mode
RAW_PARITY_IMAGES = {"detection": 3}
RAW_PARITY_DEFAULT = 8


@dataclass
class Runner:
    """A loaded backend model: ``runner(x)`` -> outputs (numpy, in ``output_names`` order)."""

    fn: Callable[[np.ndarray], list[np.ndarray]]
    output_names: list[str]
    info: dict[str, Any] = field(default_factory=dict)
    sync: Callable[[], None] | None = None

    def __call__(self, x: np.ndarray) -> list[np.ndarray]:
        return self.fn(x)


@dataclass
class Backend:
    """How one backend converts and runs a model (the per-plugin part of a deployment)."""

    name: str  # mmdeploy backend name: "onnxruntime", "tensorrt"
    plugin: str
    convert: Callable[[Path, Any, Path, DeployTarget], Path]  # (onnx, deploy cfg, out dir, target) -> model file
    open: Callable[[Path, str, int | None], Runner]  # (model file, device, threads) -> Runner
    device_name: Callable[[str], str] = lambda device: device


def _input_hw(x: Any) -> list[int]:
    return [int(x.shape[-2]), int(x.shape[-1])]


def _classes_and_meta(target: DeployTarget, dataset: Any) -> tuple[list[str], dict[str, Any]]:
    classes = list(target.data.classes)
    meta = copy.deepcopy(dict(target.data.metainfo))
    ds_meta = getattr(dataset, "metainfo", {}) or {}
    if not classes:
        classes = list(ds_meta.get("classes", []))
    return classes, json_safe(meta)


def json_safe(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def _gt_bbox_xywh(sample: Any) -> list[float] | None:
    inst = getattr(sample, "gt_instances", None)
    if inst is None or "bboxes" not in inst:
        return None
    b = np.asarray(inst.bboxes).reshape(-1, 4)[0]
    return [float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])]


def _size_dynamic_ok(runner: Runner, deploy_cfg: Any, x: np.ndarray) -> bool:
    """Whether a graph declared dynamic in H/W really runs at another size (True if it is not declared so)."""
    axes = (deploy_cfg.onnx_config.get("dynamic_axes") or {}).get("input", {})
    if not any(v in ("height", "width") for v in axes.values()):
        return True
    h, w = x.shape[-2:]
    y = np.zeros((1, x.shape[1], h + 32, w + 32), dtype=np.float32)
    y[..., :h, :w] = x[:1]
    try:
        runner(y)
        return True
    except Exception:  # noqa: BLE001 - any runtime failure means "not dynamic"
        return False


def fixed_size_pipeline(model_cfg: Any, hw: tuple[int, int]) -> None:
    """Make every ``Resize`` of the test pipelines resize to exactly ``hw`` (in place)."""
    pipes = [model_cfg.test_pipeline, model_cfg.test_dataloader.dataset.get("pipeline", [])]
    for pipe in pipes:
        for t in pipe:
            if str(t.get("type", "")).split(".")[-1] == "Resize":
                t["scale"] = (int(hw[1]), int(hw[0]))
                t["keep_ratio"] = False


def run_deploy(trial: Trial, target: DeployTarget, ctx: Context, backend: Backend, threads: int | None = None
               ) -> Deployment:
    """Export, convert, measure and bundle ``trial`` for ``backend`` (see module docstring)."""
    from . import engine
    from .evaluate import raw_parity, val_pass
    from .preprocess import UnsupportedPreprocess, prepare, spec_from_config
    from .predict import read_image

    started = time.perf_counter()
    stage_s: dict[str, float] = {}

    def lap(name: str, t0: float) -> float:
        now = time.perf_counter()
        stage_s[name] = round(now - t0, 2)
        return now
    cfg_path, ckpt = check_trial_files(trial, ctx.run_dir)
    task = trial.task
    model_cfg = load_model_config(cfg_path)
    out_dir = Path(target.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    engine.set_threads(threads)

    # The val loader and the PyTorch model do not depend on the backend.
    kpt_hw = keypoint_input_hw(model_cfg) if task == "keypoint" else None
    from mmengine.config import Config

    base_cfg = Config(deploy_config(task, "onnxruntime", input_hw=kpt_hw))
    proc0 = engine.task_processor(model_cfg, base_cfg)
    torch_model = engine.pytorch_model(proc0, ckpt)
    static_hw: tuple[int, int] | None = None
    for attempt in ("dynamic", "static"):
        loader = engine.val_dataloader(proc0, model_cfg)
        if len(loader.dataset) == 0:
            from autommlab.errors import DataError

            raise DataError(f"the val split of {cfg_path} is empty; nothing to measure the deployed model on")
        first = next(iter(loader))
        x0_t, samples0 = engine.preprocess_batch(torch_model, first)
        input_hw = _input_hw(x0_t)
        image0 = engine.image_path(first)
        t = lap("load", started)
        deploy_cfg = Config(deploy_config(task, backend.name, input_hw=kpt_hw or static_hw or tuple(input_hw),
                                          precision=target.precision, static_hw=static_hw))
        proc = engine.task_processor(model_cfg, deploy_cfg)
        with ctx.progress(f"{backend.plugin}: export to ONNX") as p:
            onnx_path = engine.export_onnx(model_cfg, deploy_cfg, ckpt, image0, out_dir)
            p.update(1)
        with ctx.progress(f"{backend.plugin}: convert for {backend.name}") as p:
            model_file = backend.convert(onnx_path, deploy_cfg, out_dir, target)
            p.update(1)
        t = lap("export_convert", t)
        runner = backend.open(model_file, target.device, threads)
        if attempt == "static" or _size_dynamic_ok(runner, deploy_cfg, x0_t.numpy().astype(np.float32)):
            break
        # The traced graph baked some spatial sizes in (SegFormer's attention under torch 2.14):
        # deploy a fixed input size instead, resizing every image to it (both models, same pipeline).
        static_hw = tuple(target.model.input_size[:2]) if len(target.model.input_size) >= 2 else tuple(input_hw)
        fixed_size_pipeline(model_cfg, static_hw)
        notes.append(f"the graph exported with dynamic height/width failed on another size; deployed at a fixed "
                     f"{static_hw[0]}x{static_hw[1]} input instead (val images resized to it, aspect not kept, "
                     f"for both the deployed and the PyTorch model)")
        ctx.log(f"{backend.plugin}: {notes[-1]}")
    output_names = list(deploy_cfg.onnx_config.output_names)
    deployed = engine.backend_model(proc, model_file, runner, backend.name)

    # Raw graph outputs vs the PyTorch model under the same rewrites.
    parity: dict[str, Any] = {}
    rewritten = None
    try:
        rewritten = engine.RewrittenTorch(torch_model, deploy_cfg, backend.name)
        pairs = []
        with rewritten.active() as call:
            for i, batch in enumerate(loader):
                if i >= RAW_PARITY_IMAGES.get(task, RAW_PARITY_DEFAULT):
                    break
                x, samples = engine.preprocess_batch(torch_model, batch)
                pairs.append((call(x, samples), runner(x.numpy().astype(np.float32))))
        parity["raw_outputs"] = raw_parity(pairs, output_names, task)
        parity["raw_outputs_images"] = len(pairs)
    except Exception as e:  # noqa: BLE001 - record, keep the other measurements
        parity["raw_outputs_error"] = f"{type(e).__name__}: {e}"
        notes.append(f"raw-output parity not measured: {type(e).__name__}: {e}")

    t = lap("raw_parity", t)
    # One val pass: metric of the deployed model, of PyTorch, and agreement.
    with ctx.progress(f"{backend.plugin}: val ({len(loader.dataset)} images, both models)",
                      total=len(loader)) as p:
        metrics, torch_metrics, raw_metrics, agreement = val_pass(
            loader, torch_model, deployed, lambda: engine.build_evaluator(model_cfg, loader.dataset), task, p)
    parity["predictions"] = agreement
    parity["pytorch_metrics"] = torch_metrics
    parity["metric_delta"] = {k: round(metrics[k] - torch_metrics[k], 6) for k in metrics if k in torch_metrics}

    t = lap("val_pass", t)
    # Latency at the deployed input size, batch 1, same input for both.
    x0 = x0_t.numpy().astype(np.float32)
    with ctx.progress(f"{backend.plugin}: latency ({target.latency_runs} runs)") as p:
        latency_samples: list[float] = []
        latency = lat.measure(lambda: runner(x0), target.latency_runs, target.warmup_runs, input_hw,
                              threads=threads, sync=runner.sync, samples_out=latency_samples)
        p.update(1)
    torch_latency = None
    if target.device == "cpu":
        # PyTorch eager baseline: the model's own predict on the same tensor (no mmdeploy rewrites,
        # which are for tracing and slow in eager mode), same threads.
        try:
            call = engine.eager_predict(torch_model)
            torch_latency = lat.measure(lambda: call(x0_t, samples0), target.latency_runs, target.warmup_runs,
                                        input_hw, threads=threads)
        except Exception as e:  # noqa: BLE001
            notes.append(f"PyTorch eager latency not measured: {type(e).__name__}: {e}")
    if torch_latency is not None:
        parity["pytorch_latency"] = torch_latency.model_dump()
        parity["speedup_p50"] = round(torch_latency.p50_ms / latency.p50_ms, 3) if latency.p50_ms else None

    t = lap("latency", t)
    # Standalone preprocessing, checked on the first val image against OpenMMLab's tensor.
    bundle_pre: dict[str, Any] | None = None
    try:
        dp = model_cfg.model.get("data_preprocessor") or model_cfg.get("data_preprocessor") or {}
        spec = spec_from_config(list(model_cfg.test_pipeline), dict(dp), task)
        sample0 = first["data_samples"][0]
        xs, _ = prepare(read_image(image0), spec, bbox_xywh=_gt_bbox_xywh(sample0) if task == "keypoint" else None)
        check: dict[str, Any] = dict(image=str(image0))
        if xs.shape == x0.shape:
            check["max_abs_diff"] = float(np.abs(xs - x0).max())
            check["ok"] = check["max_abs_diff"] <= 0.05
        else:
            check.update(ok=False, shapes=[list(xs.shape), list(x0.shape)])
        if not check["ok"]:
            notes.append(f"standalone preprocessing differs from OpenMMLab's on {image0.name}: {check}")
        spec["check"] = check
        bundle_pre = spec
    except UnsupportedPreprocess as e:
        notes.append(f"`autommlab predict` unavailable for this bundle: {e}")

    classes, meta = _classes_and_meta(target, loader.dataset)
    bundle = dict(task=task, model_file=model_file.name, onnx_file=onnx_path.name, input_name="input",
                  output_names=output_names, input_hw=input_hw, preprocess=bundle_pre, classes=classes,
                  metainfo=meta, dynamic_axes=json_safe(deploy_cfg.onnx_config.get("dynamic_axes")))
    if task == "keypoint":
        bundle["simcc_split_ratio"] = simcc_split_ratio(model_cfg) or 2.0
    notes.append(f"latency: batch 1 at {input_hw[0]}x{input_hw[1]}, {target.warmup_runs} warm-up + "
                 f"{target.latency_runs} timed runs, preprocessing excluded; "
                 f"providers/info: {json_safe(runner.info)}")
    deployment = Deployment(
        backend=backend.name, device=backend.device_name(target.device), precision=target.precision,
        artifacts={"model": model_file, "onnx": onnx_path}, latency=latency, parity=json_safe(parity),
        metrics=metrics, speed_requirement_met=lat.speed_met(latency, target.min_fps), notes=notes)
    from .bundle import write_bundle

    extra = dict(min_fps=target.min_fps, evaluator_raw=json_safe(raw_metrics),
                 trial=dict(index=trial.index, model=trial.model, codebase=trial.codebase, config=str(cfg_path),
                            checkpoint=str(ckpt), metrics=trial.metrics),
                 wall_time_s=round(time.perf_counter() - started, 2), stage_s=stage_s,
                 latency_samples_ms=latency_samples)
    return write_bundle(out_dir, deployment, bundle, deploy_cfg, model_cfg, extra,
                        ops_library=runner.info.get("custom_ops_library"))
