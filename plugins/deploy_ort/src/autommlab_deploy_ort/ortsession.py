"""ONNX Runtime sessions: execution provider per device, mmdeploy custom ops only when the graph needs them.

Nothing here imports torch or mmdeploy: the custom-ops library is located on
disk (inside the installed mmdeploy package, or next to the model in a
bundle) without importing its package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

OPS_LIB_NAME = "libmmdeploy_onnxruntime_ops.so"
_STANDARD_DOMAINS = {"", "ai.onnx", "ai.onnx.ml", "com.microsoft", "ai.onnx.preview.training"}


class BackendUnavailable(RuntimeError):
    """The requested runtime cannot run here (provider or library missing); the message says why."""


def custom_domains(model_path: str | Path) -> set[str]:
    """Operator domains in the graph that are not ONNX's own (e.g. ``{"mmdeploy"}``)."""
    import onnx

    model = onnx.load(str(model_path), load_external_data=False)
    domains: set[str] = set()

    def walk(graph: Any) -> None:
        for node in graph.node:
            if node.domain not in _STANDARD_DOMAINS:
                domains.add(node.domain)
            for attr in node.attribute:
                if attr.g is not None and len(attr.g.node):
                    walk(attr.g)
                for g in attr.graphs:
                    walk(g)

    walk(model.graph)
    return domains


def installed_ops_library() -> Path | None:
    """mmdeploy's ONNX Runtime custom-ops library, if mmdeploy is installed (found without importing it)."""
    spec = importlib.util.find_spec("mmdeploy")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        lib = Path(loc) / "lib" / OPS_LIB_NAME
        if lib.exists():
            return lib
    return None


def providers_for(device: str) -> list[Any]:
    """ONNX Runtime execution providers for ``device`` ("cpu", "cuda" or "cuda:N").

    :raises BackendUnavailable: for CUDA when this onnxruntime build has no CUDA execution provider.
    """
    import onnxruntime as ort

    if device == "cpu":
        return ["CPUExecutionProvider"]
    if device.startswith("cuda"):
        available = ort.get_available_providers()
        if "CUDAExecutionProvider" not in available:
            raise BackendUnavailable(
                f"ONNX Runtime {ort.__version__} here has no CUDAExecutionProvider (available: "
                f"{', '.join(available)}); install onnxruntime-gpu on a machine with a CUDA GPU")
        device_id = int(device.split(":")[1]) if ":" in device else 0
        return [("CUDAExecutionProvider", {"device_id": device_id}), "CPUExecutionProvider"]
    raise BackendUnavailable(f"unknown device {device!r} for ONNX Runtime (use cpu or cuda)")


def open_session(model_path: str | Path, device: str = "cpu", threads: int | None = None,
                 ops_library: str | Path | None = None) -> tuple[Any, dict[str, Any]]:
    """Create an ``onnxruntime.InferenceSession`` for ``model_path``.

    :param threads: intra-op threads (None: ONNX Runtime's default).
    :param ops_library: custom-ops library to use if the graph needs one
        (default: a copy next to the model, else the installed mmdeploy's).
    :return: (session, info) with info = {"providers", "custom_domains", "custom_ops_library"}.
    """
    import onnxruntime as ort

    model_path = Path(model_path)
    if not model_path.is_file():
        raise FileNotFoundError(f"ONNX model not found: {model_path}")
    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
    domains = custom_domains(model_path)
    lib: Path | None = None
    if domains:
        candidates = [Path(ops_library)] if ops_library else []
        candidates += [model_path.parent / OPS_LIB_NAME]
        found = installed_ops_library()
        if found:
            candidates.append(found)
        lib = next((c for c in candidates if c.is_file()), None)
        if lib is None:
            raise BackendUnavailable(
                f"{model_path.name} uses custom operators ({', '.join(sorted(domains))}) but mmdeploy's "
                f"{OPS_LIB_NAME} was found neither next to the model nor in an installed mmdeploy")
        opts.register_custom_ops_library(str(lib))
    providers = providers_for(device)
    sess = ort.InferenceSession(str(model_path), opts, providers=providers)
    info = dict(providers=sess.get_providers(), custom_domains=sorted(domains),
                custom_ops_library=str(lib) if lib else None, threads=threads)
    return sess, info
