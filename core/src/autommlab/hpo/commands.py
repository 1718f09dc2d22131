"""CLI commands of the HPO stage: ``autommlab hpo export|grid|show`` and ``autommlab eval hpo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def hpo_group(cli: click.Group) -> click.Group:
    """The ``hpo`` sub-group, created by whichever plugin registers first (recipe_hpo or hpo_llama)."""
    grp = cli.commands.get("hpo")
    if grp is None:
        grp = click.Group("hpo", help="Hyperparameter optimisation: the trial record, replay tables, adapters.")
        cli.add_command(grp)
    return grp


def _settings():
    """Effective settings, honouring the root ``--config`` option."""
    from ..config import load_config
    ctx = click.get_current_context(silent=True)
    obj = (ctx.find_root().obj or {}) if ctx else {}
    if "config" in obj:
        return obj["config"].settings
    return load_config(obj.get("config_path")).settings


@click.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write JSONL here (default: stdout).")
@click.option("--task", default=None, help="Only trials of this task.")
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Trial record to read (default: <home>/trials.jsonl).")
def export_cmd(output: Path | None, task: str | None, store_path: Path | None) -> None:
    """Export every recorded trial (request, data, model, hparams, metrics, time) as JSONL."""
    from rich.console import Console

    from .store import TrialStore, default_store
    store = TrialStore(store_path) if store_path else default_store(_settings().home_dir)
    lines = [r.model_dump_json() for r in store if task is None or r.task == task]
    text = "".join(line + "\n" for line in lines)
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        Console(stderr=True).print(f"{len(lines)} trial(s) from {store.path} -> {output}")


@click.command("grid")
@click.argument("text")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Replay table (JSONL of trial records) to append to.")
@click.option("--work-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("runs/hpo-grid"),
              help="Where the data subset and the trials' checkpoints go.")
@click.option("--model", "model_name", default=None, help="Train this offered model instead of the top-ranked one.")
@click.option("--iters", type=click.IntRange(min=1), default=None, help="Iterations per trial (default: recipe).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N grid configs.")
def grid_cmd(text: str, output: Path, work_dir: Path, model_name: str | None, iters: int | None,
             batch_size: int | None, limit: int | None) -> None:
    """Train a small grid of REAL trials for request TEXT and record them (a table for `eval hpo`)."""
    from rich.console import Console

    from .grid import collect
    console = Console()
    trials = collect(_settings(), text, output, work_dir / "run", model_name=model_name, iters=iters,
                     batch_size=batch_size, limit=limit, log=lambda m: console.print(m, markup=False))
    console.print(f"{len(trials)} new trial(s) appended to {output}")


@click.command("show")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--markdown", "md_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the tables as markdown.")
def show_cmd(table: Path, md_out: Path | None) -> None:
    """Show the trials of a replay table (or an exported trial record), one table per task/model/datasets."""
    from rich.console import Console
    from rich.table import Table

    from ..errors import UsageError
    from . import show
    from .replay import group_records
    from .store import read_records

    groups = group_records(read_records(table), keep_failed=True)
    if not groups:
        raise UsageError(f"{table}: no trial records in it")
    console = Console()
    for g in groups:
        t = Table(title=show.group_title(g))
        for col in show.group_header(g):
            t.add_column(col, justify="right" if col not in ("optimizer", "schedule", "status") else "left")
        for row in show.group_rows(g):
            t.add_row(*row)
        console.print(t)
    if md_out:
        md_out.write_text(show.markdown(groups))


@click.command("hpo")
@click.option("--table", "-t", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Recorded trials (JSONL of trial records, e.g. from `autommlab hpo grid`).")
@click.option("--strategy", "-s", "strategies", multiple=True,
              help="Plugin to replay, optionally with config: optuna_hpo:sampler=gp (default: all installed).")
@click.option("--proposals", default="1,3,5", show_default=True, help="Report the best after these many proposals.")
@click.option("--seeds", type=click.IntRange(min=1), default=5, show_default=True, help="Replays per strategy.")
@click.option("--budget-scale", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Scale of the table's iteration ranges when its records do not say.")
@click.option("--min-spread", type=click.FloatRange(min=0), default=0.005, show_default=True,
              help="Leave out groups whose recorded metrics span no more than this (e.g. every AP near 0).")
@click.option("--markdown", "md_out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the comparison as a markdown table.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), default=None)
def eval_hpo_cmd(table: Path, strategies: tuple[str, ...], proposals: str, seeds: int, budget_scale: float | None,
                 min_spread: float, md_out: Path | None, json_out: Path | None) -> None:
    """Replay HPO strategies on a table of real trials; best metric after 1, 3, 5 proposals, normalised."""
    from rich.console import Console
    from rich.table import Table

    from ..errors import UsageError
    from ..plugins import PluginManager
    from .evaluate import default_strategies, evaluate, markdown
    from .replay import group_records
    from .store import read_records

    try:
        ns = sorted({int(x) for x in proposals.split(",") if x.strip()})
    except ValueError as e:
        raise UsageError(f"--proposals {proposals!r}: expected comma-separated integers") from e
    if not ns or ns[0] < 1:
        raise UsageError(f"--proposals {proposals!r}: expected positive integers")
    settings = _settings()
    groups = group_records(read_records(table), budget_scale or settings.hpo.budget_scale)
    if not groups:
        raise UsageError(f"{table}: no group with a finished trial to replay against")
    flat = [g for g in groups if g.is_flat(min_spread)]
    groups = [g for g in groups if not g.is_flat(min_spread)]
    if not groups:
        raise UsageError(f"{table}: every group is flat ({'; '.join(g.describe_flat() for g in flat)})")
    specs = list(strategies) or default_strategies(
        PluginManager(disabled=settings.disabled_plugins, modules=settings.plugin_modules))
    results = evaluate(groups, specs, settings, ns, seeds)
    console = Console()
    if not console.is_terminal:  # piped into a file: do not squeeze the table into 80 columns
        console = Console(width=140)
    by = {(r.strategy, r.group): r for r in results}
    for g in groups:
        t = Table(title=f"{g.label}: {len(g.records)} recorded trials, {g.records[0].primary_metric} "
                        f"{g.low:.4f}..{g.high:.4f}, budget scale {g.scale:g}")
        t.add_column("strategy", no_wrap=True)
        for n in ns:
            t.add_column(f"@{n}", justify="right", no_wrap=True)
        t.add_column("configs hit", justify="right", no_wrap=True)
        t.add_column("mean dist", justify="right", no_wrap=True)
        for spec in specs:
            r = by[(spec, g.label)]
            if r.error:
                t.add_row(spec, *["-"] * len(ns), "-", "-")
            else:
                t.add_row(spec, *[f"{r.mean[n]:.2f}±{r.sd[n]:.2f}" for n in ns], f"{r.distinct:.1f}",
                          f"{r.mean_distance:.2f}")
        console.print(t)
    console.print(f"Normalised best metric after n proposals, (best - min) / (max - min) over the table; mean±sd "
                  f"of {seeds} seeds. Each proposal was answered with the metric of the NEAREST recorded "
                  "configuration (normalised hparam space); no training ran.", markup=False)
    for r in results:
        if r.error:
            console.print(f"{r.strategy} on {r.group} not run: {r.error}", markup=False, highlight=False,
                          style="yellow")
    for g in flat:
        console.print(g.describe_flat(), markup=False, highlight=False, style="yellow")
    if md_out:
        md_out.write_text(markdown(results, groups, ns, seeds, flat) + "\n")
    if json_out:
        json_out.write_text(json.dumps([r.__dict__ for r in results], indent=1, default=str) + "\n")


def register(cli: click.Group) -> None:
    """Add ``hpo export``, ``hpo grid`` and (when the core has an ``eval`` group) ``eval hpo``."""
    grp = hpo_group(cli)
    grp.add_command(export_cmd, "export")
    grp.add_command(grid_cmd, "grid")
    grp.add_command(show_cmd, "show")
    if "eval" in cli.commands:
        cli.commands["eval"].add_command(eval_hpo_cmd, "hpo")
