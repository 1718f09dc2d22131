"""mmpose specifics: any keypoint layout from the DataPlan metainfo, top-down pipelines, CocoMetric (OKS).

The dataset's own keypoint names, flip pairs, skeleton and OKS sigmas become
the mmpose dataset meta, so training, flip test and COCO keypoint AP all use
the plan's layout (K joints), not COCO-17.
"""

from __future__ import annotations

import copy
from typing import Any

PRIMARY = "AP"
#: layers whose shape follows the class (keypoint) count: when fine-tuning, the keypoint head (its K output channels)
#: with another shape in the zoo checkpoint are re-initialised for the dataset (finetune.py notes it)
HEAD_PREFIXES = ("head.",)
BEST_KEY = "coco/AP"


def codec(model: dict) -> dict:
    head = model.get("head") or {}
    dec = head.get("decoder")
    if not isinstance(dec, dict) or "input_size" not in dec:
        raise ValueError("mmpose config has no head.decoder codec with input_size (not a top-down model?)")
    return dec


def config_input_size(cfg: Any) -> list[int]:
    w, h = codec(cfg.model)["input_size"]
    return [h, w]


def adapt_model(model: dict, num_classes: int | None, input_size: list[int], metainfo: dict | None) -> None:
    """Size the head for ``num_classes`` keypoints; the input size is the codec's own (checked)."""
    w, h = codec(model)["input_size"]
    if list(input_size) != [h, w]:
        raise ValueError(f"mmpose model trains at its codec's size {h}x{w}, not {input_size}")
    if num_classes is None:
        return
    head = model["head"]
    for key in ("out_channels", "num_joints"):
        if key in head:
            head[key] = num_classes


def dataset_meta(plan) -> dict:
    """mmpose ``dataset_info`` built from the plan's keypoint names, flip pairs, skeleton and sigmas."""
    meta = plan.metainfo
    names = list(meta["keypoint_names"])
    swap = {i: "" for i in range(len(names))}
    for a, b in meta.get("flip_pairs") or []:
        swap[a], swap[b] = names[b], names[a]
    colors = [[255, 128, 0], [0, 255, 0], [51, 153, 255]]
    return dict(
        dataset_name="autommlab_" + "_".join(plan.datasets or ["custom"]),
        keypoint_info={i: dict(name=n, id=i, color=colors[i % 3], type="", swap=swap[i]) for i, n in enumerate(names)},
        skeleton_info={i: dict(link=(names[a], names[b]), id=i, color=[0, 255, 0])
                       for i, (a, b) in enumerate(meta.get("skeleton") or [])},
        joint_weights=[1.0] * len(names),
        sigmas=[float(s) for s in meta["sigmas"]],
    )


def pipelines(model_codec: dict) -> tuple[list[dict], list[dict]]:
    size = tuple(model_codec["input_size"])
    train = [
        dict(type="LoadImage"),
        dict(type="GetBBoxCenterScale"),
        dict(type="RandomFlip", direction="horizontal"),
        dict(type="RandomBBoxTransform", scale_factor=[0.75, 1.25], rotate_factor=30),
        dict(type="TopdownAffine", input_size=size),
        dict(type="GenerateTarget", encoder=copy.deepcopy(model_codec)),
        dict(type="PackPoseInputs"),
    ]
    test = [
        dict(type="LoadImage"),
        dict(type="GetBBoxCenterScale"),
        dict(type="TopdownAffine", input_size=size),
        dict(type="PackPoseInputs"),
    ]
    return train, test


def data_config(plan, size: list[int], base: Any, batch_size: int, device: str = "cpu") -> dict:
    """Dataloaders over the plan's COCO keypoint files and CocoMetric with the plan's sigmas."""
    from autommlab_openmmlab.cfgutil import loader

    train_pipe, test_pipe = pipelines(codec(base.model.to_dict()))
    img_dir = str(plan.path("img_dir")).rstrip("/") + "/"
    meta = dataset_meta(plan)

    def ds(key: str, pipe: list[dict], test: bool) -> dict:
        return dict(type="CocoDataset", data_root="", data_mode="topdown", ann_file=str(plan.path(key)),
                    data_prefix=dict(img=img_dir), metainfo=meta, pipeline=pipe, test_mode=test)

    return dict(
        train_dataloader=loader(ds("train_ann", train_pipe, False), batch_size, True, device),
        val_dataloader=loader(ds("val_ann", test_pipe, True), max(batch_size, 8), False, device),
        # CocoMetric takes the OKS sigmas from the dataset meta above: any keypoint layout works
        val_evaluator=dict(type="CocoMetric", ann_file=str(plan.path("val_ann"))),
        test_pipeline=test_pipe,
    )


def canonical_metrics(m: dict[str, float]) -> dict[str, float]:
    """mmpose's CocoMetric reports fractions."""
    names = {"coco/AP": "AP", "coco/AP .5": "AP50", "coco/AP .75": "AP75", "coco/AR": "AR"}
    return {c: round(m[k], 4) for k, c in names.items() if k in m}
