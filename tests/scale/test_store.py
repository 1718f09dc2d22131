"""The JSONL trial record under concurrent writers: no line lost or torn, one line per (run, trial)."""

from __future__ import annotations

import json
import multiprocessing as mp

from autommlab.hpo.store import TrialRecord, TrialStore
from autommlab.schemas import HParams

WRITERS, PER_WRITER = 4, 100


def _record(run_id: str, index: int) -> TrialRecord:
    hp = HParams(optimizer="AdamW", lr=1e-3, weight_decay=0.01, lr_schedule="CosineAnnealingLR", iters=10,
                 batch_size=4, rationale="x" * 2000)  # long lines: a torn write would show
    return TrialRecord(run_id=run_id, task="classification", request={}, data={}, model={"name": "m"}, hparams=hp,
                       status="finished", metrics={"accuracy": 0.5}, primary_metric="accuracy", wall_time_s=1.0,
                       trial_index=index)


def _writer(path: str, writer: int, start, once: bool) -> None:
    store = TrialStore(path)
    start.wait()
    for i in range(PER_WRITER):
        if once:  # every writer tries to record the same trials
            store.append(_record("shared-run", i + 1), once=True)
        else:
            store.append(_record(f"w{writer}", i + 1))


def _run_writers(path, once: bool) -> None:
    ctx = mp.get_context("spawn")  # fresh interpreters: nothing shared but the file
    start = ctx.Event()
    procs = [ctx.Process(target=_writer, args=(str(path), w, start, once)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0, f"writer exited with {p.exitcode}"


def test_concurrent_appends_lose_no_line(tmp_path):
    path = tmp_path / "trials.jsonl"
    _run_writers(path, once=False)
    lines = path.read_text().splitlines()
    assert len(lines) == WRITERS * PER_WRITER
    keys = [(r["run_id"], r["trial_index"]) for r in map(json.loads, lines)]  # every line parses: none torn
    assert len(set(keys)) == WRITERS * PER_WRITER
    assert len(list(TrialStore(path))) == WRITERS * PER_WRITER


def test_concurrent_append_once_records_each_trial_once(tmp_path):
    path = tmp_path / "trials.jsonl"
    _run_writers(path, once=True)
    keys = [(r["run_id"], r["trial_index"]) for r in map(json.loads, path.read_text().splitlines())]
    assert sorted(keys) == [("shared-run", i) for i in range(1, PER_WRITER + 1)]
