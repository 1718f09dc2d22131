"""LoRA finetuning of a local causal LM on chat examples (peft); the loss is on assistant turns only.

In: a base model directory, message lists (``read_pairs`` reads them from JSONL),
``LoraSettings``. Out: an adapter directory loadable by ``loading.load(..., adapter_path=)``
and a ``FinetuneResult``. torch / peft are imported inside the functions.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from autommlab.errors import DataError
from autommlab.jsonl import iter_json_objects
from pydantic import BaseModel, Field

from .errors import GenerationError
from .loading import load_base, local_dir, resolve_device
from .chat import HEADERS, Messages, check_messages, has_template


def read_pairs(path: str | Path) -> list[Messages]:
    """Read JSONL training pairs: ``{"prompt", "completion"[, "system"]}`` or ``{"messages": [...]}``.

    Errors name the file and line.
    """
    p = Path(path)
    out: list[Messages] = []
    for n, row in iter_json_objects(p, "training data file"):
        if "messages" in row:
            msgs = check_messages(row["messages"], f"{p}:{n}: messages")
        elif isinstance(row.get("prompt"), str) and isinstance(row.get("completion"), (str, dict, list)):
            comp = row["completion"]
            comp = comp if isinstance(comp, str) else json.dumps(comp, ensure_ascii=False)
            msgs = ([{"role": "system", "content": row["system"]}] if isinstance(row.get("system"), str) else [])
            msgs += [{"role": "user", "content": row["prompt"]}, {"role": "assistant", "content": comp}]
        else:
            raise DataError(f"{p}:{n}: expected keys 'prompt' and 'completion', or 'messages'")
        if not any(m["role"] == "assistant" for m in msgs):
            raise DataError(f"{p}:{n}: no assistant message to learn from")
        out.append(msgs)
    if not out:
        raise DataError(f"{p}: no training pairs")
    return out


def _segments(tok: Any, messages: Messages) -> list[tuple[list[int], bool]]:
    """Token segments of one conversation and whether each is trained on (assistant content only).

    Prompts are tokenized apart from completions, exactly as at generation
    time (prompt encoded, then tokens generated).
    """
    segs: list[tuple[list[int], bool]] = []
    enc = lambda text, first: tok(text, add_special_tokens=first)["input_ids"]  # noqa: E731
    if has_template(tok):
        done = ""
        for i, m in enumerate(messages):
            if m["role"] != "assistant":
                continue
            prefix = tok.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True)
            full = tok.apply_chat_template(messages[:i + 1], tokenize=False)
            if not prefix.startswith(done) or not full.startswith(prefix):
                raise DataError("the tokenizer's chat template does not render conversations as growing prefixes; "
                                "finetune with a tokenizer without chat_template")
            segs.append((enc(prefix[len(done):], False), False))
            segs.append((enc(full[len(prefix):], False), True))
            done = full
        return segs
    first = True
    for m in messages:
        if m["role"] == "assistant":
            segs.append((enc(HEADERS["assistant"], first), False))
            segs.append((enc(m["content"], False) + [tok.eos_token_id], True))
            segs.append((enc("\n\n", False), False))
        else:
            segs.append((enc(f"{HEADERS[m['role']]}{m['content']}\n\n", first), False))
        first = False
    return segs


def encode_example(tok: Any, messages: Messages, max_length: int) -> tuple[list[int], list[int]]:
    """(input_ids, labels) for one conversation; labels are -100 outside assistant content."""
    ids: list[int] = []
    labels: list[int] = []
    for seg, train in _segments(tok, messages):
        ids += seg
        labels += seg if train else [-100] * len(seg)
    return ids[:max_length], labels[:max_length]


# ----------------------------------------------------------------------------- finetuning


class LoraSettings(BaseModel):
    """LoRA finetuning settings (paper: rank 8, alpha 32)."""

    rank: int = Field(8, ge=1)
    alpha: float = Field(32, gt=0)
    dropout: float = Field(0.05, ge=0, lt=1)
    target_modules: list[str] | None = None  # None: peft's default for the architecture, else all linear layers
    epochs: float = Field(3, gt=0)
    lr: float = Field(2e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    batch_size: int = Field(4, ge=1)
    max_length: int = Field(1024, ge=8)
    seed: int = 0


@dataclass
class FinetuneResult:
    out_dir: Path
    steps: int
    examples: int
    losses: list[float]
    seconds: float
    trainable_params: int


def _peft_model(model: Any, s: LoraSettings) -> Any:
    from peft import LoraConfig, get_peft_model

    def cfg(targets: Any) -> Any:
        return LoraConfig(r=s.rank, lora_alpha=s.alpha, lora_dropout=s.dropout, target_modules=targets,
                          task_type="CAUSAL_LM", bias="none")

    if s.target_modules:
        return get_peft_model(model, cfg(s.target_modules))
    try:
        return get_peft_model(model, cfg(None))
    except ValueError:  # architecture without a peft default: adapt every linear layer
        return get_peft_model(model, cfg("all-linear"))


def finetune_lora(base_path: str | Path, examples: Sequence[Messages], out_dir: str | Path,
                  settings: LoraSettings | None = None, device: str = "cpu", dtype: str = "float32",
                  log: Callable[[str], None] = lambda msg: None,
                  on_step: Callable[[int, int, float], None] | None = None) -> FinetuneResult:
    """Train a LoRA adapter on ``examples`` (message lists) and save it to ``out_dir``.

    Loss is taken on assistant content only. Writes the adapter
    (``adapter_config.json``, ``adapter_model.safetensors``), the tokenizer and
    ``autommlab_lora.json`` (settings, base path, per-step losses).
    ``on_step(step, total_steps, loss)`` is called after each optimiser step.
    """
    import torch

    s = settings or LoraSettings()
    base = local_dir(base_path, "base model")
    if not examples:
        raise DataError("no training examples")
    dev = resolve_device(device)
    random.seed(s.seed)
    torch.manual_seed(s.seed)
    model, tok = load_base(base, dev, dtype)
    model = _peft_model(model, s).to(dev)
    model.train()
    encoded = [encode_example(tok, check_messages(m, f"example {i}"), s.max_length) for i, m in enumerate(examples)]
    encoded = [e for e in encoded if any(lab != -100 for lab in e[1])]
    if not encoded:
        raise DataError(f"every example lost its assistant tokens to max_length={s.max_length}")
    trainable = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(trainable, lr=s.lr, weight_decay=s.weight_decay)
    per_epoch = math.ceil(len(encoded) / s.batch_size)
    total = max(1, math.ceil(per_epoch * s.epochs))
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    order: list[int] = []
    losses: list[float] = []
    t0 = time.perf_counter()
    log(f"LoRA r={s.rank} alpha={s.alpha} on {len(encoded)} examples, {total} steps, device {dev}")
    for step in range(1, total + 1):
        if len(order) < s.batch_size:
            order += random.sample(range(len(encoded)), len(encoded))
        batch = [encoded[i] for i in order[:s.batch_size]]
        del order[:s.batch_size]
        width = max(len(ids) for ids, _ in batch)
        ids_t = torch.full((len(batch), width), pad, dtype=torch.long)
        lab_t = torch.full((len(batch), width), -100, dtype=torch.long)
        att_t = torch.zeros((len(batch), width), dtype=torch.long)
        for r, (ids, labels) in enumerate(batch):
            ids_t[r, :len(ids)] = torch.tensor(ids)
            lab_t[r, :len(labels)] = torch.tensor(labels)
            att_t[r, :len(ids)] = 1
        out = model(input_ids=ids_t.to(dev), attention_mask=att_t.to(dev), labels=lab_t.to(dev))
        loss = out.loss
        if not torch.isfinite(loss):
            raise GenerationError(f"LoRA finetuning diverged at step {step} (loss {loss.item()}); lower the lr")
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
        if on_step:
            on_step(step, total, losses[-1])
    seconds = time.perf_counter() - t0
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    n_train = sum(p.numel() for p in trainable)
    meta = {"base_model": str(base), "settings": s.model_dump(), "examples": len(encoded), "steps": total,
            "losses": losses, "seconds": round(seconds, 3), "trainable_params": n_train}
    (out / "autommlab_lora.json").write_text(json.dumps(meta, indent=2))
    log(f"saved adapter to {out} (loss {losses[0]:.3f} -> {losses[-1]:.3f}, {seconds:.1f}s)")
    return FinetuneResult(out, total, len(encoded), losses, seconds, n_train)
