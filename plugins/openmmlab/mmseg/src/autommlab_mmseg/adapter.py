"""mmseg specifics: head size, crop size, mask-folder dataset, IoUMetric."""

from __future__ import annotations

from typing import Any

from autommlab_openmmlab.cfgutil import loader, palette, set_key

PRIMARY = "mIoU"
#: layers whose shape follows the class (keypoint) count: when fine-tuning, decode/auxiliary heads
#: with another shape in the zoo checkpoint are re-initialised for the dataset (finetune.py notes it)
HEAD_PREFIXES = ("decode_head.", "auxiliary_head.")
BEST_KEY = "mIoU"


def config_input_size(cfg: Any) -> list[int]:
    size = (cfg.model.get("data_preprocessor") or {}).get("size") or (512, 512)
    return list(size)


def _drop_class_weights(node: Any) -> None:
    # per-class loss weights are tuned to the zoo dataset's classes, not the plan's
    if isinstance(node, dict):
        if node.get("class_weight") is not None:
            node["class_weight"] = None
        for v in node.values():
            _drop_class_weights(v)
    elif isinstance(node, list):
        for v in node:
            _drop_class_weights(v)


def adapt_model(model: dict, num_classes: int | None, input_size: list[int], metainfo: dict | None) -> None:
    """Size decode/auxiliary heads for ``num_classes``, pad batches to ``input_size`` [h, w], whole-image test."""
    if num_classes is not None:
        set_key(model, "num_classes", num_classes)
        _drop_class_weights(model)
    dp = model.setdefault("data_preprocessor", dict(type="SegDataPreProcessor"))
    dp["size"] = tuple(input_size)
    model["test_cfg"] = dict(mode="whole")
    backbone = model.get("backbone") or {}
    if "img_size" in backbone:
        backbone["img_size"] = tuple(input_size)


def pipelines(size: list[int]) -> tuple[list[dict], list[dict]]:
    h, w = size
    scale = (4 * w, h)  # short side ~ h, long side unbounded: the crop then sees most of the image
    train = [
        dict(type="LoadImageFromFile"),
        dict(type="LoadAnnotations", reduce_zero_label=False),
        dict(type="RandomResize", scale=scale, ratio_range=(0.5, 2.0), keep_ratio=True),
        dict(type="RandomCrop", crop_size=(h, w), cat_max_ratio=0.75),
        dict(type="RandomFlip", prob=0.5),
        dict(type="PackSegInputs"),
    ]
    test = [
        dict(type="LoadImageFromFile"),
        dict(type="Resize", scale=scale, keep_ratio=True),
        dict(type="LoadAnnotations", reduce_zero_label=False),
        dict(type="PackSegInputs"),
    ]
    return train, test


def data_config(plan, size: list[int], base: Any, batch_size: int, device: str = "cpu") -> dict:
    """Dataloaders over the plan's image/mask folders and the mIoU evaluator."""
    train_pipe, test_pipe = pipelines(size)
    meta = dict(classes=tuple(plan.classes), palette=palette(len(plan.classes)))

    def ds(split: str, pipe: list[dict], test: bool) -> dict:
        return dict(type="BaseSegDataset", data_root="",
                    data_prefix=dict(img_path=str(plan.path(f"{split}_img_dir")),
                                     seg_map_path=str(plan.path(f"{split}_mask_dir"))),
                    img_suffix=plan.files.get("img_suffix", ".jpg"), seg_map_suffix=plan.files.get("mask_suffix", ".png"),
                    metainfo=meta, reduce_zero_label=False, pipeline=pipe, test_mode=test)

    return dict(
        train_dataloader=loader(ds("train", train_pipe, False), batch_size, True, device),
        # images keep their own size at test time, so one per batch
        val_dataloader=loader(ds("val", test_pipe, True), 1, False, device),
        val_evaluator=dict(type="IoUMetric", iou_metrics=["mIoU"]),
        test_pipeline=test_pipe,
    )


def canonical_metrics(m: dict[str, float]) -> dict[str, float]:
    """IoUMetric reports percentages."""
    names = {"mIoU": "mIoU", "aAcc": "pixel_accuracy"}
    return {c: round(m[k] / 100.0, 4) for k, c in names.items() if k in m}
