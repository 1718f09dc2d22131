"""``autommlab models``: show the zoo with cached complexity, build the cache, benchmark training,
fetch zoo weights for offline use and list/prune the weights cache.

Imports no torch at import time; ``index`` and ``bench`` import it when run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def _zoo_weights() -> dict[str, list[tuple[str, str]]]:
    """weight file name -> [(codebase, zoo model name)] over the installed codebases."""
    from .weights import file_name

    out: dict[str, list[tuple[str, str]]] = {}
    for spec in installed_specs().values():
        for m in zoo.load_zoo(spec):
            if m.weights and (f := file_name(m.weights)):
                out.setdefault(f, []).append((spec.name, m.name))
    return out


def _find_urls(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label, URL) for each zoo model name/alias or URL; a name no installed zoo knows is a usage error."""
    from autommlab.errors import UsageError

    found, unknown = [], []
    for name in names:
        if name.startswith(("http://", "https://")):
            found.append((name, name))
            continue
        hit = next(((s, m) for s in installed_specs().values() if (m := zoo.find(zoo.load_zoo(s), name))), None)
        if hit is None:
            unknown.append(name)
        elif not hit[1].weights:
            raise UsageError(f"zoo model {name!r} ({hit[0].name}) names no weights to fetch")
        else:
            found.append((f"{hit[0].name}/{hit[1].name}", hit[1].weights))
    if unknown:
        raise UsageError(f"no installed zoo model is named {', '.join(map(repr, unknown))} "
                         f"(`autommlab models --all` lists them; a URL works too)")
    return found


def _download_bar(console: Console):
    """A progress factory for ``download.download``: MB done/total, the downloader's speed text."""
    import contextlib

    from rich.progress import BarColumn, Progress, TextColumn

    @contextlib.contextmanager
    def factory(description: str, total):
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                      console=console, transient=True) as bar:
            t = bar.add_task(description, total=total, info="")

            class Handle:
                def update(self, advance: float = 1, **info) -> None:
                    bar.update(t, advance=advance, info="  ".join(f"{k} {v}" for k, v in info.items()))

            yield Handle()

    return factory


@models.command("fetch")
@click.argument("names", nargs=-1, required=True)
@click.option("--to", "dest", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="write the files into this folder (e.g. a weights_dir to carry to an air-gapped machine) "
                   "instead of the cache")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              help="seconds without data before a try fails (default: download_timeout_s, 30)")
@click.option("--tries", type=click.IntRange(min=1), default=None, help="tries per file (default: download_tries, 3)")
def fetch(names: tuple[str, ...], dest: Path | None, timeout: float | None, tries: int | None) -> None:
    """Download the zoo weights of NAMES (zoo model names or URLs) once, verified, for later offline runs."""
    from autommlab.context import Context
    from autommlab.errors import RunFailed, UsageError

    from . import weights

    settings = _settings()
    if settings.offline:
        raise UsageError("offline = true (config or AUTOMMLAB_OFFLINE): `autommlab models fetch` needs the network")
    ctx = Context(config=settings)
    timeout = timeout or weights.setting(ctx, "openmmlab", "download_timeout_s")
    tries = tries or int(weights.setting(ctx, "openmmlab", "download_tries"))
    console = _console()
    failed = []
    for label, url in _find_urls(names):
        try:
            r = weights.fetch(url, settings.home_dir, timeout=timeout, tries=tries, progress=_download_bar(console),
                              dest_dir=dest)
        except RunFailed as e:
            failed.append(label)
            console.print(f"[red]{label}[/]: {e}", highlight=False)
            continue
        check = {True: "sha256 matches its name", None: "its name carries no hash to check"}[r.verified]
        how = "downloaded" if r.source == "download" else "already there"
        console.print(f"{label}: {how} {r.path} ({r.path.stat().st_size / 1e6:.1f} MB, sha256 {r.sha256}; {check})",
                      highlight=False)
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(names)} could not be fetched: {', '.join(failed)}")


@models.command("cache")
@click.option("--prune", is_flag=True,
              help="delete partial downloads, files that fail their hash check and files no installed zoo model names")
def cache_cmd(prune: bool) -> None:
    """List the downloaded zoo weights (<home>/weights) and, with --prune, clean the cache."""
    from . import download as dl
    from . import weights

    console = _console()
    d = weights.cache_dir(_settings().home_dir)
    files = sorted(p for p in d.glob("*") if p.is_file() and not p.name.endswith((".json", ".tmp"))) if d.is_dir() else []
    users = _zoo_weights()
    table = Table(title=f"zoo weights cache: {d}")
    for col in ("file", "MB", "check", "used by", "source"):
        table.add_column(col)
    removed, freed = [], 0
    for p in files:
        size = p.stat().st_size
        if p.name.endswith(".part"):
            check, drop = "partial download (the next fetch resumes it)", True
        else:
            expected = dl.expected_prefix(p.name)
            sha = weights.cached_sha256(p)
            check = ("no hash in name" if not expected else "sha256 ok" if sha.startswith(expected)
                     else f"MISMATCH: {sha[:12]}... vs {expected}")
            drop = check.startswith("MISMATCH") or p.name not in users
        used = ", ".join(f"{c}/{n}" for c, n in users.get(p.name.removesuffix(".part"), [])) or "-"
        table.add_row(p.name, f"{size / 1e6:.1f}", check, used, weights.read_sidecar(p).get("url") or "-")
        if prune and drop:
            p.unlink()
            (p.with_name(p.name + ".json")).unlink(missing_ok=True)
            removed.append(p.name)
            freed += size
    console.print(table)
    total = sum(p.stat().st_size for p in files if p.exists())
    console.print(f"{len(files) - len(removed)} files, {total / 1e6:.1f} MB (torch's hub cache, also searched and not "
                  f"managed here: {weights.hub_dir()})", highlight=False)
    if prune:
        console.print(f"pruned {len(removed)} files ({freed / 1e6:.1f} MB)" + (f": {', '.join(removed)}" if removed else ""))
