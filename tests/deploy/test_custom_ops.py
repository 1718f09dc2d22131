"""mmdeploy's ONNX Runtime custom-ops library is loaded only for graphs that use mmdeploy:: operators."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper  # noqa: E402

from autommlab_deploy_ort.ortsession import (  # noqa: E402
    BackendUnavailable, custom_domains, installed_ops_library, open_session)


def _save(tmp_path, node, name, opsets):
    x = helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 4, 4])
    inputs = [x]
    if len(node.input) > 1:
        inputs.append(helper.make_tensor_value_info("grid", TensorProto.FLOAT, [1, 4, 4, 2]))
    y = helper.make_tensor_value_info("output", TensorProto.FLOAT, None)
    graph = helper.make_graph([node], name, inputs, [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])
    model.ir_version = 8
    p = tmp_path / f"{name}.onnx"
    onnx.save(model, str(p))
    return p


def test_plain_graph_loads_no_library(tmp_path):
    p = _save(tmp_path, helper.make_node("Relu", ["input"], ["output"]), "plain", [("", 13)])
    assert custom_domains(p) == set()
    sess, info = open_session(p)
    assert info["custom_ops_library"] is None and info["custom_domains"] == []
    x = np.random.randn(1, 1, 4, 4).astype(np.float32)
    assert np.array_equal(sess.run(None, {"input": x})[0], np.maximum(x, 0))


def test_mmdeploy_op_graph_loads_the_library_and_runs(tmp_path):
    if installed_ops_library() is None:
        pytest.skip("mmdeploy (with its ONNX Runtime ops library) is not installed")
    node = helper.make_node("grid_sampler", ["input", "grid"], ["output"], domain="mmdeploy",
                            interpolation_mode=0, padding_mode=0, align_corners=1)
    p = _save(tmp_path, node, "custom", [("", 13), ("mmdeploy", 1)])
    assert custom_domains(p) == {"mmdeploy"}
    sess, info = open_session(p)
    assert info["custom_ops_library"] == str(installed_ops_library())
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    lin = np.linspace(-1, 1, 4, dtype=np.float32)
    gx, gy = np.meshgrid(lin, lin)
    grid = np.stack([gx, gy], -1)[None].astype(np.float32)  # identity grid
    out = sess.run(None, {"input": x, "grid": grid})[0]
    assert np.allclose(out, x, atol=1e-5)


def test_custom_graph_without_library_is_a_clear_error(tmp_path, monkeypatch):
    node = helper.make_node("grid_sampler", ["input", "grid"], ["output"], domain="mmdeploy")
    p = _save(tmp_path, node, "custom", [("", 13), ("mmdeploy", 1)])
    monkeypatch.setattr("autommlab_deploy_ort.ortsession.installed_ops_library", lambda: None)
    with pytest.raises(BackendUnavailable, match="custom operators \\(mmdeploy\\)"):
        open_session(p)
