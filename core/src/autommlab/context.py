"""The run context handed to every hook: configuration, run directory, progress, reasons."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator


@dataclass
class Decline:
    """Why a plugin did not serve a stage (recorded by ``Context.decline``)."""

    plugin: str
    stage: str
    reason: str


ProgressFactory = Callable[[str, "int | None"], Any]


class _NullProgress:
    """Progress handle that ignores updates (used when nothing is displayed)."""

    def update(self, advance: float = 1, **info: Any) -> None:  # noqa: D401 - trivial
        pass

    def set_total(self, total: int | None) -> None:
        pass


@dataclass
class Context:
    """Shared state for one pipeline run.

    - ``config``: the effective settings (``autommlab.config.Settings``).
    - ``run_dir``: the run directory, or None outside a run (e.g. ``autommlab parse``).
    - ``stage``: the stage being run, set by the core before each hook call.
    - ``declines``: reasons recorded by plugins that returned None.
    - ``plugin_config(name)``: the ``[plugins.<name>]`` table of the config.
    """

    config: Any = None
    run_dir: Path | None = None
    stage: str = ""
    declines: list[Decline] = field(default_factory=list)
    log: Callable[[str], None] = lambda msg: None
    progress_factory: ProgressFactory | None = None

    def decline(self, plugin: str, reason: str) -> None:
        """Record why ``plugin`` cannot serve the current stage; returns None for ``return ctx.decline(...)``."""
        self.declines.append(Decline(plugin, self.stage, reason))
        return None

    def declines_for(self, stage: str) -> list[Decline]:
        return [d for d in self.declines if d.stage == stage]

    def plugin_config(self, name: str) -> dict[str, Any]:
        if self.config is None:
            return {}
        return dict(getattr(self.config, "plugins", {}).get(name, {}))

    @contextlib.contextmanager
    def progress(self, description: str, total: int | None = None) -> Iterator[Any]:
        """A progress handle for long work: ``with ctx.progress("train", total=n) as p: p.update(1, loss=...)``."""
        if self.progress_factory is None:
            yield _NullProgress()
            return
        with self.progress_factory(description, total) as handle:
            yield handle
