"""mmdet specifics: head size, fixed-size detection pipelines, COCO dataset, CocoMetric (bbox)."""

from __future__ import annotations

from typing import Any

from autommlab_openmmlab.cfgutil import loader, palette, set_key

PRIMARY = "AP"
#: layers whose shape follows the class (keypoint) count: when fine-tuning, detection heads
#: with another shape in the zoo checkpoint are re-initialised for the dataset (finetune.py notes it)
HEAD_PREFIXES = ("bbox_head.", "roi_head.", "rpn_head.")
BEST_KEY = "coco/bbox_mAP"
PAD = dict(img=(114, 114, 114))


def config_input_size(cfg: Any) -> list[int]:
    return [640, 640]


def adapt_model(model: dict, num_classes: int | None, input_size: list[int], metainfo: dict | None) -> None:
    """Size every class head for ``num_classes`` (the RPN stays class-agnostic)."""
    if num_classes is not None:
        set_key(model, "num_classes", num_classes, skip=("rpn_head",))
    dp = model.get("data_preprocessor")
    if isinstance(dp, dict) and dp.get("batch_augments"):
        # multi-scale batch resizing (YOLOX) targets 640 px training; trials train at one fixed size
        dp["batch_augments"] = None


def pipelines(size: list[int]) -> tuple[list[dict], list[dict]]:
    wh = (size[1], size[0])
    train = [
        dict(type="LoadImageFromFile"),
        dict(type="LoadAnnotations", with_bbox=True),
        dict(type="RandomResize", scale=wh, ratio_range=(0.75, 1.25), keep_ratio=True),
        dict(type="RandomCrop", crop_size=wh, allow_negative_crop=False),
        dict(type="RandomFlip", prob=0.5),
        dict(type="Pad", size=wh, pad_val=PAD),
        dict(type="PackDetInputs"),
    ]
    test = [
        dict(type="LoadImageFromFile"),
        dict(type="Resize", scale=wh, keep_ratio=True),
        dict(type="Pad", size=wh, pad_val=PAD),
        dict(type="LoadAnnotations", with_bbox=True),
        dict(type="PackDetInputs", meta_keys=("img_id", "img_path", "ori_shape", "img_shape", "scale_factor")),
    ]
    return train, test


def data_config(plan, size: list[int], base: Any, batch_size: int, device: str = "cpu") -> dict:
    """Dataloaders over the plan's COCO files and the COCO bbox evaluator."""
    train_pipe, test_pipe = pipelines(size)
    img_dir = str(plan.path("img_dir")).rstrip("/") + "/"
    meta = dict(classes=tuple(plan.classes), palette=[tuple(c) for c in palette(len(plan.classes) + 1)[1:]])

    def ds(key: str, pipe: list[dict], test: bool) -> dict:
        d = dict(type="CocoDataset", data_root="", ann_file=str(plan.path(key)), data_prefix=dict(img=img_dir),
                 metainfo=meta, pipeline=pipe, test_mode=test)
        if not test:
            d["filter_cfg"] = dict(filter_empty_gt=True, min_size=1)
        return d

    return dict(
        train_dataloader=loader(ds("train_ann", train_pipe, False), batch_size, True, device),
        val_dataloader=loader(ds("val_ann", test_pipe, True), max(batch_size, 4), False, device),
        val_evaluator=dict(type="CocoMetric", ann_file=str(plan.path("val_ann")), metric="bbox", format_only=False),
        test_pipeline=test_pipe,
    )


def canonical_metrics(m: dict[str, float]) -> dict[str, float]:
    """CocoMetric already reports fractions."""
    names = {"coco/bbox_mAP": "AP", "coco/bbox_mAP_50": "AP50", "coco/bbox_mAP_75": "AP75"}
    return {c: round(m[k], 4) for k, c in names.items() if k in m}
