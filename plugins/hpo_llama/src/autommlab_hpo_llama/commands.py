"""``autommlab hpo finetune``: train an HPO-LLaMA LoRA adapter on dialogues built from recorded trials."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("finetune")
@click.option("--records", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Trial records (JSONL, e.g. from `autommlab hpo export`).")
@click.option("--base", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Local HF causal LM directory.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Adapter directory.")
@click.option("--task", type=click.Choice(["classification", "detection", "segmentation", "keypoint"]),
              default=None, help="Only this task's trials (the paper trains one adapter per task).")
@click.option("--max-rounds", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--per-group", type=click.IntRange(min=1), default=4, show_default=True,
              help="Dialogues sampled per group of trials with more than --max-rounds trials.")
@click.option("--epochs", type=click.FloatRange(min=0, min_open=True), default=3, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=2e-4, show_default=True)
@click.option("--rank", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=4, show_default=True)
@click.option("--target-modules", default=None,
              help="Comma-separated module names to adapt (default: peft's choice for the architecture).")
@click.option("--max-length", type=click.IntRange(min=8), default=1024, show_default=True)
@click.option("--device", default="auto", show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
def finetune_cmd(records: Path, base: Path, out: Path, task: str | None, max_rounds: int, per_group: int,
                 epochs: float, lr: float, rank: int, batch_size: int, target_modules: str | None, max_length: int,
                 device: str, seed: int) -> None:
    """Build multi-round HPO dialogues from RECORDS and train a LoRA adapter on them."""
    from rich.console import Console

    from autommlab.errors import DataError, StageUnavailable
    from autommlab.hpo.store import read_records
    from autommlab_ru_llama import llm as llm_mod

    from .dialogue import dialogues_from_records

    console = Console()
    recs = [r for r in read_records(records) if task is None or r.task == task]
    dialogues = dialogues_from_records(recs, max_rounds=max_rounds, per_group=per_group, seed=seed)
    if not dialogues:
        raise DataError(f"{records}: no group of trials with a finished trial" + (f" for task {task}" if task else ""))
    missing = llm_mod.require_llm_stack()
    if missing:
        raise StageUnavailable(f"hpo finetune needs the LLM stack: {missing}")
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "dialogues.jsonl", "w", encoding="utf-8") as f:
        for d in dialogues:
            f.write(json.dumps({"messages": d}) + "\n")
    console.print(f"{len(dialogues)} dialogue(s) from {len(recs)} trial(s) -> {out / 'dialogues.jsonl'}")
    targets = [t.strip() for t in target_modules.split(",") if t.strip()] if target_modules else None
    settings = llm_mod.LoraSettings(rank=rank, epochs=epochs, lr=lr, batch_size=batch_size, max_length=max_length,
                                    seed=seed, target_modules=targets)
    res = llm_mod.finetune_lora(base, dialogues, out, settings, device=device,
                                log=lambda m: console.print(m, markup=False))
    console.print(f"adapter: {res.out_dir} ({res.steps} steps, loss {res.losses[0]:.3f} -> {res.losses[-1]:.3f}, "
                  f"{res.seconds:.1f}s). Use it with [plugins.hpo_llama] adapters = "
                  f"{{{task or 'classification'} = \"{res.out_dir}\"}}", markup=False)


def register(cli: click.Group) -> None:
    from autommlab.hpo.commands import hpo_group
    hpo_group(cli).add_command(finetune_cmd, "finetune")
