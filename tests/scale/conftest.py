"""Fixtures for the scale tests: isolated home, settings over the fake plugins, a local Ray on loopback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autommlab.config import Settings
from autommlab.plugins import PluginManager
from tests.core import fakes

REPO = Path(__file__).resolve().parents[2]
#: plugins the driver and every Ray worker register (workers import them through PYTHONPATH)
MODULES = ["tests.core.fakes", "tests.scale.scale_fakes"]


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    fakes.reset()


def stages(**over: str) -> dict[str, str]:
    """Every stage served by the fakes (so installed entry points such as the data pool stay out of it)."""
    return {"parse": "fakes", "select_data": "fakes", "select_model": "fakes", "propose_hparams": "fakes",
            "train": "scale_fakes", "deploy": "fakes", **over}


def scale_settings(tmp_path: Path, **kw) -> Settings:
    """Fake parse/data/model/propose/deploy (tests/core/fakes), scale_fakes training, tiny budget."""
    base = dict(home=tmp_path / "home", run_dir=tmp_path / "runs", disabled_plugins=["offline_parser", "recipe_hpo"],
                plugin_modules=MODULES, stages=stages(), hpo={"budget_scale": 0.005, "max_trials": 1},
                offline=True)  # tests never reach past loopback: no zoo weight probes or downloads
    base.update(kw)
    return Settings.model_validate(base)


def manager(settings: Settings) -> PluginManager:
    """The driver's plugin manager: the fake modules and the ray plugin, no other entry point."""
    pm = PluginManager(stages=settings.stages, load_entrypoints=False, disabled=settings.disabled_plugins,
                       modules=settings.plugin_modules)
    from autommlab_ray import plugin as ray_plugin
    pm.register(ray_plugin, name="ray")
    return pm


@pytest.fixture(scope="module")
def ray_local():
    """A 2-CPU Ray started in this process, every server on 127.0.0.1, no dashboard; shut down after the module."""
    ray = pytest.importorskip("ray")
    from autommlab_ray.executor import loopback_only

    loopback_only()
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO)] + ([old] if old else []))
    ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", configure_logging=False,
             log_to_driver=False, object_store_memory=100 * 1024 ** 2)
    try:
        yield ray
    finally:
        ray.shutdown()
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
