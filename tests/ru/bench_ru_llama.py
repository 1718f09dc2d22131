"""Time the RU-LLaMA code path on the tiny random Llama (not a test; run by hand).

    PYTHONPATH=. python tests/ru/bench_ru_llama.py [N] [THREADS]

Prints seconds, generated tokens and ms per token for N dev requests. The
model is random, so only the cost of load + constrained decoding is measured.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path


def main(n: int = 5, threads: int = 1) -> None:
    import torch
    from autommlab_ru_llama import llm as L
    from autommlab_ru_llama.parser import parse_with_llm

    from tests.ru.tiny_llm import build_tiny_llm

    torch.set_num_threads(threads)
    lm = L.load(build_tiny_llm(Path(tempfile.mkdtemp()) / "tiny"))
    generate = lm.model.generate
    seen: dict[str, int] = {}

    def counting(*args, **kw):
        out = generate(*args, **kw)
        seen["tokens"] = out.shape[1] - kw["input_ids"].shape[1]
        return out

    lm.model.generate = counting
    rows = [json.loads(x) for x in (Path(__file__).parent / "data" / "ru_dev.jsonl").read_text().splitlines()][:n]
    for r in rows:
        t0 = time.perf_counter()
        parse_with_llm(r["requirement"], lm, 900)
        dt = time.perf_counter() - t0
        print(f"{r['id']}: {dt:.2f} s, {seen['tokens']} tokens, {1000 * dt / seen['tokens']:.1f} ms/token")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
