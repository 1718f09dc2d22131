"""The rich-report hooks without any ML library: in-test stage plugins, the real report_html renderer,
a parts plugin contributing every kind of part, and one that breaks (it must not break the run)."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from autommlab import hookimpl
from autommlab.config import Settings
from autommlab.pipeline import Pipeline
from autommlab.plugins import PluginManager
from autommlab.report_parts import ReportImage, ReportPart

from tests.core import fakes
from tests.core.conftest import request_text

pytest.importorskip("matplotlib")
render_plugin = pytest.importorskip("autommlab_report_html.plugin")


def _png(path: Path) -> Path:
    """A 2x2 red PNG written with zlib (no image library)."""
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


class Parts:
    @hookimpl
    def autommlab_report_parts(self, record, result, ctx):
        img = _png(ctx.run_dir / "report" / "x.png")
        common = dict(plugin="parts")
        return [
            ReportPart(section="training", kind="curves", title="loss", series={"trial 1": [(1, 2.0), (2, 1.5)]},
                       **common),
            ReportPart(section="metrics", kind="bars", title="recall", labels=["circle"], values=[0.5], **common),
            ReportPart(section="metrics", kind="matrix", title="cm", labels=["a", "b"], matrix=[[3, 1], [0, 4]],
                       **common),
            ReportPart(section="latency", kind="histogram", title="lat", values=[1.0, 1.2, 1.1], markers={"p50": 1.1},
                       **common),
            ReportPart(section="predictions", kind="images", title="grid",
                       images=[ReportImage(path=img, caption="<b>x</b>")], **common),
            ReportPart(section="metrics", kind="table", title="t", headers=["h"], rows=[["<script>"]], **common),
        ]


class Broken:
    @hookimpl
    def autommlab_report_parts(self, record, result, ctx):
        raise RuntimeError("boom")


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    fakes.reset()
    return Settings(home=tmp_path / "home", run_dir=tmp_path / "runs", hpo={"budget_scale": 0.005})


def _pm(*extra) -> PluginManager:
    m = PluginManager(load_entrypoints=False, disabled=["offline_parser", "recipe_hpo"])
    m.register(fakes, name="fakes")
    for name, plugin in extra:
        m.register(plugin, name=name)
    return m


def test_html_from_every_part_kind_and_a_broken_plugin(settings):
    logs: list[str] = []
    pm = _pm(("report_html", render_plugin), ("parts", Parts()), ("broken", Broken()))
    result = Pipeline(settings, pm, log=logs.append).run(request_text())
    page = (result.run_dir / "report.html").read_text()
    assert (result.run_dir / "report.md").is_file()
    assert any("broken could not contribute (RuntimeError: boom)" in m for m in logs), logs
    for kind in ("curves", "bars", "matrix", "histogram", "images", "table"):
        assert f'data-kind="{kind}"' in page
    assert page.count('src="data:image/png;base64,') == 5  # four plots + the one drawn image
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;x&lt;/b&gt;" in page
    for r in result.requirements:  # the same checks as report.md, with met / not met
        assert f"<td>{r.requirement}</td>".replace(">=", "&gt;=") in page
    assert page.count('class="met"') == sum(r.met for r in result.requirements)
    img = page.split('alt="&lt;b&gt;x&lt;/b&gt;" src="data:image/png;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(img) == (result.run_dir / "report" / "x.png").read_bytes()


def test_no_renderer_installed_means_report_md_and_one_note(settings):
    logs: list[str] = []
    result = Pipeline(settings, _pm(("parts", Parts())), log=logs.append).run(request_text())
    assert (result.run_dir / "report.md").is_file() and not (result.run_dir / "report.html").exists()
    assert not (result.run_dir / "report").exists()  # parts are not even collected without a renderer
    notes = [m for m in logs if m.startswith("report:")]
    assert notes == ["report: report.md written; no HTML report renderer is installed (autommlab-report-html adds "
                     "report.html)"]


def test_latency_samples_are_the_timed_runs():
    """deploy.json's latency_samples_ms (the report's histogram) are the very runs p50/p90 summarise."""
    import numpy as np

    lat = pytest.importorskip("autommlab_deploy_ort.latency")
    samples: list[float] = []
    m = lat.measure(lambda: sum(range(2000)), runs=25, warmup=3, input_size=[8, 8], samples_out=samples)
    assert len(samples) == 25 and m.runs == 25
    assert m.p50_ms == pytest.approx(float(np.percentile(samples, 50)), abs=1e-3)
    assert m.p90_ms == pytest.approx(float(np.percentile(samples, 90)), abs=1e-3)


def test_benchmark_needs_a_finished_hpo_stage(tmp_path):
    """`autommlab benchmark` on a run without a best trial: exit 2 and a sentence, not a traceback."""
    import os
    import subprocess
    import sys

    from autommlab.rundir import RunDir

    run = RunDir.create(tmp_path / "runs", "classify cats", {})
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOMMLAB_")}
    env.update(AUTOMMLAB_HOME=str(tmp_path / "home"), COLUMNS="300")
    exe = str(Path(sys.executable).with_name("autommlab"))
    r = subprocess.run([exe, "benchmark", str(run.path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2, r.stderr
    assert "the HPO stage has not finished" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([exe, "benchmark", str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 2 and "is not a run directory" in r.stderr, r.stderr


def test_not_usable_heads_both_reports(tmp_path):
    """A failed chance check is the first thing report.md and report.html say, in the same words."""
    from autommlab import report
    from autommlab.chance import LABEL
    from autommlab.results import RequirementCheck, RunResult
    from autommlab.schemas import RunRecord
    from autommlab_report_html.render import render_html

    record = RunRecord(run_id="r-chance", text="Detect pedestrians.", config={})
    bad = RequirementCheck(f"{LABEL} (AP above chance level)", "AP 0.0000 (deployed) at or near chance", False)
    result = RunResult(run_dir=tmp_path, requirements=[bad])
    md_first = report.render(record, result).splitlines()[0]
    assert md_first == "# AutoMMLab run r-chance: the model is NOT USABLE (at chance level)"
    page = render_html(record, result, [])
    assert f"<h1>{md_first[2:]}</h1>" in page
    assert page.index("NOT USABLE") < page.index("<h2>Request</h2>")
    assert "Not usable: AP 0.0000 (deployed) at or near chance." in page
    fine = RunResult(run_dir=tmp_path, requirements=[RequirementCheck(bad.requirement, "AP 0.3", True)])
    assert "NOT USABLE" not in render_html(record, fine, []) and "NOT USABLE" not in report.render(record, fine)
