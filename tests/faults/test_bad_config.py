"""TOML with wrong types, unknown keys and broken syntax: exit 2 naming the file and key."""

from __future__ import annotations

import pytest

TOML_CASES = [
    ("hpo = 5\n", "hpo: Input should be a valid dictionary"),
    ('[hpo]\nmax_trials = "three"\n', "hpo.max_trials"),
    ("[hpo]\nmax_trials = 2.5\n", "hpo.max_trials"),
    ("[hpo]\nbudget_scale = [0.1]\n", "hpo.budget_scale"),
    ('[hpo]\nseed = "zero"\n', "hpo.seed"),
    ("[hpo]\nmax_wall_time_s = -60\n", "hpo.max_wall_time_s"),
    ("stages = 5\n", "stages"),
    ("[stages]\nparse = 5\n", "stages.parse"),
    ('[stages]\nnope = "x"\n', "unknown stage 'nope'"),
    ('disabled_plugins = "datapool"\n', "disabled_plugins"),
    ("plugin_modules = [1, 2]\n", "plugin_modules.0"),
    ("plugins = [1, 2]\n", "plugins"),
    ('[deploy]\nprecision = "fp8"\n', "deploy.precision"),
    ("[deploy]\nlatency_runs = true\n", "deploy.latency_runs"),
    ("run_dir = 5\n", "run_dir"),
    ("[deploy]\nbackend = 5\n", "deploy.backend"),
    ("unknown_key = 1\n", "unknown_key: Extra inputs are not permitted"),
    ("[hpo]\nmax_trial = 3\n", "hpo.max_trial: Extra inputs are not permitted"),
    ("[hpo\n", "not valid TOML"),
    ('device = "cpu"\ndevice = "cuda"\n', "not valid TOML"),
]


@pytest.mark.parametrize("text,words", TOML_CASES, ids=[t.strip().replace("\n", " ")[:30] for t, _ in TOML_CASES])
def test_bad_toml_names_file_and_key(invoke, tmp_path, text, words):
    (tmp_path / "autommlab.toml").write_text(text)
    code, _, err = invoke("config")
    assert code == 2, err
    assert words in err and "autommlab.toml" in err, err


def test_binary_config_file_and_missing_explicit_file(invoke, tmp_path):
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00\x01garbage")
    code, _, err = invoke("--config", tmp_path / "bin.toml", "config")
    assert code == 2 and "bin.toml: cannot read as UTF-8 TOML" in err, err
    code, _, err = invoke("--config", tmp_path / "nope.toml", "config")
    assert code == 2 and "nope.toml does not exist" in err, err


def test_stage_naming_a_missing_plugin_fails_with_the_installed_ones(invoke, tmp_path):
    (tmp_path / "autommlab.toml").write_text('[stages]\nparse = "no_such_parser"\n')
    code, _, err = invoke("parse", "Classify cats and dogs")
    assert code == 1 and "no plugin named 'no_such_parser' is installed" in err and "offline_parser" in err, err


DATAPOOL_OPTIONS = [
    ('[plugins.datapool]\nval_fraction = "lots"\n', "val_fraction = 'lots'"),
    ("[plugins.datapool]\nval_fraction = 1.5\n", "val_fraction = 1.5"),
    ("[plugins.datapool]\nmax_plans = 0\n", "max_plans = 0"),
    ("[plugins.datapool]\ndemo_scale = -1\n", "demo_scale = -1"),
    ('[plugins.datapool]\nuse_demo = "sometimes"\n', "use_demo = 'sometimes'"),
]


@pytest.mark.parametrize("text,words", DATAPOOL_OPTIONS, ids=[t.split("\n")[1] for t, _ in DATAPOOL_OPTIONS])
def test_bad_plugin_options_name_the_key(tmp_path, text, words):
    pytest.importorskip("autommlab_datapool")
    from autommlab.config import load_config
    from autommlab.context import Context
    from autommlab.errors import UsageError
    from autommlab.schemas import Request
    from autommlab_datapool.selection import select_data

    (tmp_path / "autommlab.toml").write_text(text)
    settings = load_config().settings
    request = Request.model_validate({"data": {"object": ["circle"]}, "model": {"task": "classification"}})
    with pytest.raises(UsageError, match=r"\[plugins\.datapool\]") as e:
        select_data(request, Context(config=settings, run_dir=tmp_path / "run"))
    assert words in str(e.value), e.value
