"""``autommlab eval hpo``: every strategy replayed on every group, aggregated and rendered.

In: groups of recorded trials (``replay.group_records``), strategy specs
("recipe_hpo", "optuna_hpo:sampler=gp"), the settings. Out: per strategy and
group the mean normalised best metric after each n in ``ns`` (over seeds), plus
a markdown table.
"""

from __future__ import annotations

import statistics
import tomllib
from dataclasses import dataclass, field
from typing import Any

from ..config import Settings
from ..context import Context
from ..errors import AutoMMLabError, UsageError
from ..plugins import PluginManager
from .replay import Group, replay


@dataclass
class Strategy:
    spec: str
    plugin: str
    overrides: dict[str, Any]


def parse_strategy(spec: str) -> Strategy:
    """``name`` or ``name:key=value,key=value`` (values read as TOML scalars, else strings)."""
    name, _, rest = spec.partition(":")
    if not name.strip():
        raise UsageError(f"--strategy {spec!r}: empty plugin name")
    overrides: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, raw = part.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--strategy {spec!r}: expected key=value, got {part!r}")
        try:
            overrides[key.strip()] = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            overrides[key.strip()] = raw.strip()
    return Strategy(spec, name.strip(), overrides)


def default_strategies(pm: PluginManager) -> list[str]:
    """Every installed propose-hparams plugin; Optuna twice (TPE and GP)."""
    out = []
    for name in sorted(pm.implementers("propose_hparams")):
        out += [f"{name}:sampler=tpe", f"{name}:sampler=gp"] if name == "optuna_hpo" else [name]
    return out


def make_proposer(strategy: Strategy, settings: Settings):
    """A ``replay.Proposer`` calling the strategy's plugin through the plugin manager (as the pipeline does)."""
    pm = PluginManager(stages={"propose_hparams": strategy.plugin}, disabled=settings.disabled_plugins,
                       modules=settings.plugin_modules)
    base = settings.model_dump()

    def propose(request, data, model, history, scale, seed):
        raw = dict(base)
        raw["hpo"] = dict(raw["hpo"], budget_scale=scale, seed=seed)
        plugins = {k: dict(v) for k, v in raw.get("plugins", {}).items()}
        plugins[strategy.plugin] = dict(plugins.get(strategy.plugin, {}), **strategy.overrides, seed=seed)
        raw["plugins"] = plugins
        raw["stages"] = dict(raw.get("stages", {}), propose_hparams=strategy.plugin)
        ctx = Context(config=Settings.model_validate(raw))
        return pm.call_single("propose_hparams", ctx, request=request, data=data, model=model, history=history)

    return propose


@dataclass
class Result:
    strategy: str
    group: str
    mean: dict[int, float] = field(default_factory=dict)  # n -> mean normalised best over seeds
    sd: dict[int, float] = field(default_factory=dict)
    distinct: float = 0.0  # mean number of distinct recorded configs hit
    mean_distance: float = 0.0
    error: str | None = None


def evaluate(groups: list[Group], specs: list[str], settings: Settings, ns: list[int], seeds: int) -> list[Result]:
    """Replay each strategy ``seeds`` times on each group for ``max(ns)`` proposals."""
    results = []
    n_max = max(ns)
    for spec in specs:
        strat = parse_strategy(spec)
        try:
            propose = make_proposer(strat, settings)
        except AutoMMLabError as e:
            results += [Result(spec, g.label, error=str(e)) for g in groups]
            continue
        for g in groups:
            res = Result(spec, g.label)
            runs = []
            try:
                for seed in range(seeds):
                    runs.append(replay(g, propose, n_max, seed=seed))
            except AutoMMLabError as e:
                lines = str(e).splitlines()
                res.error = lines[1].strip().lstrip("- ") if len(lines) > 1 else str(e)
                results.append(res)
                continue
            for n in ns:
                vals = [r.best_norm(g, n) for r in runs]
                res.mean[n] = statistics.fmean(vals)
                res.sd[n] = statistics.pstdev(vals)
            res.distinct = statistics.fmean(len(set(r.answered)) for r in runs)
            res.mean_distance = statistics.fmean(d for r in runs for d in r.distances)
            results.append(res)
    return results


def markdown(results: list[Result], groups: list[Group], ns: list[int], seeds: int,
             flat: list[Group] = ()) -> str:
    """A markdown table: one row per strategy, columns group@n, then the mean over groups; ``flat`` groups
    (every trial reached the same metric) are named in the notes."""
    head = ["strategy"] + [f"{g.label} @{n}" for g in groups for n in ns] + [f"mean @{n}" for n in ns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by = {(r.strategy, r.group): r for r in results}
    for spec in dict.fromkeys(r.strategy for r in results):
        row = [spec]
        per_n: dict[int, list[float]] = {n: [] for n in ns}
        for g in groups:
            r = by[(spec, g.label)]
            for n in ns:
                if r.error:
                    row.append("-")
                else:
                    row.append(f"{r.mean[n]:.2f}")
                    per_n[n].append(r.mean[n])
        row += [f"{statistics.fmean(per_n[n]):.2f}" if per_n[n] else "-" for n in ns]
        lines.append("| " + " | ".join(row) + " |")
    notes = [f"Normalised best metric after n proposals, (best - min) / (max - min) over the table's trials "
             f"of that task; mean over {seeds} seeds. Each proposal was answered with the result of the "
             f"NEAREST recorded configuration (normalised hparam space), not a new training."]
    for r in results:
        if r.error:
            notes.append(f"- {r.strategy} on {r.group}: not run: {r.error}")
    notes += [f"- {g.describe_flat()}" for g in flat]
    return "\n".join(lines + [""] + notes)
