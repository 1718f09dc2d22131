"""The ``autommlab`` command line: run, parse, plugins, config, eval (+ plugin commands).

Exit codes: 0 success (every stated requirement met), 1 failed run, 2 usage
error (bad option, config, input file or request text), 3 the run finished but
missed a stated requirement.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import click
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.table import Table

from . import __version__
from .config import LoadedConfig, load_config
from .context import Context
from .errors import EXIT_REQUIREMENT_MISSED, AutoMMLabError, StageUnavailable, UsageError
from .hookspecs import STAGE_HOOKS
from .plugins import PluginManager
from .textinput import check_request_text, read_request_file

console = Console(stderr=True)
out = Console()

#: the main job's embedded default: a request the built-in demo data pool serves on a CPU in minutes
DEMO_REQUEST = ("Classify circles, squares and triangles in photos of shapes. I need at least 80% accuracy, "
                "and it must run on a CPU with ONNX Runtime at 50 FPS or more.")
#: budget for --demo: 0.15 of the paper's iteration range (750 iterations for classification), three trials;
#: on 2 quiet CPU cores about 13.5 minutes (measured 2026-12-04: trials 0.707, 0.467, 0.800; with two trials the
#: run stops at 0.707 and misses the 80% target; a twentieth of the range was too short: 0.57)
DEMO_SETTINGS = {"hpo.budget_scale": 0.15, "hpo.max_trials": 3, "deploy.latency_runs": 100}


# ---------------------------------------------------------------------------- helpers
class _ProgressHandle:
    def __init__(self, progress: Progress, task: Any):
        self._p, self._t = progress, task

    def update(self, advance: float = 1, **info: Any) -> None:
        text = "  ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in info.items())
        self._p.update(self._t, advance=advance, info=text)

    def set_total(self, total: int | None) -> None:
        self._p.update(self._t, total=total)


@contextlib.contextmanager
def rich_progress(description: str, total: int | None) -> Iterator[_ProgressHandle]:
    """A rich progress bar for long work (bar, count, elapsed, ETA, live info such as loss)."""
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[info]}"),
                  console=console) as prog:
        task = prog.add_task(description, total=total, info="")
        yield _ProgressHandle(prog, task)


def _loaded(ctx: click.Context) -> LoadedConfig:
    obj = ctx.ensure_object(dict)
    if "config" not in obj:
        obj["config"] = load_config(obj.get("config_path"))
    return obj["config"]


_REGISTERED: PluginManager | None = None  # the manager that registered plugin commands


def _manager(ctx: click.Context) -> PluginManager:
    """The plugin manager under the effective config's [stages] and disabled_plugins."""
    obj = ctx.ensure_object(dict)
    if "pm" not in obj:
        s = _loaded(ctx).settings
        if _REGISTERED is not None and _REGISTERED.registers_same_plugins(s.disabled_plugins, s.plugin_modules):
            _REGISTERED.configure_stages(s.stages)
            obj["pm"] = _REGISTERED
        else:
            obj["pm"] = PluginManager(stages=s.stages, disabled=s.disabled_plugins, modules=s.plugin_modules)
    return obj["pm"]


def _log(msg: str) -> None:
    console.print(f"{time.strftime('%H:%M:%S')} {msg}", markup=False, highlight=False)


# ---------------------------------------------------------------------------- root group
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Config file (default: ./autommlab.toml or $AUTOMMLAB_CONFIG).")
@click.version_option(__version__, prog_name="autommlab")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """AutoMMLab: one paragraph in, a trained and deployed vision model and a report out.

    \b
    Quick start:
      autommlab run --demo                      # the embedded default request on the demo data
      autommlab run "Detect pedestrians ... at least 30 FPS on CPU with ONNX Runtime"
      autommlab run --resume runs/<dir>         # continue an interrupted run
      autommlab plugins                         # what is installed and who serves each stage
    """
    ctx.ensure_object(dict)["config_path"] = config_path


@cli.command()
@click.argument("text", required=False)
@click.option("--file", "text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the request from a file.")
@click.option("--demo", is_flag=True, help=f"Run the embedded default request on the demo data pool: {DEMO_REQUEST!r}")
@click.option("--resume", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Continue a run directory from its first unfinished stage or trial.")
@click.option("--max-trials", type=click.IntRange(min=1), help="Override hpo.max_trials.")
@click.option("--budget-scale", type=click.FloatRange(0, 1, min_open=True), help="Override hpo.budget_scale.")
@click.option("--run-dir", type=click.Path(file_okay=False, path_type=Path), help="Override run_dir.")
@click.option("--batch", "batch_in", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='Run every request of a JSONL file (lines {"id", "requirement"}), one run directory each.')
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --batch: requests run at once (their trials share the configured executor).")
@click.pass_context
def run(ctx: click.Context, text: str | None, text_file: Path | None, demo: bool, resume: Path | None,
        max_trials: int | None, budget_scale: float | None, run_dir: Path | None, batch_in: Path | None,
        jobs: int) -> None:
    """Run a request end to end: parse, data, model, HPO, deploy, report."""
    from .pipeline import Pipeline
    given = [x for x in (text, text_file, demo or None, resume, batch_in) if x]
    if len(given) != 1:
        raise UsageError("give exactly one of TEXT, --file, --demo, --resume or --batch (see autommlab run --help)")
    loaded = _loaded(ctx)
    overrides: dict[str, Any] = dict(DEMO_SETTINGS) if demo else {}
    if max_trials:
        overrides["hpo.max_trials"] = max_trials
    if budget_scale:
        overrides["hpo.budget_scale"] = budget_scale
    if run_dir:
        overrides["run_dir"] = str(run_dir)
    settings = _apply_overrides(loaded, overrides)
    if batch_in:
        _run_batch(settings, _manager(ctx), batch_in, jobs)
    pipeline = Pipeline(settings, _manager(ctx), log=_log, progress_factory=rich_progress)
    if resume:
        result = pipeline.resume(resume)
    else:
        request_text = DEMO_REQUEST if demo else (read_request_file(text_file) if text_file else check_request_text(text))
        result = pipeline.run(request_text)
    _print_summary(result)
    if result.failed_stage:
        sys.exit(1)
    if result.requirements_met is False:
        sys.exit(EXIT_REQUIREMENT_MISSED)


def _run_batch(settings, pm: PluginManager, batch_in: Path, jobs: int) -> None:
    """``run --batch``: every request, a summary table, exit code the worst of the runs (``batch.py``)."""
    from .batch import read_batch, run_batch, worst
    from .pipeline import Pipeline
    items = read_batch(batch_in)
    bars = rich_progress if jobs == 1 else None  # one live progress display at a time
    run_batch(items, lambda log: Pipeline(settings, pm, log=log, progress_factory=bars), jobs, _log,
              Path(settings.run_dir))
    t = Table(title=f"Batch {batch_in.name}: {len(items)} request(s)")
    for col in ("id", "exit", "best model", "metric", "run directory / error"):
        t.add_column(col)
    colour = {0: "green", 3: "yellow"}
    for i in items:
        t.add_row(escape(i.id), f"[{colour.get(i.exit_code, 'red')}]{i.exit_code}[/]", escape(i.best_model or "-"),
                  f"{i.metric} {i.score:.4f}" if i.score is not None else "-",
                  escape(i.run_dir or "") + (f" [red]{escape(i.error)}[/]" if i.error else ""))
    out.print(t)
    sys.exit(worst([i.exit_code for i in items]))


def _apply_overrides(loaded: LoadedConfig, overrides: dict[str, Any]):
    data = loaded.settings.model_dump()
    for dotted, value in overrides.items():
        d = data
        *parents, last = dotted.split(".")
        for p in parents:
            d = d[p]
        d[last] = value
    return type(loaded.settings).model_validate(data)


def _print_summary(result) -> None:
    if result.requirements:
        t = Table(title="Requirements", show_lines=False)
        for col in ("requirement", "measured", "met"):
            t.add_column(col)
        for r in result.requirements:
            t.add_row(escape(r.requirement), escape(r.measured), "[green]yes[/]" if r.met else "[red]no[/]")
        console.print(t)
        from .chance import not_usable

        if (bad := not_usable(result.requirements)) is not None:
            console.print(f"[red bold]the model is NOT USABLE[/]: {escape(bad.measured)}", highlight=False)
    if result.failed_stage:
        console.print(f"[red]run stopped at {result.failed_stage}[/]: {escape(result.error or '')}", highlight=False)
        console.print(f"resume with: autommlab run --resume {result.run_dir}")
    console.print(f"report: {result.run_dir / 'report.md'}")
    if (result.run_dir / "report.html").is_file():
        console.print(f"report: {result.run_dir / 'report.html'}")


@cli.command()
@click.argument("text", required=False)
@click.option("--batch", "batch_in", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL with lines {"id", "requirement"}.')
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Where --batch writes its JSONL.")
@click.pass_context
def parse(ctx: click.Context, text: str | None, batch_in: Path | None, output: Path | None) -> None:
    """Parse a request and print the AutoMMLab parse as JSON (or a whole JSONL file with --batch)."""
    pm = _manager(ctx)
    settings = _loaded(ctx).settings
    if batch_in is None:
        if not text:
            raise UsageError("give the request TEXT, or --batch IN.jsonl --output OUT.jsonl")
        request = pm.call_single("parse", Context(config=settings, log=_log), text=check_request_text(text))
        out.print_json(json.dumps(request.to_json_dict()))
        return
    if output is None:
        raise UsageError("--batch needs --output OUT.jsonl")
    _parse_batch(pm, settings, batch_in, output)


def _parse_batch(pm: PluginManager, settings, batch_in: Path, output: Path) -> None:
    try:
        lines = batch_in.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise UsageError(f"--batch {batch_in}: not UTF-8 text ({e})") from e
    ok = failed = 0
    with open(output, "w", encoding="utf-8") as fout, rich_progress("parse", len(lines)) as bar:
        for n, line in enumerate(lines, 1):
            bar.update(1)
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                rid, text = item["id"], item["requirement"]
            except (ValueError, KeyError, TypeError) as e:
                raise UsageError(f"{batch_in}:{n}: expected a JSON object with 'id' and 'requirement' ({e})") from e
            try:
                request = pm.call_single("parse", Context(config=settings),
                                         text=check_request_text(text, f"{batch_in}:{n} requirement"))
                fout.write(json.dumps({"id": rid, "parse": request.to_json_dict()}) + "\n")
                ok += 1
            except StageUnavailable:
                raise  # no parser at all: every line would fail the same way
            except Exception as e:  # one bad request must never end the batch
                msg = str(e) if isinstance(e, (AutoMMLabError, ValidationError)) else f"{type(e).__name__}: {e}"
                fout.write(json.dumps({"id": rid, "error": msg}) + "\n")
                failed += 1
    console.print(f"parsed {ok}, errors {failed} -> {output}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_context
def plugins(ctx: click.Context, as_json: bool) -> None:
    """List installed plugins, the hooks each implements, and which plugin serves each stage."""
    pm = _manager(ctx)
    infos = pm.plugins()
    stages = {}
    for stage in STAGE_HOOKS:
        try:
            stages[stage] = pm.chosen(stage)
        except AutoMMLabError as e:
            stages[stage] = f"error: {e}"
    if as_json:
        out.print_json(json.dumps({"plugins": [vars(i) for i in infos], "stages": stages}))
        return
    t = Table(title="Installed plugins")
    for col in ("name", "distribution", "version", "hooks", "status"):
        t.add_column(col)
    for i in infos:
        hooks = ", ".join(h.removeprefix("autommlab_") for h in i.hooks if h != "autommlab_plugin_info")
        status = "[red]" + escape(i.error) + "[/]" if i.error else "ok"
        if i.opt_in:
            status += f" (only when [stages] names it: {', '.join(i.opt_in)})"
        t.add_row(i.name + (" (built-in)" if i.builtin else ""), i.distribution or "-", i.version or "-", hooks, status)
    out.print(t)
    s = Table(title="Stages (in call order; single-answer stages stop at the first answer)")
    s.add_column("stage")
    s.add_column("kind")
    s.add_column("plugins")
    for stage, (_, single) in STAGE_HOOKS.items():
        who = stages[stage]
        s.add_row(stage, "single" if single else "collect",
                  who if isinstance(who, str) else (", ".join(who) or "[red]none installed[/]"))
    out.print(s)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_context
def config(ctx: click.Context, as_json: bool) -> None:
    """Print the effective configuration and where each value came from."""
    loaded = _loaded(ctx)
    rows = loaded.rows()
    if as_json:
        out.print_json(json.dumps({k: {"value": v, "source": src} for k, v, src in rows}, default=str))
        return
    t = Table(title=f"Effective configuration (file: {loaded.path or 'none'})")
    for col in ("key", "value", "source"):
        t.add_column(col)
    for k, v, src in rows:
        t.add_row(k, json.dumps(v, default=str), src)
    out.print(t)


@cli.group(name="eval")
def eval_group() -> None:
    """Evaluate stages against gold data (sub-commands come from plugins)."""


@cli.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--latency-runs", type=click.IntRange(min=1), help="Override deploy.latency_runs.")
@click.pass_context
def benchmark(ctx: click.Context, run_dir: Path, latency_runs: int | None) -> None:
    """Export the best trial of RUN_DIR to every installed backend that can run here; print one table."""
    from .benchmark import print_benchmark

    settings = _apply_overrides(_loaded(ctx), {"deploy.latency_runs": latency_runs} if latency_runs else {})
    print_benchmark(settings, _manager(ctx), run_dir, out, log=_log, progress_factory=rich_progress)


def _register_plugin_commands() -> None:
    """Let installed plugins add their commands (``autommlab_register_commands``)."""
    global _REGISTERED
    try:
        s = load_config().settings
        pm = PluginManager(disabled=s.disabled_plugins, modules=s.plugin_modules)
    except AutoMMLabError:
        pm = PluginManager()  # a bad config is reported by the command that reads it
    for impl in pm.hook.autommlab_register_commands.get_hookimpls():
        try:
            impl.function(cli=cli)
        except Exception as e:  # one broken plugin must not take the whole CLI down
            console.print(f"[yellow]warning:[/] plugin {impl.plugin_name} could not add its commands: "
                          f"{escape(f'{type(e).__name__}: {e}')}", highlight=False)
    _REGISTERED = pm


def main(argv: list[str] | None = None) -> None:
    """Console entry point: map errors to exit codes and clear messages."""
    try:
        _register_plugin_commands()
        cli.main(args=argv, prog_name="autommlab", standalone_mode=False)
    except click.exceptions.Abort:
        console.print("aborted")
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except AutoMMLabError as e:
        console.print(f"[red]error:[/] {escape(str(e))}", highlight=False)
        sys.exit(e.exit_code)
    except ValidationError as e:
        console.print(f"[red]invalid data:[/] {escape(str(e))}", highlight=False)
        sys.exit(2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        console.print("interrupted; resume a run with `autommlab run --resume DIR`")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
