"""Load and check a Trial's mmengine config for deployment (the train -> deploy contract)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from autommlab.errors import DataError, UsageError
from autommlab.schemas import Trial

REQUIRED_KEYS = ("model", "default_scope", "val_dataloader", "val_evaluator")


def check_trial_files(trial: Trial, run_dir: Path | None = None) -> tuple[Path, Path]:
    """(config, checkpoint) of ``trial``; UsageError naming the field and file when missing.

    With ``run_dir`` (the run being deployed) both must lie inside it: the
    config is Python that runs when read and the checkpoint is unpickled, so
    only files the project wrote into the run are used, whatever a
    hand-edited trial.json says.
    """
    if trial.config is None:
        raise UsageError(f"trial {trial.index}: Trial.config is not set (the trainer's dumped mmengine config)")
    if trial.checkpoint is None:
        raise UsageError(f"trial {trial.index}: Trial.checkpoint is not set (the best .pth of the trial)")
    cfg, ckpt = Path(trial.config), Path(trial.checkpoint)
    if run_dir is not None:
        root = Path(run_dir).resolve()
        for field, p in (("config", cfg), ("checkpoint", ckpt)):
            if not p.resolve().is_relative_to(root):  # resolved: a symlink in the run cannot point out of it
                raise UsageError(f"trial {trial.index}: Trial.{field} {p} is outside the run directory {root}; "
                                 "only files the trainer wrote into the run are loaded")
    if not cfg.is_file():
        raise UsageError(f"trial {trial.index}: Trial.config file not found: {cfg}")
    if not ckpt.is_file():
        raise UsageError(f"trial {trial.index}: Trial.checkpoint file not found: {ckpt}")
    return cfg, ckpt


def load_model_config(path: Path) -> Any:
    """The trial's config with ``test_dataloader``/``test_evaluator`` set to the val split.

    mmdeploy's task processors read ``test_dataloader`` (and ``test_pipeline``);
    the deployed model is measured on the same val split the trial was scored on,
    one image per batch (images of different sizes cannot share a batch in mmseg).
    """
    from mmengine.config import Config

    try:
        cfg = Config.fromfile(str(path))
    except Exception as e:  # syntax errors, missing base files
        raise DataError(f"cannot load model config {path}: {type(e).__name__}: {e}") from e
    missing = [k for k in REQUIRED_KEYS if k not in cfg or cfg.get(k) is None]
    if missing:
        raise DataError(f"model config {path} lacks {', '.join(missing)} (the trainer must dump a complete config)")
    val = copy.deepcopy(cfg.val_dataloader)
    val["batch_size"] = 1
    val["num_workers"] = 0
    val["persistent_workers"] = False
    val.pop("prefetch_factor", None)
    cfg.test_dataloader = val
    cfg.test_evaluator = copy.deepcopy(cfg.val_evaluator)
    if cfg.get("test_pipeline") is None:
        cfg.test_pipeline = copy.deepcopy(val["dataset"]["pipeline"])
    if cfg.get("data_preprocessor") is None and cfg.model.get("data_preprocessor") is not None:
        cfg.data_preprocessor = copy.deepcopy(cfg.model.data_preprocessor)  # mmdeploy's cls task reads it there
    if cfg.get("codec") is None and isinstance(cfg.model.get("head"), dict) and cfg.model.head.get("decoder"):
        cfg.codec = copy.deepcopy(cfg.model.head.decoder)  # mmdeploy's pose task reads the top-level codec
    if cfg.get("test_cfg") is None:
        cfg.test_cfg = dict(type="TestLoop")
    return cfg


def keypoint_input_hw(cfg: Any) -> tuple[int, int] | None:
    """(h, w) of a top-down pose model's input from its codec, or None."""
    codec = cfg.get("codec")
    if isinstance(codec, (list, tuple)):
        codec = codec[-1]
    if not codec or "input_size" not in codec:
        return None
    w, h = codec["input_size"]
    return int(h), int(w)


def simcc_split_ratio(cfg: Any) -> float | None:
    codec = cfg.get("codec")
    if isinstance(codec, (list, tuple)):
        codec = codec[-1]
    if codec and codec.get("type") == "SimCCLabel":
        return float(codec.get("simcc_split_ratio", 2.0))
    return None
