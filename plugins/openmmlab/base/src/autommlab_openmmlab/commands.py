"""``autommlab models``: show the zoo with cached complexity, build the cache, benchmark training.

Imports no torch at import time; ``index`` and ``bench`` import it when run.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
from rich.console import Console
from rich.table import Table

from autommlab.schemas import TASKS

from . import complexity, zoo
from .registry import installed_specs



def _console() -> Console:
    return Console()  # created per command so COLUMNS and redirection are honoured


def _settings():
    from autommlab.config import load_config

    return load_config().settings


def _specs(task: str | None):
    specs = [s for s in installed_specs().values() if task is None or s.task == task]
    if not specs:
        raise click.ClickException(f"no OpenMMLab codebase plugin installed for {task or 'any task'}")
    return specs


@click.group(invoke_without_command=True)
@click.option("--task", type=click.Choice(TASKS), default=None, help="only this task")
@click.option("--all", "show_all", is_flag=True, help="also list zoo models without cached complexity")
@click.pass_context
def models(ctx: click.Context, task: str | None, show_all: bool) -> None:
    """Zoo models of the installed OpenMMLab plugins, with params/FLOPs from the cache."""
    if ctx.invoked_subcommand is not None:
        return
    console = _console()
    home = _settings().home_dir
    cache = complexity.load_cache(home)
    table = Table(title=f"OpenMMLab zoo (complexity cache: {complexity.cache_path(home)})")
    for col in ("codebase", "model", "family", "dataset", "reported", "input", "head", "params (M)", "FLOPs (G)"):
        table.add_column(col)
    shown = hidden = 0
    for spec in _specs(task):
        for m in zoo.load_zoo(spec):
            entries = {k: v for k, v in cache.items() if k.startswith(f"{spec.name}/{m.name}@")}
            if not entries and not show_all:
                hidden += 1
                continue
            rep = ", ".join(f"{k}={v:.3f}" for k, v in m.reported_metrics.items())
            for key, e in (entries.items() or [(None, None)]):
                size = "x".join(map(str, e["input_size"])) if e else "-"
                head = key.rsplit("nc=", 1)[1] if key else "-"
                table.add_row(spec.name, m.name, m.family, m.source_dataset, rep, size, head,
                              f"{e['params_m']:.2f}" if e else "-", f"{e['flops_g']:.3f}" if e else "-")
                shown += 1
    console.print(table)
    if hidden:
        console.print(f"{hidden} more zoo models have no cached complexity: `autommlab models index` computes it "
                      f"(or `--all` lists them).")


@models.command("index")
@click.option("--task", type=click.Choice(TASKS), default=None)
@click.option("--num-classes", type=int, default=None, help="head size to compute for (default: the zoo's own)")
@click.option("--limit", type=int, default=None, help="at most this many models per codebase")
@click.option("--model", "names", multiple=True, help="only these zoo model names")
def index(task: str | None, num_classes: int | None, limit: int | None, names: tuple[str, ...]) -> None:
    """Compute params and FLOPs of zoo models at the input size they train at (slow on CPU)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = _console()
    home = _settings().home_dir
    work = []
    for spec in _specs(task):
        ms = [m for m in zoo.load_zoo(spec) if not names or m.name in names]
        work += [(spec, m) for m in ms[:limit]]
    failed = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console) as bar:
        t = bar.add_task("complexity", total=len(work))
        for spec, m in work:
            bar.update(t, description=f"{spec.name}: {m.name}")
            try:
                complexity.get(spec, m, home, num_classes=num_classes)
            except Exception as e:  # one zoo config that does not build here must not stop the index
                failed.append(f"{spec.name}/{m.name}: {type(e).__name__}: {str(e).splitlines()[0][:160]}")
            bar.advance(t)
    console.print(f"indexed {len(work) - len(failed)} of {len(work)} models into {complexity.cache_path(home)}")
    for f in failed:
        console.print(f"[yellow]could not build[/] {f}")


@models.command("bench")
@click.option("--task", type=click.Choice(TASKS), default=None)
@click.option("--iters", type=int, default=20, show_default=True)
@click.option("--batch-size", type=int, default=4, show_default=True)
@click.option("--device", default="cpu", show_default=True)
@click.option("--json-out", type=click.Path(dir_okay=False), default=None, help="also write the results here")
def bench(task: str | None, iters: int, batch_size: int, device: str, json_out: str | None) -> None:
    """Train the default small model of each task on a synthetic set: s/iter and peak RSS (one process per task)."""
    console = _console()
    rows = []
    for spec in _specs(task):
        cmd = [sys.executable, "-m", "autommlab_openmmlab.bench", spec.name, str(iters), str(batch_size), device]
        console.print(f"[bold]{spec.name}[/]: {' '.join(cmd[1:])}")
        out = subprocess.run(cmd, capture_output=True, text=True)
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("BENCH ")]
        if out.returncode != 0 or not lines:
            console.print(f"[red]{spec.name} failed[/]:\n{out.stderr[-2000:]}")
            continue
        rows.append(json.loads(lines[-1][6:]))
    table = Table(title=f"training speed on {device} (batch {batch_size}, {iters} iters, synthetic images)")
    for col in ("task", "model", "input", "s/iter (median)", "peak RSS (MiB)", "threads"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["task"], r["model"], "x".join(map(str, r["input_size"])), f"{r['s_per_iter']:.3f}",
                      f"{r['peak_rss_mib']:.0f}", str(r["threads"]))
    console.print(table)
    if json_out:
        with open(json_out, "w") as f:
            json.dump(rows, f, indent=1)
