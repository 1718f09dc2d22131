"""The run directory: atomic writes and the stage record (run.json).

    runs/<time>-<slug>/
      request.txt  request.json  data.json  model.json  candidates.json
      trials/01/{hparams.json, trial.json, <trainer files>}
      deploy/<backend>/{<bundle>, deploy.json}
      report.md  run.json
      report.html  report/      (with a report renderer: the page and the images drawn for it)
      benchmark.json  benchmark.md  benchmark/<backend>-<device>/   (after `autommlab benchmark`)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import faults
from .errors import RunFailed, UsageError
from .schemas import STAGES, RunRecord, StageRecord, _now

M = TypeVar("M", bound=BaseModel)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        faults.point(f"write:{path.name}")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, obj: Any) -> None:
    if isinstance(obj, BaseModel):
        text = obj.model_dump_json(indent=2, by_alias=True)
    else:
        text = json.dumps(obj, indent=2, default=str)
    atomic_write_text(path, text + "\n")


def read_model(path: Path, model: type[M]) -> M:
    """Load a JSON file into ``model``; errors name the file."""
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RunFailed(f"{path} is missing; the run directory is incomplete") from e
    except ValidationError as e:
        raise RunFailed(f"{path} is not a valid {model.__name__}: {e}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise RunFailed(f"{path}: cannot read ({e})") from e


def slugify(text: str, max_len: int = 32) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = "-".join(words)[:max_len].strip("-")
    return slug or "run"


class RunDir:
    """One run directory and its ``run.json`` record."""

    def __init__(self, path: Path, record: RunRecord):
        self.path = Path(path)
        self.record = record

    # ------------------------------------------------------------------ create / open
    @classmethod
    def create(cls, base: Path, text: str, config: dict[str, Any]) -> "RunDir":
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        Path(base).mkdir(parents=True, exist_ok=True)
        # mkdir itself claims the name: two runs started in the same second (run --batch --jobs N) get -2, -3, ...
        for n in range(1, 10_000):
            path = Path(base) / (f"{stamp}-{slugify(text)}" + (f"-{n}" if n > 1 else ""))
            try:
                path.mkdir()
                break
            except FileExistsError:
                continue
        else:
            raise RunFailed(f"{base}: no free run directory name for {stamp}-{slugify(text)}")
        run = cls(path, RunRecord(run_id=path.name, text=text, config=config))
        atomic_write_text(path / "request.txt", text.rstrip("\n") + "\n")
        run.save()
        return run

    @classmethod
    def open(cls, path: Path) -> "RunDir":
        path = Path(path)
        if not (path / "run.json").is_file():
            raise UsageError(f"{path} is not a run directory (no run.json)")
        run = cls(path, read_model(path / "run.json", RunRecord))
        run._check()
        return run

    def _check(self) -> None:
        """What pydantic cannot see in a hand-edited ``run.json``: every stage present, the best trial on disk."""
        f = self.path / "run.json"
        names = set(self.record.stages)
        missing, unknown = [s for s in STAGES if s not in names], sorted(names - set(STAGES))
        if missing or unknown:
            raise RunFailed(f"{f}: 'stages' must hold exactly {', '.join(STAGES)}"
                            + (f"; missing {', '.join(missing)}" if missing else "")
                            + (f"; unknown {', '.join(unknown)}" if unknown else ""))
        if self.done("hpo"):
            best = self.record.best_trial
            if best is None or not (self.trial_dir(best) / "trial.json").is_file():
                raise RunFailed(f"{f}: stage hpo is done but best_trial={best!r} has no "
                                f"trials/{best if isinstance(best, int) else 0:02d}/trial.json")

    def save(self) -> None:
        write_json(self.path / "run.json", self.record)

    # ------------------------------------------------------------------ stages
    def stage(self, name: str) -> StageRecord:
        return self.record.stages[name]

    def start(self, name: str, plugin: str | None = None) -> None:
        st = self.stage(name)
        st.status, st.started, st.finished, st.error, st.plugin = "running", _now(), None, None, plugin
        self.save()
        faults.point(f"start:{name}")

    def finish(self, name: str, output: str | None = None, plugin: str | None = None) -> None:
        st = self.stage(name)
        st.status, st.finished = "done", _now()
        if output:
            st.output = output
        if plugin:
            st.plugin = plugin
        self.save()
        faults.point(f"done:{name}")

    def fail(self, name: str, error: str) -> None:
        st = self.stage(name)
        st.status, st.finished, st.error = "failed", _now(), error
        self.save()

    def skip(self, name: str, why: str) -> None:
        st = self.stage(name)
        st.status, st.finished, st.error = "skipped", _now(), why
        self.save()

    def done(self, name: str) -> bool:
        return self.stage(name).status in ("done", "skipped")

    # ------------------------------------------------------------------ trials
    def trial_dir(self, index: int) -> Path:
        return self.path / "trials" / f"{index:02d}"
