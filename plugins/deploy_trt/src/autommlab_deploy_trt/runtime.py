"""Run a serialized TensorRT engine: numpy in, numpy out (copies to and from the GPU included).

Uses TensorRT's tensor-name API (8.5+, the only one in 10.x) and falls back to
mmdeploy's ``TRTWrapper`` (binding API) for older TensorRT. mmdeploy's plugin
library (``TRTBatchedNMS`` and friends) is loaded first: detection engines need it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np


def load_plugins() -> bool:
    from mmdeploy.backend.tensorrt.init_plugins import load_tensorrt_plugin

    return bool(load_tensorrt_plugin())


def open_engine(path: str | Path, device: str = "cuda") -> tuple[Callable, list[str], dict[str, Any], Callable]:
    """(run(x) -> list[np.ndarray], output names, info, sync) for the engine at ``path``."""
    import tensorrt as trt
    import torch

    plugins = load_plugins()
    dev = torch.device(device if ":" in device else "cuda:0")
    torch.cuda.set_device(dev)
    logger = trt.Logger(trt.Logger.ERROR)
    trt.init_libnvinfer_plugins(logger, "")
    with open(path, "rb") as f, trt.Runtime(logger) as rt:
        engine = rt.deserialize_cuda_engine(f.read())
    if engine is None:
        raise RuntimeError(f"TensorRT could not deserialize {path} (built with another TensorRT version?)")
    info = dict(tensorrt=trt.__version__, gpu=torch.cuda.get_device_name(dev), plugins_loaded=plugins)
    sync = torch.cuda.synchronize
    if not hasattr(engine, "num_io_tensors"):  # TensorRT < 8.5
        from mmdeploy.backend.tensorrt import TRTWrapper

        wrapper = TRTWrapper(str(path))
        names = list(wrapper._output_names)

        def run_old(x: np.ndarray) -> list[np.ndarray]:
            out = wrapper({"input": torch.from_numpy(x).to(dev)})
            return [out[n].cpu().numpy() for n in names]

        return run_old, names, info, sync
    context = engine.create_execution_context()
    io = [engine.get_tensor_name(i) for i in range(engine.num_io_tensors)]
    inputs = [n for n in io if engine.get_tensor_mode(n) == trt.TensorIOMode.INPUT]
    outputs = [n for n in io if engine.get_tensor_mode(n) == trt.TensorIOMode.OUTPUT]
    stream = torch.cuda.Stream(device=dev)
    dtypes = {trt.float32: torch.float32, trt.float16: torch.float16, trt.int32: torch.int32,
              trt.int64: torch.int64, trt.int8: torch.int8, trt.bool: torch.bool}

    def run(x: np.ndarray) -> list[np.ndarray]:
        xin = torch.from_numpy(np.ascontiguousarray(x)).to(dev)
        want = dtypes[engine.get_tensor_dtype(inputs[0])]
        xin = xin.to(want).contiguous()
        context.set_input_shape(inputs[0], tuple(xin.shape))
        context.set_tensor_address(inputs[0], xin.data_ptr())
        bufs = []
        for name in outputs:
            shape = tuple(context.get_tensor_shape(name))
            buf = torch.empty(shape, dtype=dtypes[engine.get_tensor_dtype(name)], device=dev)
            context.set_tensor_address(name, buf.data_ptr())
            bufs.append(buf)
        if not context.execute_async_v3(stream.cuda_stream):
            raise RuntimeError("TensorRT execution failed")
        stream.synchronize()
        return [b.float().cpu().numpy() if b.dtype == torch.float16 else b.cpu().numpy() for b in bufs]

    return run, outputs, info, sync


def engine_runner(model_file: Path, bundle: dict[str, Any], device: str) -> Callable[[np.ndarray], list[np.ndarray]]:
    """The predictor's entry point: outputs in the bundle's output order."""
    run, names, _, _ = open_engine(model_file, device if device.startswith("cuda") else "cuda")
    order = list(bundle.get("output_names") or names)
    index = [names.index(n) for n in order]
    return lambda x: _reorder(run(x), index)


def _reorder(outs: list[np.ndarray], index: list[int]) -> list[np.ndarray]:
    return [outs[i] for i in index]
