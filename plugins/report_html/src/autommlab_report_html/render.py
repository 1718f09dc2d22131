"""report.html: the facts of report.md as one self-contained page, plus the plugins' figures.

In: the ``RunRecord``, the ``RunResult`` report.md was rendered from (its
``requirements`` are shown as they are, never re-derived) and the
``ReportPart``s plugins contributed. Out: ``<run>/report.html`` with every image
embedded as base64 (no external file, script or font), so it can be mailed or
opened anywhere. Metric cells carry the raw value in ``data-value`` so tests
and tools can compare them with run.json / trial.json / deployment.json.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import time
from pathlib import Path
from typing import Any, Iterable

from autommlab.chance import not_usable
from autommlab.report import title
from autommlab.report_parts import SECTIONS, ReportPart
from autommlab.results import RunResult
from autommlab.rundir import atomic_write_text
from autommlab.schemas import PRIMARY_METRIC, RunRecord

from .plots import figure

SECTION_TITLES = {"training": "Training curves", "metrics": "Per-class results of the deployed model",
                  "predictions": "Predictions of the deployed model", "latency": "Latency distribution",
                  "benchmark": "Benchmark: every backend that runs here"}

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;
vertical-align:top}th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.met{background:#e3f6e3;color:#105010;font-weight:600}.notmet{background:#fde4e4;color:#8a1010;font-weight:600}
.banner{padding:.6rem .9rem;border-radius:6px;font-weight:600;margin:.8rem 0}.banner.ok{background:#e3f6e3}
.banner.bad{background:#fde4e4}.banner.fail{background:#fff1d6}blockquote{border-left:4px solid #ccc;margin:0;
padding:.3rem .9rem;color:#444}.grid{display:flex;flex-wrap:wrap;gap:12px}.grid figure{margin:0;max-width:340px}
figure img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.8rem;color:#555}.note{font-size:.85rem;
color:#555}pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}
"""


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _num(value: float | None, fmt: str = ".4f", key: str | None = None) -> str:
    if value is None:
        return '<td class="num">-</td>'
    attrs = f' data-value="{value!r}"' + (f' data-key="{esc(key)}"' if key else "")
    return f'<td class="num"{attrs}>{format(value, fmt)}</td>'


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], raw: bool = False, cls: str = "") -> str:
    """``rows`` of cell HTML (``raw``) or text (escaped, each wrapped in <td>)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for r in rows:
        cells = "".join(c if raw else f"<td>{esc(c)}</td>" for c in r)
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _f(x: float | None, fmt: str = ".4g") -> str:
    return "-" if x is None else format(x, fmt)


# ----------------------------------------------------------------------------- sections from the run
def requirements_html(result: RunResult) -> list[str]:
    out = []
    if result.failed_stage:
        out.append(f'<div class="banner fail" id="failed">The run stopped at stage <code>{esc(result.failed_stage)}'
                   f'</code>.</div><pre>{esc(result.error or "")}</pre><p>Resume with <code>autommlab run --resume '
                   f'{esc(result.run_dir)}</code>.</p>')
    if result.requirements:
        met = all(r.met for r in result.requirements)
        out.append("<h2>Requirements</h2>")
        out.append(f'<div class="banner {"ok" if met else "bad"}" id="verdict">'
                   f'{"All stated requirements met." if met else "Some stated requirements were NOT met."}</div>')
        rows = [f"<td>{esc(r.requirement)}</td><td>{esc(r.measured)}</td>"
                f'<td class="{"met" if r.met else "notmet"}">{"met" if r.met else "not met"}</td>'
                for r in result.requirements]
        out.append(_table(["requirement", "measured", "met"], rows, raw=True, cls="requirements"))
    elif result.request is not None:
        out.append("<h2>Requirements</h2><p>The request states no measurable requirement.</p>")
    return out


def understood_html(record: RunRecord, result: RunResult) -> list[str]:
    if result.request is None:
        return []
    n = result.request.normalized
    rows = [["task", n.task], ["objects", ", ".join(n.objects) or "-"],
            ["datasets named", ", ".join(n.datasets) or "-"],
            ["model named", n.specific_model or "-"], ["min speed", f"{n.min_fps:.3g} fps" if n.min_fps else "-"],
            ["max params", f"{n.max_params_m:g} M" if n.max_params_m else "-"],
            ["max FLOPs", f"{n.max_flops_g:g} G" if n.max_flops_g else "-"],
            ["metric targets", ", ".join(f"{k} >= {v:g}" for k, v in n.metric_targets.items()) or "-"],
            ["device", n.device or "-"], ["engine", n.engine or "-"]]
    plugin = record.stages["parse"].plugin
    return ["<h2>Understood as</h2>", _table(["key", "value"], rows),
            f'<p class="note">Parsed by <code>{esc(plugin)}</code>. Full parse: <code>request.json</code>.</p>']


def data_html(result: RunResult) -> list[str]:
    d = result.data
    if d is None:
        return []
    out = ["<h2>Data</h2>", f"<p>Dataset(s): {esc(', '.join(d.datasets))} (format {esc(d.format)}, by "
           f"<code>{esc(d.source)}</code>); {d.num_train} train / {d.num_val} val.</p>"]
    if d.matches:
        out.append(_table(["request object", "categories", "how", "score"],
                          [[m.request_object, ", ".join(m.categories), m.reason, f"{m.score:.2f}"] for m in d.matches]))
    out.append(_table(["class", "train", "val"],
                      [[c, d.train_counts.get(c, 0), d.val_counts.get(c, 0)] for c in d.classes]))
    if d.unmatched:
        out.append(f"<p><b>Unmatched request objects:</b> {esc(', '.join(d.unmatched))}</p>")
    out += [f'<p class="note">{esc(n)}</p>' for n in d.notes]
    return out


def models_html(result: RunResult) -> list[str]:
    if not result.models:
        return []
    out = ["<h2>Model</h2>"]
    for m in result.models:
        out.append(f"<p><b>{esc(m.name)}</b> ({esc(m.codebase)}, family {esc(m.family or '-')}): params "
                   f"{_f(m.params_m)} M, FLOPs {_f(m.flops_g)} G at {esc('x'.join(map(str, m.input_size)) or '?')}; "
                   f"config <code>{esc(m.config)}</code>.</p>")
        out.append("<ul>" + "".join(f"<li>{esc(r)}</li>" for r in m.reasons) + "</ul>")
    return out


def trials_html(record: RunRecord, result: RunResult) -> list[str]:
    if not result.trials:
        return []
    primary = PRIMARY_METRIC[result.trials[0].task]
    out = ["<h2>Trials</h2>", f"<p>Stop: {esc(record.stop_reason or '-')}. Primary metric: {esc(primary)}.</p>"]
    rows = []
    for t in result.trials:
        h = t.hparams
        best = result.best is not None and t.index == result.best.index
        cells = [f"<td>{t.index}{' <b>best</b>' if best else ''}</td>"]
        cells += [f"<td>{esc(v)}</td>" for v in (t.model, h.optimizer, f"{h.lr:.3g}", f"{h.weight_decay:.3g}",
                                                 h.lr_schedule, h.iters, h.batch_size, t.status)]
        cells.append(_num(t.score, key=f"trial.{t.index}.{t.primary_metric}") if t.status == "finished"
                     else f"<td>{esc(t.error or '-')}</td>")
        cells.append(f"<td>{esc(', '.join(f'{k}={v:.4f}' for k, v in sorted(t.metrics.items())) or '-')}</td>")
        cells.append(f'<td class="num">{t.wall_time_s:.0f}s</td>')
        rows.append("".join(cells))
    out.append(_table(["#", "model", "optimizer", "lr", "wd", "schedule", "iters", "batch", "status", primary,
                       "val metrics", "time"], rows, raw=True, cls="trials"))
    return out


def deployment_html(result: RunResult) -> list[str]:
    dep = result.deployment
    if dep is None:
        return []
    lat = dep.latency
    rows = [f"<td>latency p50 (ms)</td>{_num(lat.p50_ms, '.2f', 'latency.p50_ms')}",
            f"<td>latency p90 (ms)</td>{_num(lat.p90_ms, '.2f', 'latency.p90_ms')}",
            f"<td>latency mean (ms)</td>{_num(lat.mean_ms, '.2f', 'latency.mean_ms')}",
            f"<td>throughput (images/s, batch {lat.batch_size})</td>"
            f"{_num(lat.throughput_fps, '.1f', 'latency.throughput_fps')}",
            f'<td>runs (warm-up)</td><td class="num">{lat.runs} ({lat.warmup})</td>',
            f"<td>input size</td><td>{esc('x'.join(map(str, lat.input_size)) or '-')}</td>"]
    rows += [f"<td>deployed {esc(k)}</td>{_num(v, key=f'metrics.{k}')}" for k, v in sorted(dep.metrics.items())]
    rows += [f"<td>parity {esc(k)}</td><td><code>{esc(v)}</code></td>" for k, v in dep.parity.items()
             if k in ("predictions", "metric_delta", "pytorch_metrics", "speedup_p50")]
    out = ["<h2>Deployment</h2>", f"<p>Backend {esc(dep.backend)} on {esc(dep.device)} ({esc(dep.precision)}).</p>",
           _table(["measure", "value"], rows, raw=True, cls="deployment")]
    out.append("<ul>" + "".join(f"<li>artifact <code>{esc(k)}</code>: <code>{esc(v)}</code></li>"
                                for k, v in dep.artifacts.items()) + "".join(f"<li>{esc(n)}</li>" for n in dep.notes)
               + "</ul>")
    return out


# ----------------------------------------------------------------------------- plugin parts
def _image_html(path: Path, caption: str) -> str:
    p = Path(path)
    if not p.is_file():
        return f"<figure><figcaption>missing image {esc(p.name)}: {esc(caption)}</figcaption></figure>"
    mime = mimetypes.guess_type(p.name)[0] or "image/png"
    return (f'<figure><img alt="{esc(caption)}" src="{_data_uri(p.read_bytes(), mime)}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def part_html(part: ReportPart) -> str:
    out = [f'<div class="part" data-kind="{esc(part.kind)}" data-plugin="{esc(part.plugin)}">'
           f"<h3>{esc(part.title)}</h3>"]
    if part.kind == "images":
        out.append('<div class="grid">' + "".join(_image_html(i.path, i.caption) for i in part.images) + "</div>")
    elif part.kind == "table":
        out.append(_table(part.headers, part.rows))
    else:
        png = figure(part)
        if png:
            out.append(f'<img class="plot" alt="{esc(part.title)}" src="{_data_uri(png)}">')
    out += [f'<p class="note">{esc(n)} (by <code>{esc(part.plugin)}</code>)</p>' for n in part.notes]
    out.append("</div>")
    return "".join(out)


def parts_html(parts: list[ReportPart]) -> list[str]:
    out = []
    for section in SECTIONS:
        mine = [p for p in parts if p.section == section]
        if mine:
            out.append(f'<h2 id="{section}">{esc(SECTION_TITLES[section])}</h2>')
            out += [part_html(p) for p in mine]
    return out


def render_html(record: RunRecord, result: RunResult, parts: list[ReportPart]) -> str:
    """The whole page as a string."""
    body = [f"<h1>{esc(title(record, result))}</h1>"]
    if (bad := not_usable(result.requirements)) is not None:
        body.append(f'<p class="banner bad">Not usable: {esc(bad.measured)}.</p>')
    body += ["<h2>Request</h2>", f"<blockquote>{esc(record.text.strip())}</blockquote>"]
    body += requirements_html(result)
    body += understood_html(record, result)
    body += data_html(result)
    body += models_html(result)
    body += trials_html(record, result)
    body += deployment_html(result)
    body += parts_html(parts)
    body.append(f'<p class="note">Written {time.strftime("%Y-%m-%d %H:%M:%S %Z")} by autommlab-report-html; the same '
                f"facts as report.md.</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width, initial-scale=1\"><title>AutoMMLab run {esc(record.run_id)}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def write_html(record: RunRecord, result: RunResult, parts: list[ReportPart]) -> Path:
    path = Path(result.run_dir) / "report.html"
    atomic_write_text(path, render_html(record, result, parts))
    return path
