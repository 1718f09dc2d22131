"""The mmdeploy side of deployment: export, PyTorch/backend model pairs, raw outputs.

Heavy module (torch, mmengine, mmdeploy): imported only inside the deploy hook.
A *runner* is a callable ``runner(x: np.ndarray) -> list[np.ndarray]`` over the
backend (ONNX Runtime session or TensorRT engine) with ``runner.output_names``;
``backend_model`` wraps it in mmdeploy's End2EndModel for the task so the val
loop and the evaluator see OpenMMLab data samples.
"""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from autommlab import faults
from autommlab_openmmlab.checkpoints import weights_only_loading
from autommlab_openmmlab.compat import prepare_imports

from .compat import torchscript_onnx_export


def to_configs(model_cfg: Any, deploy_cfg: dict) -> tuple[Any, Any]:
    from mmengine.config import Config

    return model_cfg, Config(copy.deepcopy(deploy_cfg))


def task_processor(model_cfg: Any, deploy_cfg: Any, device: str = "cpu") -> Any:
    prepare_imports()
    from mmdeploy.apis import build_task_processor

    return build_task_processor(model_cfg, deploy_cfg, device)


def export_onnx(model_cfg: Any, deploy_cfg: Any, checkpoint: Path, image: Path, out_dir: Path) -> Path:
    """mmdeploy ``torch2onnx`` into ``out_dir/end2end.onnx``; returns that path."""
    from mmdeploy.apis import torch2onnx

    out_dir.mkdir(parents=True, exist_ok=True)
    save_file = deploy_cfg.onnx_config.get("save_file", "end2end.onnx")
    faults.point("deploy:export")
    with weights_only_loading(), torchscript_onnx_export():
        torch2onnx(str(image), str(out_dir), save_file, deploy_cfg, model_cfg, str(checkpoint), device="cpu")
    faults.point("deploy:exported")
    path = out_dir / save_file
    if not path.is_file():
        raise RuntimeError(f"mmdeploy export finished without writing {path}")
    return path


def pytorch_model(proc: Any, checkpoint: Path) -> Any:
    with weights_only_loading():
        model = proc.build_pytorch_model(str(checkpoint))
    return model.eval()


@contextlib.contextmanager
def _runner_as_wrapper(runner: Callable, backend: str) -> Iterator[None]:
    """While building mmdeploy's backend model, make its wrapper our runner.

    mmdeploy's own ORTWrapper always loads the custom-ops library and picks the
    provider itself; ours loads it only when the graph needs it and uses the
    provider the target asked for.
    """
    import torch
    from mmdeploy.backend.base import BaseWrapper, get_backend_manager

    class RunnerWrapper(BaseWrapper):
        def __init__(self, output_names):
            super().__init__(output_names)

        def forward(self, inputs: dict) -> dict:
            x = next(iter(inputs.values())).detach().cpu().numpy().astype(np.float32)
            outs = runner(x)
            return {n: torch.from_numpy(np.asarray(o)) for n, o in zip(self._output_names, outs)}

    mgr = get_backend_manager(backend)
    original = mgr.__dict__["build_wrapper"]

    def build_wrapper(cls, backend_files, device="cpu", input_names=None, output_names=None, deploy_cfg=None,
                      **kwargs):
        return RunnerWrapper(list(output_names or runner.output_names))

    mgr.build_wrapper = classmethod(build_wrapper)
    try:
        yield
    finally:
        mgr.build_wrapper = original


def backend_model(proc: Any, model_file: Path, runner: Callable, backend: str) -> Any:
    """mmdeploy's End2EndModel for the task, running through ``runner``."""
    with _runner_as_wrapper(runner, backend):
        model = proc.build_backend_model([str(model_file)])
    return model.eval()


class RewrittenTorch:
    """The PyTorch model as the exported graph computes it (mmdeploy rewriters active).

    ``self(inputs, data_samples)`` -> list of numpy outputs in the graph's output
    order; used for raw-output parity and the PyTorch latency baseline.
    """

    def __init__(self, torch_model: Any, deploy_cfg: Any, backend: str):
        from mmdeploy.core import patch_model
        from mmdeploy.utils import IR

        self.deploy_cfg = deploy_cfg
        self.backend = backend
        self.opset = deploy_cfg.onnx_config.get("opset_version", 11)
        self.ir = IR.ONNX
        self.model = patch_model(copy.deepcopy(torch_model), cfg=deploy_cfg, backend=backend, ir=self.ir)

    @contextlib.contextmanager
    def active(self) -> Iterator[Callable]:
        import torch
        from mmdeploy.core import RewriterContext

        with RewriterContext(cfg=self.deploy_cfg, backend=self.backend, opset=self.opset, ir=self.ir), \
                torch.no_grad():
            def call(inputs, data_samples):
                out = self.model(inputs, data_samples, mode="predict")
                if isinstance(out, dict):
                    out = list(out.values())
                if not isinstance(out, (list, tuple)):
                    out = [out]
                return [o.detach().cpu().numpy() if hasattr(o, "detach") else np.asarray(o) for o in out]

            yield call


def eager_predict(torch_model: Any) -> Callable:
    """``call(inputs, data_samples)``: the PyTorch model's own predict (no rewrites), without grad."""
    import torch

    def call(inputs, data_samples):
        with torch.no_grad():
            return torch_model(inputs, data_samples, mode="predict")

    return call


def preprocess_batch(torch_model: Any, batch: dict) -> tuple[Any, list]:
    """(input tensor NCHW, data samples) as the model's data preprocessor makes them for testing."""
    import torch

    with torch.no_grad():
        data = torch_model.data_preprocessor(copy.deepcopy(batch), False)
    return data["inputs"], data["data_samples"]


def val_dataloader(proc: Any, model_cfg: Any) -> Any:
    return proc.build_dataloader(model_cfg.test_dataloader)


def build_evaluator(model_cfg: Any, dataset: Any) -> Any:
    from mmengine.evaluator import Evaluator

    ev = Evaluator(copy.deepcopy(model_cfg.test_evaluator))
    ev.dataset_meta = getattr(dataset, "metainfo", None)
    return ev


def image_path(batch: dict) -> Path:
    sample = batch["data_samples"][0]
    path = sample.metainfo.get("img_path")
    if not path:
        raise RuntimeError("val data samples carry no img_path")
    return Path(path)


def set_threads(n: int | None) -> None:
    import torch

    if n:
        torch.set_num_threads(int(n))
