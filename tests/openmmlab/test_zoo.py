"""Zoo reading from the installed packages' .mim model-index and metafiles (no model is built)."""

from __future__ import annotations

import pytest

from autommlab_openmmlab import zoo

from .conftest import CODEBASE, plugin


@pytest.mark.parametrize("task", list(CODEBASE.values()))
def test_zoo_lists_models_with_config_weights_and_fraction_metrics(task):
    spec = plugin(task).CODEBASE
    models = zoo.load_zoo(spec)
    assert len(models) > 10
    for m in models:
        assert m.config.is_file(), m
        assert m.task == spec.task and m.codebase == spec.name
        for v in m.reported_metrics.values():
            assert 0 <= v <= 1, (m.name, m.reported_metrics)
    for name in spec.defaults:
        assert zoo.find(models, name) is not None, f"default {name} missing from the {spec.package} zoo"


def test_known_zoo_numbers():
    models = {s: zoo.load_zoo(plugin(s).CODEBASE) for s in CODEBASE.values()}
    mb = zoo.find(models["mmpretrain"], "mobilenet-v2_8xb32_in1k")
    assert mb.reported_metrics["accuracy"] == pytest.approx(0.7186)
    assert mb.family == "MobileNet V2" and mb.source_dataset == "ImageNet-1k"
    assert mb.weights.startswith("https://download.openmmlab.com/")
    rt = zoo.find(models["mmdet"], "rtmdet-t")  # by alias
    assert rt.name == "rtmdet_tiny_8xb32-300e_coco" and rt.reported_metrics["AP"] == pytest.approx(0.409)
    sf = zoo.find(models["mmseg"], "segformer_mit-b0_8xb2-160k_ade20k-512x512")
    assert sf.reported_metrics["mIoU"] == pytest.approx(0.3741) and sf.source_dataset == "ADE20K"
    rp = zoo.find(models["mmpose"], "rtmpose-t_8xb256-420e_coco-256x192")
    assert rp.reported_metrics == {"AP": 0.682, "AP50": 0.883}
    # instance-segmentation and bottom-up models are not offered for plain box detection / top-down keypoints
    assert all("mask" not in m.name for m in models["mmdet"])
    assert all("/topdown_" in str(m.config) or "/rtmpose/" in str(m.config) for m in models["mmpose"])


def test_family_shortlist_is_bounded_and_matches():
    models = zoo.load_zoo(plugin("mmpretrain").CODEBASE)
    hits = zoo.match_family(models, "ResNet-18", limit=6)
    assert hits and hits[0].name.startswith("resnet18")
    hits = zoo.match_family(models, "resnet", limit=6)
    assert 1 <= len(hits) <= 6 and all("resnet" in h.name.lower() or "resnet" in h.family.lower() for h in hits)
    assert zoo.match_family(models, "no-such-net") == []


def test_hook_modules_are_light():
    """Loading the entry points (what `autommlab plugins` does) must not import torch or any mm* package."""
    import subprocess
    import sys

    code = ("import sys, autommlab_openmmlab.plugin, autommlab_mmpretrain.plugin, autommlab_mmdet.plugin, "
            "autommlab_mmseg.plugin, autommlab_mmpose.plugin; "
            "print(sorted(m for m in ('torch', 'mmengine', 'mmcv', 'mmdet', 'mmseg', 'mmpose', 'mmpretrain') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
