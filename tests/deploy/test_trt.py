"""TensorRT deployment (needs a CUDA GPU and tensorrt; skips with the reason otherwise)."""

import pytest

from autommlab_deploy_trt.availability import unavailable_reason

from .conftest import needs_stack

REASON = unavailable_reason("cuda")

pytestmark = [needs_stack, pytest.mark.gpu, pytest.mark.slow,
              pytest.mark.skipif(REASON is not None, reason=f"TensorRT cannot run here: {REASON}")]


@pytest.mark.parametrize("precision", ["fp32", "fp16"])
def test_tensorrt_engine_parity_and_latency(trained, tmp_path, precision):
    from autommlab_deploy_trt import plugin

    from .trained import context

    t = trained("classification")
    ctx = context("deploy")
    dep = plugin.autommlab_deploy(trial=t.trial, target=t.target(tmp_path / "trt", backend="tensorrt",
                                                                 device="cuda", precision=precision), ctx=ctx)
    assert dep is not None, ctx.declines
    assert dep.backend == "tensorrt" and dep.precision == precision
    assert dep.artifacts["model"].suffix == ".engine" and dep.artifacts["model"].is_file()
    assert 0 < dep.latency.p50_ms <= dep.latency.p90_ms
    tol = 1e-3 if precision == "fp32" else 5e-2
    assert all(v["max_abs_diff"] < tol for v in dep.parity["raw_outputs"].values())
    assert dep.parity["predictions"]["same_label_share"] >= 0.95
