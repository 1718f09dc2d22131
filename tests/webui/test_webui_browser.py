"""`autommlab serve` driven in a real browser (Debian's chromium through Playwright) and over raw HTTP.

The server runs in a subprocess on a free 127.0.0.1 port with its own AUTOMMLAB_HOME and a tiny budget
(a hundredth of the paper's iterations, one trial). The browser test types the demo request, checks and
edits the parse, confirms, sees a second submit refused, follows the run until report.html is shown,
uploads a val image and a non-image, and saves a screenshot to $AUTOMMLAB_TEST_ARTIFACTS (default
tests/artifacts/, git-ignored).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("autommlab_webui")

CHROMIUM = os.environ.get("AUTOMMLAB_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("AUTOMMLAB_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DEMO = ("Classify circles, squares and triangles in photos of shapes. I need at least 80% accuracy, "
        "and it must run on a CPU with ONNX Runtime at 50 FPS or more.")
RUN_TIMEOUT_S = 900  # the tiny training + deployment; a bound, not an expectation


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    """A raw GET: the path is sent exactly as given (no client-side '..' normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("webui")
    port = _free_port()
    # AUTOMMLAB_TEST_* configure the tests, not AutoMMLab (whose config would reject them as unknown keys)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AUTOMMLAB_TEST_")},
           "AUTOMMLAB_HOME": str(root / "home"), "AUTOMMLAB_RUN_DIR": str(root / "runs"),
           "AUTOMMLAB_HPO__BUDGET_SCALE": "0.01", "AUTOMMLAB_HPO__MAX_TRIALS": "1",
           "AUTOMMLAB_DEPLOY__LATENCY_RUNS": "30", "AUTOMMLAB_DEPLOY__WARMUP_RUNS": "5",
           "AUTOMMLAB_PLUGINS__DATAPOOL__DEMO_SCALE": "0.25"}
    env.pop("AUTOMMLAB_CONFIG", None)
    (root / "secret.txt").write_text("outside the run root\n")
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("autommlab")), "serve", "--port", str(port)],
                            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/", timeout=2)[0] == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"autommlab serve did not start: {(root / 'serve.log').read_text()[-3000:]}")
        time.sleep(0.3)
    yield port, root
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_path_traversal_is_rejected(server):
    port, root = server
    bad = ["/runs/../secret.txt", "/runs/..%2Fsecret.txt/x", "/runs/%2e%2e/secret.txt", "/api/runs/..",
           "/api/runs/%2e%2e", "/runs/.hidden/run.json", "/runs/x/..%2F..%2Fsecret.txt", "/runs/x/.env",
           "/api/runs/..%2F..%2Fetc"]
    for path in bad:
        status, body = _get(port, path)
        assert status in (400, 404), (path, status)
        assert b"outside the run root" not in body, path
    status, body = _get(port, "/api/runs/%2e%2e")
    assert status in (400, 404) and b"detail" in body
    # the same routes serve a real run's files
    run = root / "runs" / "20260101-000000-fixture"
    run.mkdir(parents=True)
    (run / "run.json").write_text('{"run_id": "20260101-000000-fixture", "text": "x"}')
    (run / "report.md").write_text("# fixture report\n")
    assert _get(port, f"/runs/{run.name}/report.md") == (200, b"# fixture report\n")
    for path in (f"/runs/{run.name}/..%2F..%2Fsecret.txt", f"/runs/{run.name}/%2e%2e", f"/runs/{run.name}/run.py"):
        status, body = _get(port, path)
        assert status in (400, 404) and b"outside the run root" not in body, (path, status)
    assert _get(port, f"/api/runs/{run.name}")[0] == 200


def test_browser_request_to_report(server):
    pytest.importorskip("mmpretrain", reason="the run needs the full stack (scripts/install.sh)")
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium; .ci/run does)")
    port, root = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        try:
            _drive(page, port, root)
        finally:
            page.screenshot(path=str(ARTIFACTS / "webui_run.png"), full_page=True)
            browser.close()


def _message(page) -> str:
    return page.locator("#message").inner_text()


def _drive(page, port: int, root: Path) -> None:
    runs = root / "runs"
    before = set(runs.iterdir()) if runs.exists() else set()
    page.goto(f"http://127.0.0.1:{port}/")
    # a bad request gets a clear message on the page, nothing starts
    page.click("#parse-btn")
    assert "Type a request first" in _message(page)
    page.fill("#request-text", "hello there")
    page.click("#parse-btn")
    page.wait_for_function("document.getElementById('message').textContent.includes('could not tell')")
    # the demo request: the parse is shown before anything runs
    page.fill("#request-text", DEMO)
    page.click("#parse-btn")
    page.wait_for_selector("#parse-view:not(.hidden)")
    parse = json.loads(page.input_value("#parse-json"))
    assert parse["model"]["task"] == "classification"
    assert sorted(parse["data"]["object"]) == ["circle", "square", "triangle"]
    assert "accuracy >= 0.8" in page.inner_text("#parse-summary")
    # an edit that breaks the JSON or the schema is refused with the reason
    page.fill("#parse-json", "{not json")
    page.click("#confirm-btn")
    assert "not valid JSON" in _message(page)
    broken = json.loads(json.dumps(parse))
    broken["model"]["task"] = "dancing"
    page.fill("#parse-json", json.dumps(broken))
    page.click("#confirm-btn")
    page.wait_for_function("document.getElementById('message').textContent.includes('model.task')")
    assert (set(runs.iterdir()) if runs.exists() else set()) == before  # nothing was started
    # a real edit: raise the accuracy target to 0.85, then confirm
    parse["model"]["metrics"][0]["value"] = 0.85
    page.fill("#parse-json", json.dumps(parse, indent=2))
    page.click("#confirm-btn")
    page.wait_for_function("document.getElementById('message').textContent.includes('started')")
    run_id = page.inner_text("#message").split()[1]
    # a second submit while it trains is refused, and says why
    page.click("#confirm-btn")
    page.wait_for_function("document.getElementById('message').textContent.includes('already running')")
    assert {d.name for d in runs.iterdir()} - {d.name for d in before} == {run_id}
    # follow the stages live until the report is shown
    page.wait_for_selector("#stages tr[data-stage='hpo'][data-status='done']", timeout=RUN_TIMEOUT_S * 1000)
    page.wait_for_selector("#report-frame[src$='report.html']", state="visible", timeout=RUN_TIMEOUT_S * 1000)
    statuses = page.eval_on_selector_all("#stages tr", "rows => rows.map(r => [r.dataset.stage, r.dataset.status])")
    assert dict(statuses) == {s: "done" for s in ("parse", "select_data", "select_model", "hpo", "deploy", "report")}
    run_dir = root / "runs" / run_id
    request = json.loads((run_dir / "request.json").read_text())
    assert request["model"]["metrics"][0]["value"] == 0.85  # the edited parse is what ran
    trial = json.loads((run_dir / "trials" / "01" / "trial.json").read_text())
    row = page.inner_text("#trials tr[data-trial='1']")
    assert f"accuracy={trial['metrics']['accuracy']:.4f}" in row and "finished" in row
    frame = page.frame_locator("#report-frame")
    assert "accuracy >= 0.85" in frame.locator("table.requirements").inner_text()
    dep = json.loads((run_dir / "deployment.json").read_text())
    assert frame.locator("td[data-key='metrics.accuracy']").inner_text() == f"{dep['metrics']['accuracy']:.4f}"
    assert frame.locator("div[data-kind='images'] img").count() >= 1
    met = json.loads((run_dir / "run.json").read_text())["requirements_met"]
    assert page.inner_text("#verdict") == ("All stated requirements met." if met else
                                          "Some stated requirements were NOT met (see the report).")
    assert page.locator(f"#runs-list li[data-run='{run_id}']").count() == 1
    # upload an image to the deployed model
    from autommlab.schemas import DataPlan

    data = DataPlan.model_validate_json((run_dir / "data.json").read_text())
    first = data.path("val_list").read_text().split()[0]
    shutil.copy(data.path("data_prefix") / first, root / "upload.jpg")
    page.set_input_files("#upload-input", str(root / "upload.jpg"))
    page.click("#predict-btn")
    page.wait_for_selector("#predict-img", state="visible")
    result = json.loads(page.inner_text("#predict-result"))
    assert result["task"] == "classification" and result["class"] in data.classes and 0 <= result["score"] <= 1
    # a file that is not an image: a clear message, not a crash
    (root / "notes.jpg").write_text("this is text, not a picture")
    page.set_input_files("#upload-input", str(root / "notes.jpg"))
    page.click("#predict-btn")
    page.wait_for_function("document.getElementById('message').textContent.includes('not an image')")
    page.locator("#report-frame").scroll_into_view_if_needed()
