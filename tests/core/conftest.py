import json

import pytest

from autommlab.config import Settings
from autommlab.plugins import PluginManager

from . import fakes


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    """Never touch the real ~/.autommlab or read a stray autommlab.toml."""
    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    fakes.reset()


@pytest.fixture
def settings(tmp_path):
    return Settings(home=tmp_path / "home", run_dir=tmp_path / "runs", hpo={"budget_scale": 0.005})


@pytest.fixture
def pm():
    m = PluginManager(load_entrypoints=False, disabled=["offline_parser", "recipe_hpo"])
    m.register(fakes, name="fakes")
    return m


def request_text(**model):
    base = {"data": {"object": ["circles", "squares"]},
            "model": {"task": "classification", "metrics": [{"name": "accuracy", "value": 0.9}]},
            "deploy": {"gpu": "cpu", "inference engine": "onnxruntime"}}
    base["model"].update(model)
    return json.dumps(base)
