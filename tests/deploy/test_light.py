"""What works without the OpenMMLab stack: declines, latency maths, light hook modules, predict errors."""

import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from autommlab.context import Context
from autommlab.errors import UsageError
from autommlab.schemas import DeployTarget, Latency, ModelCandidate, Request
from autommlab_deploy_ort import latency as lat
from autommlab_deploy_ort.cli import predict_command
from autommlab_deploy_ort.predict import find_bundle

from .plans import classification


def _target(tmp_path, backend="onnxruntime", device="cpu"):
    req = Request.model_validate({"model": {"task": "classification"}})
    plan = classification(tmp_path / "data", n_train=4, n_val=4)
    return DeployTarget(backend=backend, device=device, out_dir=tmp_path / "out", request=req, data=plan,
                        model=ModelCandidate(codebase="mmpretrain", name="m", task="classification"))


def test_hook_modules_do_not_import_torch():
    code = ("import sys, autommlab_deploy_ort.plugin, autommlab_deploy_trt.plugin; "
            "bad = [m for m in ('torch', 'mmdeploy', 'onnxruntime', 'tensorrt', 'mmengine') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ort_declines_other_backends(tmp_path):
    from autommlab_deploy_ort import plugin

    ctx = Context(stage="deploy")
    assert plugin.autommlab_deploy(trial=None, target=_target(tmp_path, "tensorrt"), ctx=ctx) is None
    assert ctx.declines[0].plugin == "deploy_ort" and "tensorrt" in ctx.declines[0].reason


def test_ort_declines_cuda_without_cuda_provider(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    if "CUDAExecutionProvider" in ort.get_available_providers():
        pytest.skip("this onnxruntime has the CUDA execution provider")
    from autommlab_deploy_ort import plugin

    ctx = Context(stage="deploy")
    assert plugin.autommlab_deploy(trial=None, target=_target(tmp_path, device="cuda"), ctx=ctx) is None
    assert "CUDAExecutionProvider" in ctx.declines[0].reason


def test_trt_declines_cpu_target_and_other_backends(tmp_path):
    from autommlab_deploy_trt import plugin

    ctx = Context(stage="deploy")
    assert plugin.autommlab_deploy(trial=None, target=_target(tmp_path, "tensorrt", "cpu"), ctx=ctx) is None
    assert "CUDA GPU" in ctx.declines[-1].reason
    assert plugin.autommlab_deploy(trial=None, target=_target(tmp_path, "onnxruntime", "cuda"), ctx=ctx) is None
    assert "tensorrt" in ctx.declines[-1].reason


def test_trt_declines_here_with_the_reason(tmp_path):
    """No GPU or no TensorRT on this machine: the decline says which."""
    from autommlab_deploy_trt import plugin
    from autommlab_deploy_trt.availability import unavailable_reason

    reason = unavailable_reason("cuda")
    if reason is None:
        pytest.skip("TensorRT and a CUDA GPU are available here")
    ctx = Context(stage="deploy")
    assert plugin.autommlab_deploy(trial=None, target=_target(tmp_path, "tensorrt", "cuda"), ctx=ctx) is None
    assert ctx.declines[-1].reason == reason
    assert "tensorrt" in reason or "CUDA" in reason


def test_latency_measures_what_it_runs():
    calls = []

    def run():
        calls.append(1)
        time.sleep(0.002)

    m = lat.measure(run, runs=20, warmup=3, input_size=[8, 8], threads=1)
    assert len(calls) == 23
    assert 2.0 <= m.p50_ms <= m.p90_ms < 50
    assert m.throughput_fps == pytest.approx(1000 / m.mean_ms, rel=1e-3)
    assert m.runs == 20 and m.warmup == 3 and m.input_size == [8, 8]


def test_speed_requirement():
    m = Latency(p50_ms=20.0, p90_ms=25.0, mean_ms=21.0, throughput_fps=47.6, runs=10, warmup=1)
    assert lat.speed_met(m, None) is None
    assert lat.speed_met(m, 30.0) is True  # 50 fps at p50
    assert lat.speed_met(m, 60.0) is False


def test_find_bundle_errors_name_what_was_looked_for(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        find_bundle(tmp_path / "nope")
    with pytest.raises(UsageError, match="no deployed bundle"):
        find_bundle(tmp_path)
    for b in ("onnxruntime", "tensorrt"):
        (tmp_path / "deploy" / b).mkdir(parents=True)
        (tmp_path / "deploy" / b / "deploy.json").write_text("{}")
    with pytest.raises(UsageError, match="several bundles"):
        find_bundle(tmp_path)
    assert find_bundle(tmp_path, "tensorrt") == tmp_path / "deploy" / "tensorrt"


def test_predict_command_reports_missing_bundle(tmp_path):
    res = CliRunner().invoke(predict_command, [str(tmp_path), str(tmp_path / "x.jpg")])
    assert res.exit_code == 2
    assert "no deployed bundle" in res.output
