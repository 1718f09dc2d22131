"""``autommlab data ...`` commands (click), run in an isolated home."""

import json

from click.testing import CliRunner
from PIL import Image

from autommlab.errors import UsageError
from autommlab_datapool.cli import data

from conftest import shared


def run(*args, ok=True):
    res = CliRunner().invoke(data, list(args), catch_exceptions=not ok)
    if ok:
        assert res.exit_code == 0, res.output
    return res


def test_add_list_show_remove(home, tmp_path):
    run("add", "pf", str(shared("pennfudan")), "--format", "coco")
    run("add", "lsp", str(shared("lspet_pose")), "--format", "coco_keypoints")
    reg = json.loads((home / "datapool.json").read_text())
    assert sorted(reg["datasets"]) == ["lsp", "pf"]
    assert reg["datasets"]["pf"]["counts"]["val"] == {"pedestrian": 131}
    out = run("list").output
    assert "pf" in out and "lsp" in out and "demo-shapes-cls" in out
    png = tmp_path / "pf.png"
    out = run("show", "pf", "--out", str(png), "-k", "3").output
    assert "pedestrian" in out and "292" in out and "131" in out
    assert Image.open(png).size[0] > 100
    out = run("show", "lsp", "--out", str(tmp_path / "l.png"), "-k", "2").output
    assert "head_top" in out
    dup = CliRunner().invoke(data, ["add", "pf", str(shared("pennfudan")), "--format", "coco"])
    assert dup.exit_code != 0 and isinstance(dup.exception, UsageError) and "already registered" in str(dup.exception)
    run("remove", "pf")
    assert list(json.loads((home / "datapool.json").read_text())["datasets"]) == ["lsp"]


def test_show_unknown_suggests(home):
    res = CliRunner().invoke(data, ["show", "demo-shapes-dett"])
    assert isinstance(res.exception, UsageError) and "did you mean demo-shapes-det" in str(res.exception)


def test_demo_command(home, tmp_path):
    out = run("demo", "--out", str(tmp_path / "d"), "--n", "20", "--seed", "1").output
    for name in ("demo-shapes-cls", "demo-shapes-det", "demo-shapes-seg", "demo-shapes-kpt"):
        assert name in out and (tmp_path / "d" / name / "card.json").is_file()
        assert (tmp_path / "d" / name / "preview.png").is_file()
        card = json.loads((tmp_path / "d" / name / "card.json").read_text())["card"]
        assert card["images"] == {"train": 20, "val": 4 if name.endswith("cls") else 7}


def test_match_command(home):
    out = run("match", "circles", "unicorns", "-d", "demo-shapes-cls").output
    assert "plural" in out and "no match" in out


def test_core_cli_passes_its_config(tmp_path, monkeypatch):
    """Through the core ``autommlab`` group, ``--config`` decides the home the registry lives in."""
    from autommlab import cli as core_cli
    monkeypatch.delenv("AUTOMMLAB_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "cfg_home"
    cfg = tmp_path / "my.toml"
    cfg.write_text(f'home = "{home}"\n')
    core_cli._register_plugin_commands()
    if "data" not in core_cli.cli.commands:
        import pytest
        pytest.skip("autommlab-datapool entry point not installed in this environment")
    res = CliRunner().invoke(core_cli.cli, ["--config", str(cfg), "data", "add", "hym", str(shared("hymenoptera")),
                                            "--format", "imagenet"])
    assert res.exit_code == 0, res.output
    assert "hym" in json.loads((home / "datapool.json").read_text())["datasets"]
