"""select-model: candidates with params/FLOPs computed by building the model, cached; recipes; local weights."""

from __future__ import annotations

import json

import pytest

from autommlab_openmmlab import complexity, zoo

from .conftest import hymenoptera_plan, make_ctx, plugin, request


def test_complexity_matches_zoo_metadata_at_zoo_size(tmp_path):
    """At the zoo's own 224x224 and 1000 classes, MobileNetV2 must match the metafile (3.5M params, 0.319 GFLOPs)."""
    spec = plugin("mmpretrain").CODEBASE
    m = zoo.find(zoo.load_zoo(spec), "mobilenet-v2_8xb32_in1k")
    cx = complexity.compute(spec, m, num_classes=None, input_size=[224, 224])
    assert cx["params_m"] == pytest.approx(3.5, rel=0.03)
    assert cx["flops_g"] == pytest.approx(0.319, rel=0.05)
    assert cx["recipe"]["optimizer"] == "SGD" and cx["recipe"]["lr"] == pytest.approx(0.045)
    assert cx["recipe"]["batch_size"] == 256 and cx["recipe"]["momentum"] == pytest.approx(0.9)


def test_select_offers_defaults_with_measured_complexity_and_caches(tmp_path, shared_home, monkeypatch):
    plan = hymenoptera_plan(tmp_path)
    mod = plugin("mmpretrain")
    wdir = tmp_path / "weights"
    wdir.mkdir()
    (wdir / "mobilenet_v2_batch256_imagenet_20200708-3b2dc3af.pth").write_bytes(b"x")
    ctx = make_ctx(shared_home, mmpretrain={"weights_dir": str(wdir)})
    cands = mod.autommlab_select_model(request=request("classification"), data=plan, ctx=ctx)
    by = {c.name: c for c in cands}
    assert set(mod.CODEBASE.defaults) <= set(by)
    mb = by["mobilenet-v2_8xb32_in1k"]
    assert mb.codebase == "mmpretrain" and mb.input_size == [112, 112] and mb.family == "MobileNet V2"
    # 2-class head at 112 px: fewer params than the 1000-class zoo model, about a quarter of its 224 px FLOPs
    assert 2.0 < mb.params_m < 2.4 and 0.06 < mb.flops_g < 0.1
    assert mb.weights_local == (wdir / "mobilenet_v2_batch256_imagenet_20200708-3b2dc3af.pth").resolve()
    assert by["resnet18_8xb32_in1k"].weights_local is None
    assert mb.recipe.optimizer == "SGD" and mb.recipe.batch_size == 256
    cache = json.loads(complexity.cache_path(shared_home).read_text())
    assert "mmpretrain/mobilenet-v2_8xb32_in1k@112x112/nc=2" in cache
    # second call: served from the cache, nothing is built
    monkeypatch.setattr(complexity, "compute", lambda *a, **k: pytest.fail("recomputed a cached model"))
    again = mod.autommlab_select_model(request=request("classification"), data=plan, ctx=ctx)
    assert {c.name: c.params_m for c in again}["mobilenet-v2_8xb32_in1k"] == mb.params_m


def test_select_named_family_and_declines(tmp_path, shared_home):
    plan = hymenoptera_plan(tmp_path)
    mod = plugin("mmpretrain")
    ctx = make_ctx(tmp_path / "home")  # empty cache: only the named family is offered
    cands = mod.autommlab_select_model(request=request("classification", "ShuffleNet V2"), data=plan, ctx=ctx)
    assert cands and all("shufflenet" in c.name for c in cands)
    logs = []
    ctx = make_ctx(shared_home)
    ctx.log = logs.append
    cands = mod.autommlab_select_model(request=request("classification", "NoSuchNet"), data=plan, ctx=ctx)
    assert set(mod.CODEBASE.defaults) <= {c.name for c in cands}
    assert any("no mmpretrain zoo model matches 'NoSuchNet'" in m for m in logs)
    assert plugin("mmdet").autommlab_select_model(request=request("classification"), data=plan, ctx=ctx) is None
    assert "serves detection" in ctx.declines[-1].reason
