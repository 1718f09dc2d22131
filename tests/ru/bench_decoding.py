"""Constrained-decoding robustness on random tiny Llamas (not a test; run by hand).

    PYTHONPATH=. python tests/ru/bench_decoding.py [SEEDS] [PROMPTS]

Prints every generation that does not validate and the count; see docs/bench/ru.md.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class Pick(BaseModel):
    choice: Literal["alpha", "beta"]
    count: int = Field(ge=0)
    score: float = Field(ge=0)
    ratio: float
    tags: list[str]
    flag: bool
    note: str | None = None


def main(seeds: int = 6, prompts: int = 4) -> None:
    import torch

    from autommlab_ru_llama import llm as L
    from tests.ru.tiny_llm import build_tiny_llm

    torch.set_num_threads(1)
    root = Path(tempfile.mkdtemp())
    bad = runs = 0
    for seed in range(seeds):
        for kind in ("bytelevel", "sentencepiece"):
            lm = L.load(build_tiny_llm(root / f"{seed}_{kind}", seed=seed, tokenizer=kind))
            for j in range(prompts):
                runs += 1
                try:
                    L.generate_model(lm, f"prompt {j} {seed} " * (j + 1), Pick, max_new_tokens=400,
                                     require_all=True, max_string=10, max_items=3)
                except L.GenerationError as e:
                    bad += 1
                    print(seed, kind, j, str(e)[:300])
    print(f"runs {runs}, not valid {bad}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
