"""``autommlab ru ...``: finetune a RU-LLaMA LoRA adapter, parse with a given model/adapter."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .config import NAME, endpoint_of, settings


@click.group(name="ru")
def ru() -> None:
    """RU-LLaMA: request understanding with a local causal LM (+ LoRA)."""


def _need_stack() -> None:
    from autommlab.errors import UsageError

    from .loading import require_llm_stack

    missing = require_llm_stack()
    if missing:
        raise UsageError(missing)


@ru.command()
@click.option("--data", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help='JSONL: gold lines {"requirement", "parse"} or {"prompt", "completion"} / {"messages"}.')
@click.option("--base", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Local Hugging Face causal-LM directory to adapt.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Where the adapter is written.")
@click.option("--rank", default=8, show_default=True, help="LoRA rank (paper: 8).")
@click.option("--alpha", default=32.0, show_default=True, help="LoRA alpha (paper: 32).")
@click.option("--dropout", default=0.05, show_default=True)
@click.option("--target-modules", default=None, help="Comma-separated module names (default: peft's for the model).")
@click.option("--epochs", default=3.0, show_default=True)
@click.option("--lr", default=2e-4, show_default=True)
@click.option("--batch-size", default=4, show_default=True)
@click.option("--max-length", default=1024, show_default=True, help="Tokens per example (longer are cut).")
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda or auto.")
@click.option("--dtype", default="float32", show_default=True)
@click.option("--seed", default=0, show_default=True)
def finetune(data: Path, base: Path, out_dir: Path, rank: int, alpha: float, dropout: float,
             target_modules: str | None, epochs: float, lr: float, batch_size: int, max_length: int, device: str,
             dtype: str, seed: int) -> None:
    """Train a LoRA adapter on request/parse pairs; use it with --adapter or [plugins.ru_llama] adapter_path."""
    _need_stack()
    from autommlab.cli import rich_progress

    from .finetune import LoraSettings, finetune_lora
    from .pairs import read_ru_pairs

    examples = read_ru_pairs(data)
    s = LoraSettings(rank=rank, alpha=alpha, dropout=dropout, epochs=epochs, lr=lr, batch_size=batch_size,
                     max_length=max_length, seed=seed,
                     target_modules=[m.strip() for m in target_modules.split(",")] if target_modules else None)
    with rich_progress("LoRA finetune", None) as bar:
        def on_step(step: int, total: int, loss: float) -> None:
            bar.set_total(total)
            bar.update(1, loss=loss)
        res = finetune_lora(base, examples, out_dir, s, device=device, dtype=dtype, on_step=on_step)
    click.echo(json.dumps({"adapter": str(res.out_dir), "examples": res.examples, "steps": res.steps,
                           "first_loss": res.losses[0], "last_loss": res.losses[-1],
                           "seconds": round(res.seconds, 2), "trainable_params": res.trainable_params}))


@ru.command(name="parse")
@click.argument("text")
@click.option("--model", "model_path", type=click.Path(file_okay=False, path_type=Path),
              help="Causal-LM directory (default: [plugins.ru_llama] model_path, else its endpoint).")
@click.option("--adapter", type=click.Path(file_okay=False, path_type=Path),
              help="LoRA adapter directory (default: [plugins.ru_llama] adapter_path).")
@click.option("--device", default=None, help="Override the configured device.")
@click.pass_context
def parse_cmd(ctx: click.Context, text: str, model_path: Path | None, adapter: Path | None,
              device: str | None) -> None:
    """Parse TEXT with the LLM (a given model/adapter, else the configured model or endpoint); print the JSON."""
    from autommlab.cli import _loaded
    from autommlab.parsing.rules import precheck

    table = dict(_loaded(ctx).settings.plugins.get(NAME, {}))
    cfg = settings(table)
    if cfg["precheck"]:
        precheck(text)
    parse, _ = _parser(table, cfg, model_path, adapter, device)
    click.echo(json.dumps(parse(text).to_json_dict(), indent=2))


def _parser(table: dict, cfg: dict, model_path: Path | None, adapter: Path | None, device: str | None):
    """(text -> Request, what parses): the local model when a path is given or configured, else the endpoint."""
    from autommlab.errors import UsageError

    path = model_path or cfg.get("model_path")
    ep = None if path else endpoint_of(table)
    if ep is not None:
        from .parser import parse_with_endpoint

        return (lambda text: parse_with_endpoint(text, ep, log=lambda m: click.echo(m, err=True))), ep.model
    if not path:
        raise UsageError(f"no model: pass --model or set model_path (or endpoint + model) in the plugins.{NAME} "
                         f"config table")
    _need_stack()
    from .parser import get_llm, parse_with_llm

    lm = get_llm(path, adapter or cfg.get("adapter_path"), device or cfg["device"], cfg["dtype"])
    return (lambda text: parse_with_llm(text, lm, int(cfg["max_new_tokens"]))), str(path)


@ru.command(name="eval")
@click.option("--data", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help='Gold JSONL: lines {"id", "requirement", "parse"}.')
@click.option("--model", "model_path", type=click.Path(file_okay=False, path_type=Path),
              help="Causal-LM directory (default: the configured model_path).")
@click.option("--adapter", type=click.Path(file_okay=False, path_type=Path),
              help="LoRA adapter directory (default: the configured adapter_path).")
@click.option("--limit", type=int, default=None, help="Only the first N requests.")
@click.pass_context
def eval_cmd(ctx: click.Context, data: Path, model_path: Path | None, adapter: Path | None, limit: int | None) -> None:
    """LAMP accuracy of the LLM parser (a given model/adapter, else the configured one) on gold requests; JSON."""
    from autommlab.cli import _loaded, rich_progress
    from autommlab.parsing.evaluate import evaluate, load_gold

    table = dict(_loaded(ctx).settings.plugins.get(NAME, {}))
    cfg = settings(table)
    items = load_gold(data)[:limit]
    parse, what = _parser(table, cfg, model_path, adapter, None)
    with rich_progress("RU-LLaMA parse", len(items)) as bar:
        res = evaluate(items, parse, on_item=lambda it: bar.update(1))
    r = res.report
    click.echo(json.dumps({"data": str(data), "model": what, "adapter": str(adapter or cfg.get("adapter_path") or ""),
                           "n": r.n, "item_level": r.item_level, "list_level": r.list_level,
                           "key_level": r.key_level, "request_level": r.request_level, "per_key": r.per_key,
                           "unparsed": r.unparsed, "parse_s_mean": res.mean_ms / 1000, "failures": res.failures}))


def register(cli: click.Group) -> None:
    if "ru" not in cli.commands:
        cli.add_command(ru, "ru")
