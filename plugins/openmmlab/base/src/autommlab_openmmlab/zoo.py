"""Read the model zoo shipped inside an installed OpenMMLab package (``.mim``).

``<package>/.mim/model-index.yml`` imports one metafile per model family; each
metafile lists models with their config, weights URL and reported results.
Only PyYAML is used: the package itself is located, never imported.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from autommlab.schemas import as_fraction, canonical_metric

from .spec import CodebaseSpec


@dataclass
class ZooModel:
    """One zoo entry: everything the metafile says, paths resolved."""

    name: str
    codebase: str
    task: str
    family: str
    config: Path
    weights: str | None
    source_dataset: str
    reported_metrics: dict[str, float] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    meta_flops: float | None = None  # metafile's own numbers, for ordering only
    meta_params: float | None = None


def mim_dir(package: str) -> Path | None:
    """``<site-packages>/<package>/.mim`` of an installed package, or None if not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0]) / ".mim"
    return d if (d / "model-index.yml").is_file() else None


def _results(entry: dict) -> list[dict]:
    res = entry.get("Results") or []
    return [res] if isinstance(res, dict) else [r for r in res if isinstance(r, dict)]


def result_tasks(entry: dict) -> set[str]:
    """The ``Task`` names of a metafile model entry's ``Results`` (one dict or a list); for zoo filters."""
    return {str(r.get("Task", "")) for r in _results(entry)}


def _number(v: Any) -> float | None:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _canonical_results(result: dict, names: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in (result.get("Metrics") or {}).items():
        val = _number(v)
        if val is None:
            continue
        key = names.get(k) or canonical_metric(k)
        if key in names.values() and key not in out:
            out[key] = round(as_fraction(val), 4)
    return out


@lru_cache(maxsize=None)
def _read_yaml(path: Path) -> Any:
    with open(path) as f:
        return yaml.safe_load(f)


def load_zoo(spec: CodebaseSpec) -> list[ZooModel]:
    """All zoo models of ``spec.package`` that serve ``spec.task`` (empty if not installed)."""
    root = mim_dir(spec.package)
    if root is None:
        return []
    index = _read_yaml(root / "model-index.yml") or {}
    models: list[ZooModel] = []
    seen: set[str] = set()
    for rel in index.get("Import", []):
        meta_path = root / rel
        if not meta_path.is_file():
            continue
        meta = _read_yaml(meta_path) or {}
        collections = {c.get("Name"): c for c in meta.get("Collections", []) or [] if isinstance(c, dict)}
        for entry in meta.get("Models", []) or []:
            if not isinstance(entry, dict) or not entry.get("Config") or not entry.get("Name"):
                continue
            cfg = root / entry["Config"]
            if entry["Name"] in seen or not cfg.is_file() or not spec.zoo_filter(entry, entry["Config"]):
                continue
            coll = collections.get(entry.get("In Collection"), {})
            md = entry.get("Metadata") or {}
            results = [r for r in _results(entry)]
            first = results[0] if results else {}
            dataset = first.get("Dataset") or md.get("Training Data") or (coll.get("Metadata") or {}).get("Training Data") or ""
            if isinstance(dataset, list):
                dataset = dataset[0] if dataset else ""
            seen.add(entry["Name"])
            models.append(ZooModel(
                name=entry["Name"], codebase=spec.name, task=spec.task,
                family=str(entry.get("In Collection") or ""), config=cfg,
                weights=entry.get("Weights"), source_dataset=str(dataset),
                reported_metrics=_canonical_results(first, spec.metric_names),
                aliases=[str(a) for a in entry.get("Alias", []) or []],
                meta_flops=_number(md.get("FLOPs")), meta_params=_number(md.get("Parameters")),
            ))
    return models


def norm(text: str) -> str:
    """Lower-case alphanumerics only: "Faster R-CNN" -> "fasterrcnn"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def match_family(models: list[ZooModel], wanted: str, limit: int = 6) -> list[ZooModel]:
    """Zoo models whose name, alias or family matches ``wanted``; best matches first, at most ``limit``.

    Exact name/alias matches come first, then smaller models (by the
    metafile's FLOPs where given, else by name) so the bounded shortlist
    holds the variants a CPU user can train.
    """
    w = norm(wanted)
    if not w:
        return []
    scored = []
    for m in models:
        names = [norm(m.name)] + [norm(a) for a in m.aliases]
        fam = norm(m.family)
        if w in names:
            rank = 0
        elif any(n.startswith(w) for n in names) or fam == w:
            rank = 1
        elif any(w in n for n in names) or w in fam or (fam and fam in w):
            rank = 2
        else:
            continue
        scored.append((rank, m.meta_flops if m.meta_flops is not None else float("inf"), len(m.name), m.name, m))
    scored.sort(key=lambda t: t[:4])
    return [t[-1] for t in scored[:limit]]


def find(models: list[ZooModel], name: str) -> ZooModel | None:
    for m in models:
        if m.name == name or name in m.aliases:
            return m
    return None
