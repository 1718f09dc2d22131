"""Fine-tuning from served zoo-style weights: the trained model starts from the checkpoint the server sent.

The checkpoint is a real zoo architecture (mmpretrain MobileNetV2 with its
1000-class ImageNet head, mmpose RTMPose-t with COCO's 17 keypoints),
seeded-random, saved as mmengine saves it and served from 127.0.0.1 under an
OpenMMLab-style name whose 8-hex suffix is its true sha256 prefix.
"""

from __future__ import annotations

import hashlib
import io
import json
from types import SimpleNamespace

import pytest

pytest.importorskip("mmpretrain")

from autommlab.config import Settings  # noqa: E402
from autommlab.context import Context  # noqa: E402
from autommlab_openmmlab import synthetic  # noqa: E402

from .conftest import default_candidate, lspet_plan, make_ctx, make_job, plugin  # noqa: E402
from .weights_server import serve, zoo_name  # noqa: E402


def zoo_net(codebase: str, name: str, num_classes=None, input_size=None, seed=123):
    """The zoo model ``name`` built from its config (as complexity.compute does), seeded."""
    import importlib

    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from autommlab_openmmlab import zoo
    from autommlab_openmmlab.compat import prepare_imports, strip_pretrained, sync_bn_to_bn

    prepare_imports()
    spec = plugin(codebase).CODEBASE
    m = zoo.find(zoo.load_zoo(spec), name)
    cfg = Config.fromfile(str(m.config))
    model_cfg = cfg.model
    strip_pretrained(model_cfg, keep_local=False)
    sync_bn_to_bn(model_cfg)
    adapter = spec.load_adapter()
    size = input_size or list(spec.input_size or adapter.config_input_size(cfg))
    adapter.adapt_model(model_cfg, num_classes=num_classes, input_size=size, metainfo=None)
    init_default_scope(spec.scope)
    torch.manual_seed(seed)
    net = importlib.import_module(f"{spec.scope}.registry").MODELS.build(model_cfg)
    net.init_weights()
    return net


def saved(net) -> bytes:
    import torch

    buf = io.BytesIO()
    torch.save({"meta": {"epoch": 1, "note": "test checkpoint"}, "state_dict": net.state_dict()}, buf)
    return buf.getvalue()


@pytest.mark.slow
def test_finetuning_starts_from_the_downloaded_checkpoint(tmp_path, shared_home):
    import torch

    served_net = zoo_net("mmpretrain", "mobilenet-v2_8xb32_in1k")  # 1000-class head
    data = saved(served_net)
    name = zoo_name("mobilenet_v2_test", data)
    plan = synthetic.make_plan("classification", tmp_path / "data", n_train=16, n_val=8)
    cand = default_candidate("classification", plan, make_ctx(shared_home))
    home = tmp_path / "home"
    with serve({f"/zoo/{name}": data}) as srv:
        url = srv.url(f"/zoo/{name}")
        cand = cand.model_copy(update={"weights": url, "weights_local": None, "weights_status": "fetchable"})
        job = make_job("classification", plan, cand, tmp_path / "work", iters=2, batch=4, lr=1e-8)
        # not offline: the "zoo" is the loopback server; val_interval beyond iters: one validation, at the end
        online = Context(config=Settings(home=home, plugins={"mmpretrain": {"val_interval": 1000}}))
        trial = plugin("mmpretrain").autommlab_train(job=job, ctx=online)
        assert len(srv.gets()) == 1
    assert trial.status == "finished", trial.error
    assert trial.pretrained == str(home / "weights" / name)
    assert trial.pretrained_url == url and trial.pretrained_sha256 == hashlib.sha256(data).hexdigest()
    assert [h["iter"] for h in json.loads((tmp_path / "work" / "metrics.json").read_text())["history"]] == [2]
    check = json.loads((tmp_path / "work" / "weights_check.json").read_text())
    assert check["sha256"] == trial.pretrained_sha256 and check["verified"] is True
    dropped = {d["key"]: d for d in check["dropped"]}
    nc = len(plan.classes)
    assert set(dropped) == {"head.fc.weight", "head.fc.bias"}  # the head, re-initialised for the plan's classes
    assert dropped["head.fc.weight"]["checkpoint"] == [1000, 1280] and dropped["head.fc.weight"]["model"] == [nc, 1280]
    assert len(check["loaded"]) == check["model_tensors"] - 2 and not check["differs"]
    assert any("re-initialised for this dataset" in n and f"head.fc.weight [1000, 1280] -> [{nc}, 1280]" in n
               for n in trial.notes)
    assert any(f"zoo weights downloaded: {home / 'weights' / name} from {url}" in n for n in trial.notes)
    # independent of the check: after 2 steps at lr 1e-8 the trained convolutions still equal the served ones
    best = torch.load(trial.checkpoint, map_location="cpu", weights_only=False)["state_dict"]  # the project's own file
    served = served_net.state_dict()
    convs = [k for k, v in served.items() if k.startswith("backbone.") and v.dim() == 4]
    assert len(convs) > 40
    for key in convs:
        assert torch.allclose(best[key], served[key], atol=1e-5), key
    fresh = zoo_net("mmpretrain", "mobilenet-v2_8xb32_in1k", seed=0).state_dict()
    assert not torch.allclose(fresh["backbone.conv1.conv.weight"], served["backbone.conv1.conv.weight"], atol=1e-3)


@pytest.mark.slow
def test_keypoint_head_is_resized_and_the_rest_loads(tmp_path):
    """A COCO-17 RTMPose checkpoint into the 14-joint LSP model: mmengine's loader (the one ``load_from`` uses)
    skips the 17-channel head layer, no crash, and the check names it."""
    pytest.importorskip("mmpose")
    from mmengine.runner.checkpoint import load_state_dict

    from autommlab_openmmlab.download import expected_prefix
    from autommlab_openmmlab.finetune import make_check
    from autommlab_openmmlab.weights import Resolved

    coco = zoo_net("mmpose", "rtmpose-t_8xb256-420e_coco-256x192")
    data = saved(coco)
    path = tmp_path / zoo_name("rtmpose_t_coco", data)
    path.write_bytes(data)
    k = len(lspet_plan(tmp_path).metainfo["keypoint_names"])
    lsp = zoo_net("mmpose", "rtmpose-t_8xb256-420e_coco-256x192", num_classes=k, seed=7)
    resolved = Resolved(path, "cache", None, hashlib.sha256(data).hexdigest(), expected_prefix(path.name))
    hook = make_check(resolved, plugin("mmpose").CODEBASE.load_adapter(), tmp_path)
    assert hook.needs_trust is False  # tensors and plain meta: read with weights_only=True
    load_state_dict(lsp, coco.state_dict(), strict=False)
    hook.before_train(SimpleNamespace(model=lsp))
    r = hook.result
    assert {d["key"] for d in r["dropped"]} == {"head.final_layer.weight", "head.final_layer.bias"}
    assert r["dropped"][0]["checkpoint"][0] == 17 and r["dropped"][0]["model"][0] == k == 14
    assert len(r["loaded"]) == r["model_tensors"] - 2
    notes = hook.notes()
    assert notes[0].startswith(f"fine-tuned: {r['model_tensors'] - 2} of {r['model_tensors']} model tensors loaded")
    assert "head.final_layer.weight [17," in notes[1] and "-> [14," in notes[1]
