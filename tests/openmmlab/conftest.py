"""DataPlans over the shared real data pool (read-only) and small training helpers.

Plans are written under tmp_path directly from the shared ImageNet folders and
COCO files (the datapool plugin is not needed here).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from autommlab.config import Settings
from autommlab.context import Context
from autommlab.schemas import DataPlan, HParams, ModelCandidate, Request, TrainJob

# shared/ lies beside the repository checkout (CI clones it there too)
POOL = Path(os.environ.get("AUTOMMLAB_TEST_DATAPOOL", Path(__file__).resolve().parents[2].parent / "shared" / "datapool"))

# LSP-style OKS sigmas for the 14 LSPET joints (ankle, knee, hip, wrist, elbow, shoulder, neck, head top)
LSP_SIGMAS = {"ankle": 0.089, "knee": 0.087, "hip": 0.107, "wrist": 0.062, "elbow": 0.072, "shoulder": 0.079,
              "neck": 0.079, "head_top": 0.079}


def hymenoptera_plan(tmp: Path) -> DataPlan:
    src = POOL / "hymenoptera"
    classes = ["ants", "bees"]
    counts = {}
    for split in ("train", "val"):
        lines = [f"{split}/{c}/{p.name} {i}" for i, c in enumerate(classes)
                 for p in sorted((src / split / c).glob("*.jpg"))]
        (tmp / f"{split}.txt").write_text("\n".join(lines) + "\n")
        counts[split] = {c: sum(1 for ln in lines if ln.endswith(f" {i}")) for i, c in enumerate(classes)}
    return DataPlan(source="test", datasets=["hymenoptera"], task="classification", format="imagenet", root=tmp,
                    classes=classes, files={"data_prefix": str(src), "train_list": "train.txt", "val_list": "val.txt"},
                    train_counts=counts["train"], val_counts=counts["val"])


def pennfudan_det_plan(tmp: Path) -> DataPlan:
    src = POOL / "pennfudan"
    return DataPlan(source="test", datasets=["pennfudan"], task="detection", format="coco", root=tmp,
                    classes=["pedestrian"],
                    files={"img_dir": str(src / "images"), "train_ann": str(src / "annotations/train.json"),
                           "val_ann": str(src / "annotations/val.json")},
                    train_counts={"pedestrian": 292}, val_counts={"pedestrian": 131})


def pennfudan_seg_plan(tmp: Path) -> DataPlan:
    """Split folders of symlinks to the shared images and masks (the format wants one folder per split)."""
    src = POOL / "pennfudan"
    files = {"img_suffix": ".jpg", "mask_suffix": ".png"}
    for split in ("train", "val"):
        for kind, folder, suffix in (("img", "images", ".jpg"), ("mask", "masks", ".png")):
            d = tmp / split / kind
            d.mkdir(parents=True, exist_ok=True)
            for stem in (src / "splits" / f"{split}.txt").read_text().split():
                (d / f"{stem}{suffix}").symlink_to(src / folder / f"{stem}{suffix}")
            files[f"{split}_{kind}_dir"] = f"{split}/{kind}"
    return DataPlan(source="test", datasets=["pennfudan"], task="segmentation", format="semantic_masks", root=tmp,
                    classes=["background", "pedestrian"], files=files,
                    train_counts={"background": 120, "pedestrian": 120}, val_counts={"background": 50, "pedestrian": 50})


def lspet_plan(tmp: Path) -> DataPlan:
    src = POOL / "lspet_pose"
    cat = json.loads((src / "annotations/train.json").read_text())["categories"][0]
    names = cat["keypoints"]
    sigmas = [next(v for k, v in LSP_SIGMAS.items() if k in n) for n in names]
    return DataPlan(source="test", datasets=["lspet_pose"], task="keypoint", format="coco_keypoints", root=tmp,
                    classes=["person"],
                    files={"img_dir": str(src / "images"), "train_ann": str(src / "annotations/train.json"),
                           "val_ann": str(src / "annotations/val.json")},
                    metainfo={"keypoint_names": names, "skeleton": [[a - 1, b - 1] for a, b in cat["skeleton"]],
                              "flip_pairs": cat["flip_pairs"], "sigmas": sigmas},
                    train_counts={"person": 320}, val_counts={"person": 80})


REAL_PLANS = {"classification": hymenoptera_plan, "detection": pennfudan_det_plan,
              "segmentation": pennfudan_seg_plan, "keypoint": lspet_plan}
CODEBASE = {"classification": "mmpretrain", "detection": "mmdet", "segmentation": "mmseg", "keypoint": "mmpose"}


def make_ctx(home: Path, **plugins) -> Context:
    """A Context whose home (complexity cache) is ``home``; ``plugins`` are ``[plugins.<name>]`` tables.

    Offline, so the tests never reach the real zoo server even where a network exists (the weights tests
    serve their own checkpoints from 127.0.0.1 and say so)."""
    return Context(config=Settings(home=home, plugins=plugins, offline=True))


def request(task: str, specific: str = "none") -> Request:
    return Request.model_validate({"model": {"task": task, "specific_model": specific}})


def plugin(name: str):
    import importlib

    return importlib.import_module(f"autommlab_{name}.plugin")


def default_candidate(task: str, plan: DataPlan, ctx: Context) -> ModelCandidate:
    """The task's default small model, through the plugin's own select-model hook."""
    cb = CODEBASE[task]
    mod = plugin(cb)
    first = mod.CODEBASE.defaults[0]
    # only the first default is computed ([plugins.<name>] defaults), to keep the tests short
    plugins = dict(ctx.config.plugins)
    plugins[cb] = {**plugins.get(cb, {}), "defaults": [first]}
    one = Context(config=ctx.config.model_copy(update={"plugins": plugins}))
    cands = mod.autommlab_select_model(request=request(task), data=plan, ctx=one)
    assert cands, one.declines
    return next(c for c in cands if c.name == first)


def make_job(task: str, plan: DataPlan, cand: ModelCandidate, work: Path, iters: int, batch: int = 4,
             lr: float = 1e-3, val_interval: int | None = None, seed: int = 0, **hp) -> TrainJob:
    hparams = HParams(optimizer=hp.pop("optimizer", "AdamW"), lr=lr, weight_decay=hp.pop("weight_decay", 1e-4),
                      lr_schedule=hp.pop("lr_schedule", "CosineAnnealingLR"), iters=iters, batch_size=batch,
                      warmup_iters=hp.pop("warmup_iters", 0), **hp)
    return TrainJob(index=1, request=request(task), data=plan, model=cand, hparams=hparams, work_dir=work,
                    device="cpu", seed=seed, val_interval=val_interval)


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory) -> Path:
    """One complexity cache for the whole session, so each default model is built once."""
    return tmp_path_factory.mktemp("home")
