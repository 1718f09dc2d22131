"""Rich reports beside report.md: what plugins contribute and who renders it.

In: the run's ``RunRecord`` and ``RunResult`` (what report.md was rendered from).
Out: further report files (e.g. ``report.html``) written by the plugins that
implement ``autommlab_render_report``, from the ``ReportPart`` items every
``autommlab_report_parts`` implementation contributed (see ``hookspecs.py``).

A part is data, not a picture: the renderer draws it (the core never imports
matplotlib). Images a plugin drew itself (predictions on val images) are files
under ``<run>/report/``. A plugin that fails here is logged and skipped: a
report format must never fail a run whose report.md is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .context import Context
from .results import RunResult
from .schemas import RunRecord

PartKind = Literal["curves", "bars", "matrix", "histogram", "images", "table"]

#: sections of the rich report, in the order a renderer shows them
SECTIONS: tuple[str, ...] = ("training", "metrics", "predictions", "latency", "benchmark")


class ReportImage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: Path  # PNG/JPEG file under <run>/report/
    caption: str = ""


class ReportPart(BaseModel):
    """One figure or table for the rich report, with the numbers it is drawn from.

    - ``curves``: ``series`` name -> [[x, y], ...] (e.g. loss per iteration, val metric per evaluation)
    - ``bars``: ``labels`` with one ``values`` entry each (per-class metrics)
    - ``matrix``: ``matrix`` rows = ground truth, columns = prediction, both over ``labels``
    - ``histogram``: raw samples in ``values``; ``markers`` name -> x (e.g. p50, p90)
    - ``images``: ``images`` (drawn files) shown as a grid
    - ``table``: ``headers`` and ``rows``
    """

    model_config = ConfigDict(extra="forbid")
    plugin: str
    section: Literal["training", "metrics", "predictions", "latency", "benchmark"]
    kind: PartKind
    title: str
    x_label: str = ""
    y_label: str = ""
    series: dict[str, list[tuple[float, float]]] = Field(default_factory=dict)
    labels: list[str] = Field(default_factory=list)
    values: list[float] = Field(default_factory=list)
    matrix: list[list[float]] = Field(default_factory=list)
    markers: dict[str, float] = Field(default_factory=dict)
    headers: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)
    images: list[ReportImage] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # how and on what it was computed


def collect_parts(pm: Any, record: RunRecord, result: RunResult, ctx: Context) -> list[ReportPart]:
    """Every plugin's ``autommlab_report_parts``, each called on its own so one failure skips only its parts."""
    parts: list[ReportPart] = []
    for impl in reversed(pm.hook.autommlab_report_parts.get_hookimpls()):
        try:
            got = impl.function(record=record, result=result, ctx=ctx)
            parts += [p if isinstance(p, ReportPart) else ReportPart.model_validate(p) for p in got or []]
        except Exception as e:  # noqa: BLE001 - a plugin's report material must never fail the run
            ctx.log(f"report: plugin {impl.plugin_name} could not contribute ({type(e).__name__}: {e})")
    return parts


def write_rich_reports(pm: Any, record: RunRecord, result: RunResult, ctx: Context) -> list[Path]:
    """Call every installed report renderer; return the files they wrote (none installed: [] and one note)."""
    renderers = pm.hook.autommlab_render_report.get_hookimpls()
    if not renderers:
        ctx.log("report: report.md written; no HTML report renderer is installed (autommlab-report-html adds "
                "report.html)")
        return []
    from .benchmark import report_parts as benchmark_parts

    parts = collect_parts(pm, record, result, ctx) + benchmark_parts(result.run_dir)
    written: list[Path] = []
    for impl in reversed(renderers):
        try:
            written += [Path(p) for p in impl.function(record=record, result=result, parts=parts, ctx=ctx) or []]
        except Exception as e:  # noqa: BLE001
            ctx.log(f"report: plugin {impl.plugin_name} could not write its report ({type(e).__name__}: {e})")
    return written
