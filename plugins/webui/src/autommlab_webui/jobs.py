"""One training at a time: the web UI's run starter (a thread per run, a lock across processes).

``Trainer.submit(text, request)`` creates the run directory with the parse the
user confirmed already recorded as the parse stage, then runs the remaining
stages with ``Pipeline.resume`` in a background thread. A second submit while
one runs raises ``Busy`` naming the running run; the lock is a thread lock
plus an ``flock`` on ``<home>/webui-training.lock``, so two ``autommlab serve``
processes sharing a home do not train at once either.
"""

from __future__ import annotations

import collections
import fcntl
import os
import threading
import time
from pathlib import Path
from typing import Any

from autommlab.pipeline import Pipeline
from autommlab.rundir import RunDir, write_json
from autommlab.schemas import Request

LOG_LINES = 400


class Busy(RuntimeError):
    """A training is already running; the message says which."""


class Trainer:
    def __init__(self, settings: Any, pm: Any):
        self.settings = settings
        self.pm = pm
        self.run_root = Path(settings.run_dir).resolve()
        self._lock = threading.Lock()
        self._lock_file = Path(settings.home_dir) / "webui-training.lock"
        self._fd: int | None = None
        self.active: str | None = None  # run id of the running training
        self.logs: dict[str, collections.deque] = {}
        self.errors: dict[str, str] = {}

    def _acquire(self) -> None:
        if not self._lock.acquire(blocking=False):
            raise Busy(f"a training is already running ({self.active}); wait until it finishes, then submit again")
        self._lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            self._lock.release()
            raise Busy(f"another `autommlab serve` using {self._lock_file.parent} is training; wait until it "
                       f"finishes") from None
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self.active = None
        self._lock.release()

    def submit(self, text: str, request: Request, parsed_by: str) -> str:
        """Start a run of ``text`` with the confirmed ``request``; return its run id (raises ``Busy``)."""
        self._acquire()
        try:
            run = RunDir.create(self.run_root, text, self.settings.model_dump(mode="json"))
            write_json(run.path / "request.json", request)
            run.finish("parse", output="request.json", plugin=parsed_by)
        except BaseException:
            self._release()
            raise
        self.active = run.record.run_id
        log = self.logs[run.record.run_id] = collections.deque(maxlen=LOG_LINES)
        threading.Thread(target=self._train, args=(run.path, log), name=f"train-{run.record.run_id}",
                         daemon=True).start()
        return run.record.run_id

    def _train(self, path: Path, log: collections.deque) -> None:
        def say(msg: str) -> None:
            log.append(f"{time.strftime('%H:%M:%S')} {msg}")

        try:
            Pipeline(self.settings, self.pm, log=say).resume(path)
            say("run finished")
        except Exception as e:  # noqa: BLE001 - recorded in run.json by the pipeline; shown on the page
            self.errors[path.name] = f"{type(e).__name__}: {e}"
            say(f"run stopped: {type(e).__name__}: {e}")
        finally:
            self._release()
