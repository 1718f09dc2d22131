"""report.html of a finished tiny demo run: self-contained, images present, numbers equal the run's JSON files;
report.md alone when no renderer is installed; `autommlab benchmark` on the same run (last: it adds to the reports).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import autommlab

pytestmark = pytest.mark.slow

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"


class Page(HTMLParser):
    """The bits of report.html the tests look at: image sources, data-key cells, requirement rows, parts."""

    def __init__(self, text: str):
        super().__init__()
        self.srcs: list[str] = []
        self.hrefs: list[str] = []
        self.values: dict[str, float] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.parts: list[dict] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "src" in a:
            self.srcs.append(a["src"])
            if self.parts and tag == "img":
                self.parts[-1]["imgs"].append(a["src"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "data-key" in a:
            self.values[a["data-key"]] = float(a["data-value"])
        if tag == "div" and "data-kind" in a:
            self.parts.append({"kind": a["data-kind"], "plugin": a["data-plugin"], "imgs": []})
        if tag == "table":
            self._table = a.get("class") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _load(run: Path, name: str) -> dict:
    return json.loads((run / name).read_text())


def _md_requirements(md: str) -> list[list[str]]:
    lines = md.split("## Requirements", 1)[1].split("\n## ", 1)[0].splitlines()
    rows = [ln for ln in lines if ln.startswith("| ") and not ln.startswith("| requirement")]
    return [[c.strip().replace("\\|", "|").replace("**", "") for c in r.strip("|").split(" | ")] for r in rows]


def test_report_html_is_self_contained_with_images(tiny_run):
    text = (tiny_run / "report.html").read_text()
    page = Page(text)
    assert page.srcs and all(s.startswith("data:image/") for s in page.srcs), [s[:40] for s in page.srcs]
    assert not any(h.startswith(("http:", "https:", "//")) for h in page.hrefs)
    assert "<link" not in text and "<script" not in text
    for src in page.srcs:  # plots are PNG, drawn val images JPEG
        head = base64.b64decode(src.split(",", 1)[1])[:8]
        assert head == PNG if src.startswith("data:image/png;") else head[:3] == JPEG, src[:30]
    kinds = {(p["kind"], p["plugin"]) for p in page.parts}
    # training curves (openmmlab), confusion matrix + per-class (deployed bundle), drawn predictions, latency
    assert {("curves", "openmmlab"), ("matrix", "deploy_ort"), ("bars", "deploy_ort"), ("images", "deploy_ort"),
            ("histogram", "deploy_ort"), ("table", "deploy_ort")} <= kinds, kinds
    grid = next(p for p in page.parts if p["kind"] == "images")
    n_val = sum(_load(tiny_run, "data.json")["val_counts"].values())
    assert len(grid["imgs"]) == min(8, n_val)
    assert all(src.startswith("data:image/jpeg;base64,") for src in grid["imgs"])
    assert len(list((tiny_run / "report" / "predictions").glob("*.jpg"))) == len(grid["imgs"])


def test_report_html_numbers_equal_the_run_files(tiny_run):
    page = Page((tiny_run / "report.html").read_text())
    dep, record = _load(tiny_run, "deployment.json"), _load(tiny_run, "run.json")
    best = record["best_trial"]
    trial = _load(tiny_run, f"trials/{best:02d}/trial.json")
    assert page.values["metrics.accuracy"] == dep["metrics"]["accuracy"]
    for k in ("p50_ms", "p90_ms", "mean_ms", "throughput_fps"):
        assert page.values[f"latency.{k}"] == dep["latency"][k]
    assert page.values[f"trial.{best}.accuracy"] == trial["metrics"]["accuracy"]
    trials = page.tables["trials"]
    assert [r[0] for r in trials[1:]] == [f"{best} best"]
    # the requirement table is report.md's (RunResult.requirements), and the verdict is run.json's
    html_req = [[r[0], r[1], r[2]] for r in page.tables["requirements"][1:]]
    md_req = _md_requirements((tiny_run / "report.md").read_text())
    assert [r[:2] for r in html_req] == [r[:2] for r in md_req]
    assert [r[2] == "met" for r in html_req] == [r[2] == "yes" for r in md_req]
    assert all(r[2] == "met" for r in html_req) == record["requirements_met"]
    per_class = next(t for name, t in page.tables.items() if t and t[0][:2] == ["class", "val images"])
    counts = _load(tiny_run, "data.json")["val_counts"]
    assert {r[0]: int(r[1]) for r in per_class[1:]} == counts


def test_report_parts_match_the_measurements(tiny_run):
    """The figures' numbers: val curve peaks at the trial's metric; the confusion matrix covers every val image."""
    from autommlab.results import RunResult
    from autommlab.schemas import DataPlan, Deployment, Trial
    from autommlab_deploy_ort.evidence import report_parts as deployed_parts
    from autommlab_openmmlab.curves import report_parts as curve_parts

    trial = Trial.model_validate(_load(tiny_run, "trials/01/trial.json"))
    curves = curve_parts([trial])
    val = next(p for p in curves if "Val" in p.title)
    assert max(y for _, y in val.series["trial 1"]) == pytest.approx(trial.metrics["accuracy"], abs=1e-4)
    assert len(curves[0].series["trial 1"]) == trial.hparams.iters  # one loss per iteration
    result = RunResult(run_dir=tiny_run, data=DataPlan.model_validate(_load(tiny_run, "data.json")),
                       deployment=Deployment.model_validate(_load(tiny_run, "deployment.json")), trials=[trial])
    parts = deployed_parts(result)
    cm = next(p for p in parts if p.kind == "matrix").matrix
    n_val = result.data.num_val
    assert sum(map(sum, cm)) == n_val
    acc = sum(cm[i][i] for i in range(len(cm))) / n_val
    # the standalone predictor path vs mmdeploy's val pass: same model, preprocessing within 0.05
    assert abs(acc - result.deployment.metrics["accuracy"]) <= 0.2
    hist = next(p for p in parts if p.kind == "histogram")
    assert len(hist.values) == result.deployment.latency.runs
    assert hist.markers["p50"] == result.deployment.latency.p50_ms


def test_without_html_renderer_only_report_md(tiny_run, tiny_env, tmp_path):
    root, env = tiny_env
    copy = tmp_path / tiny_run.name
    shutil.copytree(tiny_run, copy)
    (copy / "report.html").unlink()
    (copy / "report.md").unlink()
    env = {**env, "AUTOMMLAB_DISABLED_PLUGINS": '["report_html"]'}
    t0 = time.perf_counter()
    r = autommlab("run", "--resume", str(copy), cwd=root, env=env, timeout=300)
    assert r.returncode in (0, 3), r.stderr[-3000:]
    assert (copy / "report.md").is_file() and not (copy / "report.html").exists()
    assert "no HTML report renderer is installed" in r.stderr
    assert "could not" not in r.stderr and "Traceback" not in r.stderr
    print(f"resume without renderer: {time.perf_counter() - t0:.1f}s")


def test_rerender_time(tiny_run, tiny_env):
    """Re-render both reports of the finished run (resume of a complete run); prints the time for docs/bench."""
    root, env = tiny_env
    before = (tiny_run / "report.html").stat().st_mtime_ns
    t0 = time.perf_counter()
    r = autommlab("run", "--resume", str(tiny_run), cwd=root, env=env, timeout=300)
    wall = time.perf_counter() - t0
    assert r.returncode in (0, 3), r.stderr[-3000:]
    assert (tiny_run / "report.html").stat().st_mtime_ns > before
    assert f"report: {tiny_run / 'report.html'}" in r.stderr
    print(f"autommlab run --resume (complete run, reports only): {wall:.1f}s; "
          f"report.html {(tiny_run / 'report.html').stat().st_size / 1024:.0f} KiB")


def test_benchmark_table(tiny_run, tiny_env):
    root, env = tiny_env
    r = autommlab("benchmark", str(tiny_run), "--latency-runs", "10", cwd=root, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-4000:]
    bench = _load(tiny_run, "benchmark.json")
    rows = {(x["backend"], x["device"]): x for x in bench["rows"]}
    torch_row, ort = rows[("pytorch", "cpu")], rows[("onnxruntime", "cpu")]
    assert torch_row["status"] == ort["status"] == "measured"
    assert ort["delta_vs_pytorch"] == pytest.approx(ort["metric"] - torch_row["metric"], abs=1e-6)
    assert 0 < ort["p50_ms"] <= ort["p90_ms"] and ort["fps"] > 0 and ort["size_mb"] > 0
    assert torch_row["size_mb"] > 0 and torch_row["p50_ms"] > 0
    dep_json = json.loads((tiny_run / "benchmark" / "onnxruntime-cpu" / "deploy.json").read_text())
    assert ort["metric"] == dep_json["metrics"]["accuracy"] and ort["p50_ms"] == dep_json["latency"]["p50_ms"]
    trt = rows[("tensorrt", "cuda")]
    assert trt["status"] == "unavailable" and trt["reason"] and trt["p50_ms"] is None
    for name in ("pytorch", "onnxruntime", "tensorrt", "cannot run here"):
        assert name in r.stdout, r.stdout
    md = (tiny_run / "report.md").read_text()
    assert "## Benchmark" in md and "cannot run here" in md.split("## Benchmark", 1)[1]
    html_text = (tiny_run / "report.html").read_text()
    assert 'id="benchmark"' in html_text and re.search(r"tensorrt.*cannot run here", html_text, re.S)
