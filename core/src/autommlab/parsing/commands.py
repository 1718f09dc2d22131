"""``autommlab eval ru --data GOLD.jsonl``: LAMP accuracy of the configured parse stage."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .lamp import ITEM_KEYS, LIST_KEYS


def _parse_fn(click_ctx: click.Context, plugin: str | None):
    """A text -> Request function calling the parse stage through the plugin manager."""
    from ..cli import _loaded, _log, _manager
    from ..context import Context

    pm = _manager(click_ctx)
    settings = _loaded(click_ctx).settings
    if plugin:
        pm.configure_stages({**settings.stages, "parse": plugin})

    def parse(text: str):
        return pm.call_single("parse", Context(config=settings, log=_log), text=text)

    return parse, (plugin or ", ".join(pm.chosen("parse")))


@click.command(name="ru")
@click.option("--data", "data", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help='Gold JSONL: lines {"id", "requirement", "parse"}.')
@click.option("--plugin", default=None, help="Parse plugin to evaluate (default: the configured parse stage).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report (with every error) as JSON.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write each request's parse (or null) as JSONL.")
@click.option("--show-errors", default=20, show_default=True, help="How many wrong keys to list.")
@click.pass_context
def eval_ru(ctx: click.Context, data: Path, plugin: str | None, as_json: bool, predictions: Path | None,
            show_errors: int) -> None:
    """Score request understanding with LAMP: item-, list-, key- and request-level accuracy."""
    from rich.console import Console
    from rich.table import Table

    from ..cli import rich_progress
    from ..errors import StageUnavailable
    from .evaluate import evaluate, load_gold

    items = load_gold(data)
    parse, who = _parse_fn(ctx, plugin)
    with rich_progress(f"parse ({who})", len(items)) as bar:
        res = evaluate(items, parse, on_item=lambda it: bar.update(1), fatal=(StageUnavailable,))
    if predictions:
        with open(predictions, "w", encoding="utf-8") as f:
            for it in items:
                f.write(json.dumps({"id": it.id, "parse": res.preds[it.id],
                                    **({"error": res.failures[it.id]} if it.id in res.failures else {})}) + "\n")
    out = Console()
    if as_json:
        out.print_json(json.dumps({"data": str(data), "parser": who, **res.to_dict()}, default=str))
        return
    r = res.report
    out.print(f"LAMP on {data} ({r.n} requests, parser: {who})")
    t = Table(title="Accuracy")
    t.add_column("level")
    t.add_column("accuracy", justify="right")
    for name, v in (("item", r.item_level), ("list", r.list_level), ("key", r.key_level),
                    ("request", r.request_level)):
        t.add_row(name, f"{100 * v:.2f}%")
    out.print(t)
    k = Table(title="Per key")
    for col in ("key", "kind", "accuracy", "wrong"):
        k.add_column(col, justify="right" if col in ("accuracy", "wrong") else "left")
    for key in ITEM_KEYS + LIST_KEYS:
        k.add_row(key, "item" if key in ITEM_KEYS else "list", f"{100 * r.per_key[key]:.2f}%",
                  str(r.wrong_per_key[key]))
    out.print(k)
    out.print(f"unparsed: {r.unparsed}   parse time: mean {res.mean_ms:.2f} ms, median {res.p50_ms:.2f} ms per request")
    for rid, msg in res.failures.items():
        out.print(f"[red]failed[/] {rid}: {msg}", highlight=False)
    if r.errors and show_errors:
        e = Table(title=f"Wrong keys (first {min(show_errors, len(r.errors))} of {len(r.errors)})")
        for col in ("id", "key", "gold", "predicted"):
            e.add_column(col, overflow="fold")
        for err in r.errors[:show_errors]:
            e.add_row(err.id, err.key, json.dumps(err.gold), json.dumps(err.pred))
        out.print(e)


def register(cli: click.Group) -> None:
    """Add ``eval ru`` under the core's ``eval`` group (nothing when the group is absent)."""
    group = cli.commands.get("eval")
    if isinstance(group, click.Group) and "ru" not in group.commands:
        group.add_command(eval_ru, "ru")
