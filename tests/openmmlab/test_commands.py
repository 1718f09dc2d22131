"""`autommlab models` commands registered by the openmmlab plugin (on a bare click group)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from autommlab_openmmlab import complexity

from ..plugin_cli import plugin_group


def _cli():
    from autommlab_openmmlab import plugin

    return plugin_group(plugin)


def test_models_index_then_table(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "250")
    cli = _cli()
    r = CliRunner().invoke(cli, ["models", "index", "--task", "classification", "--model", "mobilenet-v2_8xb32_in1k"])
    assert r.exit_code == 0, r.output
    assert "indexed 1 of 1" in r.output
    cache = json.loads(complexity.cache_path(tmp_path).read_text())
    entry = cache["mmpretrain/mobilenet-v2_8xb32_in1k@112x112/nc=zoo"]
    assert 3.3 < entry["params_m"] < 3.7  # zoo head (1000 classes)
    r = CliRunner().invoke(cli, ["models", "--task", "classification"], terminal_width=250)
    assert r.exit_code == 0, r.output
    assert "mobilenet-v2_8xb32_in1k" in r.output and f"{entry['params_m']:.2f}" in r.output
    assert "no cached complexity" in r.output


def test_models_help_lists_subcommands():
    r = CliRunner().invoke(_cli(), ["models", "--help"])
    assert r.exit_code == 0 and "index" in r.output and "bench" in r.output
