"""Fixtures for the data-pool tests: an isolated AutoMMLab home, the shared real datasets, requests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("autommlab_datapool")

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("AUTOMMLAB_SHARED_DATAPOOL", REPO.parent / "shared" / "datapool"))
DEMO_SCALE = 0.25  # small demo sets keep the tests fast


def shared(name: str) -> Path:
    p = SHARED / name
    if not p.is_dir():
        pytest.skip(f"shared dataset {p} not present")
    return p


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty AutoMMLab home (AUTOMMLAB_HOME) so tests never touch ~/.autommlab."""
    h = tmp_path / "home"
    monkeypatch.setenv("AUTOMMLAB_HOME", str(h))
    monkeypatch.setenv("AUTOMMLAB_PLUGINS__DATAPOOL__DEMO_SCALE", str(DEMO_SCALE))
    monkeypatch.chdir(tmp_path)  # no stray ./autommlab.toml
    return h


@pytest.fixture
def settings(home):
    from autommlab.config import load_config
    return load_config().settings


def make_ctx(settings, run_dir: Path | None = None):
    from autommlab.context import Context
    ctx = Context(config=settings, run_dir=run_dir)
    ctx.stage = "select_data"
    return ctx


def make_request(task: str, objects: list[str], specific: list[str] | None = None):
    from autommlab.schemas import Request
    return Request.model_validate({"data": {"object": objects, "specific": specific or []}, "model": {"task": task}})


def register(home: Path, name: str, path: Path, fmt: str, **opts):
    from autommlab_datapool.cards import Registry
    from autommlab_datapool.formats import inspect_dataset
    card = inspect_dataset(name, path, fmt, **opts)
    Registry(home).add(card)
    return card


@pytest.fixture
def real_pool(home) -> Path:
    """A home with hymenoptera, pennfudan (COCO and masks) and lspet_pose registered."""
    register(home, "hymenoptera", shared("hymenoptera"), "imagenet")
    register(home, "pennfudan", shared("pennfudan"), "coco")
    register(home, "pennfudan-masks", shared("pennfudan"), "semantic_masks")
    register(home, "lspet", shared("lspet_pose"), "coco_keypoints")
    return home
