"""Security: configs are read only from installed packages or the run directory, checkpoints only as weights.

A Python mmengine config runs code when it is read, and a pickled checkpoint
can too. Each test plants a file that, if executed or unpickled, leaves a
marker file behind, routes its path in through a request, a dataset or a
hand-edited run file, and checks the marker never appears.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from . import datasets as ds
from .conftest import need

REPO = Path(__file__).resolve().parents[2]


def evil_config(folder: Path) -> tuple[Path, Path]:
    """A config file whose execution writes ``marker``; returns (config, marker)."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / "EXECUTED"
    cfg = folder / "evil_config.py"
    cfg.write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\nmodel = dict(type='X')\n")
    return cfg, marker


def test_a_config_path_in_the_request_text_is_never_executed(invoke, tmp_path):
    cfg, marker = evil_config(tmp_path / "attacker")
    for text in (f"Classify cats and dogs using the config {cfg}", f"Detect cars with model {cfg} on a CPU",
                 f"Segment roads; specific_model={cfg}; config_file: {cfg}"):
        code, out, err = invoke("parse", text)
        assert code in (0, 2), err
        if code == 0:
            assert str(cfg) not in json.loads(out)["model"]["specific_model"]
    assert not marker.exists()


def test_zoo_config_outside_the_installed_package_is_refused_unread(tmp_path):
    need("mmpretrain")
    from autommlab.errors import UsageError
    from autommlab_mmpretrain.plugin import CODEBASE
    from autommlab_openmmlab.build import resolve_config

    cfg, marker = evil_config(tmp_path / "attacker")
    for ref in (str(cfg), f"configs/../../../../../../../../{cfg}", f"../{cfg.name}"):
        with pytest.raises(UsageError, match="outside the installed mmpretrain package|not found"):
            resolve_config(CODEBASE, ref)
    assert not marker.exists()
    inside = resolve_config(CODEBASE, "configs/mobilenet_v2/mobilenet-v2_8xb32_in1k.py")
    assert inside.is_file() and "mmpretrain" in str(inside)


def test_train_with_a_hand_edited_model_config_is_refused_before_reading_it(tmp_path):
    need("mmpretrain")
    from autommlab.errors import UsageError
    from autommlab.schemas import DataPlan, HParams, ModelCandidate, Request, TrainJob

    cfg, marker = evil_config(tmp_path / "attacker")
    data = DataPlan(source="t", datasets=["t"], task="classification", format="imagenet", root=tmp_path,
                    classes=["a", "b"], files={"data_prefix": ".", "train_list": "t.txt", "val_list": "v.txt"})
    job = TrainJob(index=1, request=Request.model_validate({"model": {"task": "classification"}}), data=data,
                   model=ModelCandidate(codebase="mmpretrain", name="x", task="classification", config=str(cfg)),
                   hparams=HParams(optimizer="AdamW", lr=1e-3, weight_decay=1e-4, lr_schedule="CosineAnnealingLR",
                                   iters=4, batch_size=2), work_dir=tmp_path / "work")
    from autommlab_openmmlab.build import build_config_with_notes
    with pytest.raises(UsageError, match="outside the installed mmpretrain package"):
        build_config_with_notes(job)  # what the train hook builds its Runner from
    assert not marker.exists()


def test_python_files_inside_a_dataset_are_never_executed(invoke, tmp_path, monkeypatch):
    pytest.importorskip("autommlab_datapool")
    monkeypatch.setenv("AUTOMMLAB_PLUGINS__DATAPOOL__USE_EMBEDDING", "false")  # exact names: no text model
    root = ds.imagenet_folders(tmp_path / "cls", n=3)
    markers = []
    for where in (root, root / "train" / "ants", root / "train"):
        cfg, marker = evil_config(where)
        (where / "config.py").write_text(cfg.read_text())
        (where / "__init__.py").write_text(cfg.read_text())
        markers.append(marker)
    code, _, err = invoke("data", "add", "cls", root, "--format", "imagenet")
    assert code == 0, err
    from autommlab.config import load_config
    from autommlab.context import Context
    from autommlab.schemas import Request
    from autommlab_datapool.selection import select_data

    req = Request.model_validate({"data": {"object": ["ants", "bees"]}, "model": {"task": "classification"}})
    plans = select_data(req, Context(config=load_config().settings, run_dir=tmp_path / "run"))
    assert plans and sorted(plans[0].classes) == ["ants", "bees"]
    assert not any(m.exists() for m in markers)


def test_deploy_loads_trial_files_only_from_inside_the_run(tmp_path):
    pytest.importorskip("autommlab_deploy_ort")
    from autommlab.errors import UsageError
    from autommlab.schemas import HParams, Trial
    from autommlab_deploy_ort.modelcfg import check_trial_files

    cfg, marker = evil_config(tmp_path / "attacker")
    run = tmp_path / "run"
    (run / "trials/01/work").mkdir(parents=True)
    ckpt = run / "trials/01/work/best.pth"
    ckpt.write_bytes(b"x")
    own_cfg = run / "trials/01/work/config.py"
    own_cfg.write_text("model = dict()\n")
    (run / "trials/01/work/link.py").symlink_to(cfg)
    hp = HParams(optimizer="AdamW", lr=1e-3, weight_decay=1e-4, lr_schedule="CosineAnnealingLR", iters=4,
                 batch_size=2)

    def trial(config, checkpoint):
        return Trial(index=1, model="m", codebase="mmpretrain", task="classification", hparams=hp,
                     status="failed", config=config, checkpoint=checkpoint)

    assert check_trial_files(trial(own_cfg, ckpt), run) == (own_cfg, ckpt)
    for bad, field in ((trial(cfg, ckpt), "config"), (trial(own_cfg, tmp_path / "attacker" / "x.pth"), "checkpoint"),
                       (trial(run / "trials/01/work/link.py", ckpt), "config"),
                       (trial(run / "trials/01/work/../../../../attacker/evil_config.py", ckpt), "config")):
        (tmp_path / "attacker" / "x.pth").write_bytes(b"x")
        with pytest.raises(UsageError, match=f"Trial.{field} .* is outside the run directory"):
            check_trial_files(bad, run)
    assert not marker.exists()


def test_checkpoints_are_slimmed_and_only_loaded_as_weights(tmp_path):
    torch = pytest.importorskip("torch")
    from autommlab_openmmlab.checkpoints import load_weights_only, slim, weights_only_loading

    marker = tmp_path / "UNPICKLED"

    class Payload:
        def __reduce__(self):
            import pathlib
            return (pathlib.Path.write_text, (pathlib.Path(marker), "ran"))

    evil = tmp_path / "evil.pth"
    torch.save({"state_dict": {"w": torch.zeros(2)}, "meta": {"x": Payload()}}, evil)
    with pytest.raises(Exception, match="Weights only load failed"):
        load_weights_only(evil)
    with weights_only_loading(), pytest.raises(Exception, match="Weights only load failed"):
        torch.load(evil, weights_only=False)  # forced: a library asking for full unpickling gets weights only
    pytest.importorskip("mmengine")
    from mmengine.runner.checkpoint import load_checkpoint
    with weights_only_loading(), pytest.raises(Exception, match="Weights only load failed"):
        load_checkpoint(torch.nn.Linear(2, 2), str(evil), map_location="cpu")
    assert not marker.exists()

    # what mmengine's CheckpointHook writes (message hub objects, numpy) becomes a weights-only file
    import numpy as np
    from mmengine.logging import HistoryBuffer
    full = tmp_path / "mmengine.pth"
    net = torch.nn.Linear(2, 2)
    torch.save({"state_dict": net.state_dict(), "meta": {"cfg": "model = dict()", "dataset_meta": {"classes": ("a",)},
                                                         "message_hub": {"log_scalars": {"loss": HistoryBuffer()}},
                                                         "best": np.float64(0.5)},
                "optimizer": {"state": {}}}, full)
    with pytest.raises(Exception, match="Weights only load failed"):
        load_weights_only(full)
    slim(full, tmp_path / "best.pth")
    ck = load_weights_only(tmp_path / "best.pth")
    assert set(ck) == {"state_dict", "meta"} and ck["meta"] == {"cfg": "model = dict()",
                                                                "dataset_meta": {"classes": ("a",)}}
    assert torch.equal(ck["state_dict"]["weight"], net.state_dict()["weight"]) and not full.exists()


# Every place the plugins unpickle a checkpoint or execute a config, and why it is allowed.
AUDIT = {
    "openmmlab/base/src/autommlab_openmmlab/build.py": ["Config.fromfile"],  # zoo config, resolve_config
    "openmmlab/base/src/autommlab_openmmlab/complexity.py": ["Config.fromfile"],  # zoo config from the .mim index
    "deploy_ort/src/autommlab_deploy_ort/modelcfg.py": ["Config.fromfile"],  # the trial's config, inside the run
    # slim: reads the file mmengine wrote moments before in this process; weights_only_loading unsets the override
    "openmmlab/base/src/autommlab_openmmlab/checkpoints.py": ["torch.load", "trusted_checkpoint_loading",
                                                              "weights_only=False", "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"],
    "openmmlab/base/src/autommlab_openmmlab/train.py": ["trusted_checkpoint_loading"],  # user's local weights
    # zoo weights: weights_only first; a full unpickle only for a user-placed file or one whose sha256 matched
    "openmmlab/base/src/autommlab_openmmlab/finetune.py": ["torch.load", "weights_only=False"],
    "openmmlab/base/src/autommlab_openmmlab/compat.py": ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD",
                                                         "trusted_checkpoint_loading"],  # its definition
}
RISKY = re.compile(r"torch\.load\(|Config\.fromfile\(|load_checkpoint\(|pickle\.loads?\(|weights_only=False|"
                   r"trusted_checkpoint_loading\(|TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD|(?<![.\w])eval\(|(?<![.\w])exec\(")


def test_every_unpickling_and_config_execution_site_is_audited():
    found: dict[str, set[str]] = {}
    for root in (REPO / "plugins", REPO / "contrib" / "src", REPO / "core" / "src"):
        for p in root.rglob("*.py"):
            for line in p.read_text().splitlines():
                code = line.split("#", 1)[0]
                if code.lstrip().startswith(('"', "'", "``")):
                    continue
                for m in RISKY.finditer(code):
                    rel = str(p.relative_to(REPO / "plugins")) if p.is_relative_to(REPO / "plugins") else str(p)
                    found.setdefault(rel, set()).add(m.group(0).rstrip("("))
    unaudited = {f: sorted(k for k in keys if not any(k.startswith(a) for a in AUDIT.get(f, [])))
                 for f, keys in found.items()}
    unaudited = {f: k for f, k in unaudited.items() if k}
    assert not unaudited, f"new unpickling / config execution sites: {unaudited} (check them, then add to AUDIT)"
