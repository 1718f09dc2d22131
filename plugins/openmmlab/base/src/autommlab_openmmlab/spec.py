"""What distinguishes one OpenMMLab codebase plugin from another (no heavy imports)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class CodebaseSpec:
    """Static description of one codebase plugin.

    - ``name``: plugin / entry-point name, equal to ``ModelCandidate.codebase``.
    - ``package``: the OpenMMLab import name (``mmdet``) whose ``.mim`` zoo is read.
    - ``scope``: mmengine registry scope (``default_scope`` of built configs).
    - ``task``: the AutoMMLab task served.
    - ``zoo_filter(model_entry, config_path) -> bool``: which zoo entries serve ``task``.
    - ``defaults``: small zoo models offered when the request names no model.
    - ``input_size``: [h, w] trained at on CPU (None: take it from the zoo config).
    - ``adapter``: module with ``adapt_model``, ``data_config``, ``BEST_KEY``,
      ``canonical_metrics`` and ``PRIMARY`` (imported lazily: it may import mm*).
    - ``metric_names``: zoo result names -> canonical metric names.
    """

    name: str
    package: str
    scope: str
    task: str
    zoo_filter: Callable[[dict, str], bool]
    defaults: tuple[str, ...]
    adapter: str
    input_size: tuple[int, int] | None = None
    metric_names: dict[str, str] = field(default_factory=dict)

    def load_adapter(self) -> Any:
        return importlib.import_module(self.adapter)
