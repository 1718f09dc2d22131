"""The web UI's HTTP API and page (FastAPI). ``create_app(settings, pm)`` -> ASGI app.

    GET  /                              the page (static/index.html)
    POST /api/parse      {text}         the request parse (nothing is run)
    POST /api/runs       {text, request}  start a run with the confirmed (maybe edited) parse; 409 while one trains
    GET  /api/runs                      past runs, newest first
    GET  /api/runs/{run}                stages, trials, live log, report links
    GET  /runs/{run}/{file}             report.html, report.md, *.json, *.txt of a run (no sub-paths)
    POST /api/runs/{run}/predict        multipart image -> the deployed bundle's prediction, drawn

Every error is JSON ``{"detail": "..."}`` with a message naming the field or file.
Run ids and file names are checked against a strict pattern and resolved inside
the run root, so no request can read outside it.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, HTTPException, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import BaseModel, Field, ValidationError

from autommlab.context import Context
from autommlab.errors import AutoMMLabError
from autommlab.schemas import Request, RunRecord, Trial

from .jobs import Busy, Trainer

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")
SERVED_SUFFIXES = {".html", ".md", ".json", ".txt"}
MAX_UPLOAD = 20 * 2**20
STATIC = Path(__file__).with_name("static")


class ParseIn(BaseModel):
    text: str = Field(min_length=1, max_length=10000)


class RunIn(BaseModel):
    text: str = Field(min_length=1, max_length=10000)
    request: dict[str, Any]
    parsed_by: str = Field("", max_length=100)


def _problems(e: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, err['loc'])) or 'value'}: {err['msg']}" for err in e.errors())


def safe_name(name: str, what: str) -> str:
    """``name`` if it is a plain file/dir name (no separators, no leading dot); else HTTP 400 naming it."""
    if not NAME_RE.match(name or "") or ".." in name:
        raise HTTPException(400, f"invalid {what} {name!r}: only letters, digits, '.', '_' and '-', no path")
    return name


def create_app(settings: Any, pm: Any) -> FastAPI:
    trainer = Trainer(settings, pm)
    root = trainer.run_root
    predictors: dict[str, Any] = {}
    predictor_lock = threading.Lock()
    app = FastAPI(title="AutoMMLab", docs_url=None, redoc_url=None)
    app.state.trainer = trainer

    def run_path(run_id: str) -> Path:
        p = (root / safe_name(run_id, "run id")).resolve()
        if p.parent != root or not (p / "run.json").is_file():
            raise HTTPException(404, f"no run {run_id!r} in {root}")
        return p

    @app.exception_handler(ValidationError)
    async def _invalid(_req, e: ValidationError):  # pydantic errors inside handlers -> 400 with the fields
        return JSONResponse({"detail": _problems(e)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_req, e: RequestValidationError):  # missing/ill-typed fields -> one readable sentence
        msg = "; ".join(f"{'.'.join(str(x) for x in err['loc'] if x != 'body') or 'body'}: {err['msg']}"
                        for err in e.errors())
        return JSONResponse({"detail": f"bad request: {msg}"}, status_code=400)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return (STATIC / "index.html").read_text(encoding="utf-8")

    @app.post("/api/parse")
    def parse(body: ParseIn) -> dict[str, Any]:
        if not body.text.strip():
            raise HTTPException(400, "the request text is empty")
        ctx = Context(config=settings)
        try:
            request = pm.call_single("parse", ctx, text=body.text)
        except AutoMMLabError as e:
            raise HTTPException(400, str(e)) from None
        served = next((n for n in pm.chosen("parse") if n not in {d.plugin for d in ctx.declines_for("parse")}), "")
        return {"request": request.to_json_dict(), "normalized": request.normalized.model_dump(mode="json"),
                "parsed_by": served}

    @app.post("/api/runs")
    def start(body: RunIn) -> dict[str, Any]:
        try:
            request = Request.model_validate(body.request)
        except ValidationError as e:
            raise HTTPException(400, f"the edited parse is not a valid request: {_problems(e)}") from None
        by = (body.parsed_by or "parser") + " (confirmed in the web UI)"
        try:
            run_id = trainer.submit(body.text, request, parsed_by=by)
        except Busy as e:
            raise HTTPException(409, str(e)) from None
        return {"run_id": run_id}

    @app.get("/api/runs")
    def runs() -> list[dict[str, Any]]:
        out = []
        if root.is_dir():
            for d in sorted(root.iterdir(), reverse=True):
                f = d / "run.json"
                if not f.is_file():
                    continue
                try:
                    rec = RunRecord.model_validate_json(f.read_text())
                except (ValueError, OSError):
                    continue
                out.append({"run_id": rec.run_id, "created": rec.created, "text": rec.text,
                            "stages": {k: v.status for k, v in rec.stages.items()},
                            "requirements_met": rec.requirements_met, "active": trainer.active == rec.run_id,
                            "report_html": (d / "report.html").is_file()})
        return out

    @app.get("/api/runs/{run_id}")
    def run_detail(run_id: str) -> dict[str, Any]:
        p = run_path(run_id)
        rec = RunRecord.model_validate_json((p / "run.json").read_text())
        trials = []
        for f in sorted((p / "trials").glob("*/trial.json")):
            try:
                t = Trial.model_validate_json(f.read_text())
            except (ValueError, OSError):
                continue
            trials.append({"index": t.index, "model": t.model, "status": t.status, "metrics": t.metrics,
                           "primary_metric": t.primary_metric, "wall_time_s": t.wall_time_s, "error": t.error,
                           "hparams": t.hparams.model_dump(include={"optimizer", "lr", "weight_decay", "iters",
                                                                    "batch_size", "lr_schedule"})})
        running = sorted(int(d.name) for d in (p / "trials").glob("[0-9]*") if d.is_dir()
                         and not (d / "trial.json").exists()) if (p / "trials").is_dir() else []
        deployment = None
        if (p / "deployment.json").is_file():
            dep = json.loads((p / "deployment.json").read_text())
            deployment = {"backend": dep["backend"], "device": dep["device"], "metrics": dep.get("metrics", {}),
                          "p50_ms": dep["latency"]["p50_ms"], "p90_ms": dep["latency"]["p90_ms"]}
        return {"run_id": rec.run_id, "text": rec.text, "created": rec.created,
                "stages": {k: v.model_dump() for k, v in rec.stages.items()}, "trials": trials,
                "running_trials": running if trainer.active == rec.run_id else [],
                "best_trial": rec.best_trial, "stop_reason": rec.stop_reason, "requirements_met": rec.requirements_met,
                "active": trainer.active == rec.run_id, "log": list(trainer.logs.get(rec.run_id, [])),
                "error": trainer.errors.get(rec.run_id), "deployment": deployment,
                "files": sorted(f.name for f in p.iterdir() if f.is_file() and f.suffix in SERVED_SUFFIXES)}

    @app.get("/runs/{run_id}/{name}")
    def run_file(run_id: str, name: str):
        p = run_path(run_id)
        f = (p / safe_name(name, "file name")).resolve()
        if f.parent != p or f.suffix not in SERVED_SUFFIXES or not f.is_file():
            raise HTTPException(404, f"run {run_id} has no file {name!r} to show (served: "
                                     f"{', '.join(sorted(SERVED_SUFFIXES))} files of the run directory)")
        media = {".html": "text/html", ".md": "text/markdown", ".json": "application/json"}.get(f.suffix, "text/plain")
        return FileResponse(f, media_type=media)

    @app.post("/api/runs/{run_id}/predict")
    def predict(run_id: str, image: UploadFile = File(...)) -> dict[str, Any]:
        import cv2
        import numpy as np

        p = run_path(run_id)
        data = image.file.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise HTTPException(400, f"{image.filename!r} is larger than {MAX_UPLOAD // 2**20} MiB")
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if img is None:
            raise HTTPException(400, f"{image.filename!r} is not an image OpenCV can read (try a JPEG or PNG)")
        from autommlab_deploy_ort.draw import draw
        from autommlab_deploy_ort.predict import Predictor

        try:
            with predictor_lock:
                if run_id not in predictors:
                    predictors[run_id] = Predictor(p)
                predictor = predictors[run_id]
            result, mask = predictor.predict(img)
        except AutoMMLabError as e:
            raise HTTPException(400, f"run {run_id}: {e}") from None
        ok, png = cv2.imencode(".png", draw(img, result, mask, predictor.metainfo))
        result["drawn_png"] = base64.b64encode(png.tobytes()).decode("ascii") if ok else None
        result["image"] = image.filename
        return result

    return app
