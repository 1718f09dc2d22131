"""Fixtures of the fault suite: an isolated home, the CLI run in-process, small hostile datasets.

``invoke(*args)`` runs ``autommlab.cli.main`` in this process and returns
(exit code, stdout, stderr with whitespace collapsed). An exception that
escapes ``main`` is NOT caught: a bad input that ends in a traceback fails
the test with that traceback.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolate(tmp_path, monkeypatch):
    """Never touch the real ~/.autommlab, read a stray autommlab.toml or inherit a fault switch."""
    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("AUTOMMLAB_FAULT_AT", raising=False)
    monkeypatch.delenv("AUTOMMLAB_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def invoke(capsys, monkeypatch):
    from autommlab import cli

    # wide consoles: rich would otherwise fold long paths in messages across lines
    monkeypatch.setattr(cli.console, "width", 100_000)
    try:
        from autommlab_datapool import cli as data_cli
        monkeypatch.setattr(data_cli.console, "width", 100_000)
    except ImportError:
        pass

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            cli.main([str(a) for a in args])
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        cap = capsys.readouterr()
        assert "Traceback (most recent call last)" not in cap.err + cap.out, cap.err
        return code, cap.out, " ".join(cap.err.split())

    return run


def tree_digest(root: Path) -> dict[str, str]:
    """sha1 of every file under ``root`` (relative path -> digest): what must survive a failed command."""
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(Path(root).rglob("*")) if p.is_file() and not p.is_symlink()}


def need(*modules: str) -> None:
    """Skip unless ``modules`` are installed, without importing them (mmpretrain takes half a minute to import)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/install.sh installs the full stack)")
