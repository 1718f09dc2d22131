"""mmpretrain specifics: head size, pipelines, CustomDataset lists, Accuracy + SingleLabelMetric.

Imported only when building or training (it is plain config; mm* classes are
referenced by registry name).
"""

from __future__ import annotations

from typing import Any

from autommlab_openmmlab.cfgutil import loader, set_key

PRIMARY = "accuracy"
#: layers whose shape follows the class (keypoint) count: when fine-tuning, the classifier
#: with another shape in the zoo checkpoint are re-initialised for the dataset (finetune.py notes it)
HEAD_PREFIXES = ("head.",)
BEST_KEY = "accuracy/top1"
MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def config_input_size(cfg: Any) -> list[int]:
    return [224, 224]


def adapt_model(model: dict, num_classes: int | None, input_size: list[int], metainfo: dict | None) -> None:
    """Size the head for ``num_classes`` (None: keep the zoo's) and the backbone for ``input_size``."""
    backbone = model.get("backbone") or {}
    if "img_size" in backbone:  # ViT-style backbones size their position embedding by it
        backbone["img_size"] = input_size[0]
    if num_classes is None:
        return
    set_key(model, "num_classes", num_classes)
    head = model.get("head") or {}
    if "topk" in head:
        head["topk"] = (1,)
    # Mixup/CutMix batch augments are part of long ImageNet recipes, not of short trials.
    if isinstance(model.get("train_cfg"), dict):
        model["train_cfg"].pop("augments", None)
    model["data_preprocessor"] = dict(type="ClsDataPreprocessor", num_classes=num_classes, mean=MEAN, std=STD,
                                      to_rgb=True)


def pipelines(size: list[int]) -> tuple[list[dict], list[dict]]:
    train = [
        dict(type="LoadImageFromFile"),
        dict(type="RandomResizedCrop", scale=size[0]),
        dict(type="RandomFlip", prob=0.5, direction="horizontal"),
        dict(type="PackInputs"),
    ]
    test = [
        dict(type="LoadImageFromFile"),
        dict(type="ResizeEdge", scale=round(size[0] * 8 / 7), edge="short"),
        dict(type="CenterCrop", crop_size=size[0]),
        dict(type="PackInputs"),
    ]
    return train, test


def data_config(plan, size: list[int], base: Any, batch_size: int, device: str = "cpu") -> dict:
    """Dataloaders over the plan's ImageNet-style lists and the classification evaluator."""
    train_pipe, test_pipe = pipelines(size)
    prefix = str(plan.path("data_prefix"))

    def ds(key: str, pipe: list[dict], test: bool) -> dict:
        return dict(type="CustomDataset", data_prefix=prefix, ann_file=str(plan.path(key)),
                    metainfo=dict(classes=tuple(plan.classes)), pipeline=pipe, test_mode=test)

    return dict(
        train_dataloader=loader(ds("train_list", train_pipe, False), batch_size, True, device),
        val_dataloader=loader(ds("val_list", test_pipe, True), max(batch_size, 8), False, device),
        val_evaluator=[dict(type="Accuracy", topk=(1,)),
                       dict(type="SingleLabelMetric", items=("precision", "recall", "f1-score"), average="macro")],
        test_pipeline=test_pipe,
    )


def canonical_metrics(m: dict[str, float]) -> dict[str, float]:
    """mmpretrain's percentages -> canonical fractions."""
    names = {"accuracy/top1": "accuracy", "single-label/precision": "precision",
             "single-label/recall": "recall", "single-label/f1-score": "f1"}
    return {c: round(m[k] / 100.0, 4) for k, c in names.items() if k in m}
