"""Configuration layering and provenance."""

import pytest

from autommlab.config import load_config
from autommlab.errors import UsageError


def test_file_then_env_with_sources(tmp_path):
    f = tmp_path / "autommlab.toml"
    f.write_text('device = "cpu"\n[hpo]\nmax_trials = 4\nbudget_scale = 0.5\n[stages]\nparse = "ru_llama"\n'
                 '[plugins.ru_llama]\nmodel_path = "/models/x"\n')
    cfg = load_config(f, environ={"AUTOMMLAB_HPO__MAX_TRIALS": "7", "AUTOMMLAB_DEPLOY__BACKEND": "tensorrt"})
    s = cfg.settings
    assert s.hpo.max_trials == 7 and s.hpo.budget_scale == 0.5 and s.deploy.backend == "tensorrt"
    assert s.stages == {"parse": "ru_llama"} and s.plugins["ru_llama"]["model_path"] == "/models/x"
    src = {k: v for k, _, v in cfg.rows()}
    assert src["hpo.max_trials"] == "env AUTOMMLAB_HPO__MAX_TRIALS"
    assert src["hpo.budget_scale"] == str(f)
    assert src["device"] == str(f)
    assert src["models_per_run"] == "default"


def test_default_file_is_optional(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(environ={}).path is None


def test_errors_name_file_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[hpo\n")
    with pytest.raises(UsageError, match="bad.toml: not valid TOML"):
        load_config(bad, environ={})
    bad.write_text("[hpo]\nmax_trials = 0\n")
    with pytest.raises(UsageError, match="hpo.max_trials"):
        load_config(bad, environ={})
    with pytest.raises(UsageError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})
    with pytest.raises(UsageError, match="hpo.budget_scale"):
        load_config(environ={"AUTOMMLAB_HPO__BUDGET_SCALE": "2"})
