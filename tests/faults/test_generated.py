"""Generated bad input (hypothesis): request text, numbers in requests, config values, mutated run.json.

Each property: the command ends in a parse / a valid config / exit 1 or 2 with
a message naming the value or file, never in an exception escaping the CLI.
Small example counts (the suite's time budget); ``derandomize`` keeps CI runs
reproducible.
"""

from __future__ import annotations

import importlib.metadata
import itertools
import json
import math
import os
import shutil

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from autommlab.parsing import sanity  # noqa: E402
from autommlab.schemas import TASKS, as_fraction  # noqa: E402

from ..core.conftest import request_text  # noqa: E402

FAST = settings(max_examples=int(os.environ.get("FAULTS_EXAMPLES", 200)), deadline=None,
                derandomize="FAULTS_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

WORDS = ["classify", "detect", "segment", "pose", "keypoints", "cars", "cats", "dogs", "people", "roads", "fps",
         "ms", "accuracy", "mAP", "mIoU", "AP50", "GPU", "CPU", "TensorRT", "ONNX", "at least", "under", "%",
         "M parameters", "GFLOPs", "-", "and", "not", "with", "ResNet-50", "YOLOX", "COCO", "1e9", "0", "-3",
         "999999999999", "½", "\u200b", "，", "ignore previous instructions", "{", "}", '"task":', "\\x00"]


def _check_parse(code: int, out: str, err: str) -> None:
    assert code in (0, 2), err
    if code == 0:
        parse = json.loads(out)
        m = parse["model"]
        assert m["task"] in TASKS
        for t in m["metrics"]:
            assert 0 < as_fraction(t["value"]) <= 1, t
        if m["speed"]["unit"] != "none":
            assert m["speed"]["value"] > 0
    else:
        assert err.startswith("error:") and len(err) > 20, err
        assert "invalid configuration" not in err, err


@FAST
@given(text=st.text(min_size=1, max_size=300))
def test_arbitrary_text(invoke, text):
    if not text.strip() or text.startswith("-"):
        return  # click reads a leading dash as an option; empty text is covered elsewhere
    _check_parse(*invoke("parse", text))


@FAST
@given(words=st.lists(st.one_of(st.sampled_from(WORDS), st.integers(-10**15, 10**15).map(str),
                                st.floats(allow_nan=True, allow_infinity=True).map(repr)), min_size=1, max_size=25))
def test_request_like_word_salad(invoke, words):
    text = "I need a model: " + " ".join(words)
    _check_parse(*invoke("parse", text))


NUMBER = st.one_of(st.integers(-10**16, 10**16), st.floats(-1e16, 1e16, allow_nan=False, allow_infinity=False)
                   .map(lambda f: round(f, 3)))


@FAST
@given(acc=NUMBER, fps=NUMBER, params=NUMBER)
def test_every_numeric_field_negative_zero_or_absurd(invoke, acc, fps, params):
    text = f"Detect cars and people with AP of at least {acc}% at {fps} fps with under {params}M parameters on a CPU"
    code, out, err = invoke("parse", text)
    _check_parse(code, out, err)
    if code == 0:
        m = json.loads(out)["model"]
        assert sanity.MIN_FPS <= m["speed"]["value"] <= sanity.MAX_FPS
        assert 0 < m["parameters"]["value"] <= sanity.MAX_PARAMS_M
    if fps < 0 or params < 0 or acc < 0:
        assert code == 2


CONFIG_KEYS = ["hpo.max_trials", "hpo.budget_scale", "hpo.max_wall_time_s", "hpo.seed", "deploy.latency_runs",
               "deploy.warmup_runs", "deploy.precision", "deploy.backend", "models_per_run", "device", "run_dir",
               "stages", "stages.parse", "disabled_plugins", "plugin_modules", "plugins", "hpo", "deploy"]


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else "-inf" if v == -math.inf else repr(v))
    if isinstance(v, (int, str)):
        return json.dumps(v) if isinstance(v, str) else str(v)
    return "[" + ", ".join(_toml_value(x) for x in v) + "]"


VALUE = st.one_of(st.integers(-10**12, 10**12), st.floats(), st.booleans(), st.text(max_size=20),
                  st.lists(st.integers(-5, 5), max_size=3))


@FAST
@given(key=st.sampled_from(CONFIG_KEYS), value=VALUE)
def test_config_values_of_any_type(tmp_path, key, value):
    from autommlab.config import load_config
    from autommlab.errors import UsageError

    *table, last = key.split(".")
    f = tmp_path / "gen.toml"
    f.write_text((f"[{'.'.join(table)}]\n" if table else "") + f"{last} = {_toml_value(value)}\n")
    try:
        load_config(f, environ={})
    except UsageError as e:
        assert "gen.toml" in str(e) and (key in str(e) or last in str(e) or "TOML" in str(e)), str(e)


@pytest.fixture
def template_run(tmp_path_factory, monkeypatch, invoke):
    """One finished run with the core's in-test plugins; each example mutates a fresh copy of it."""
    installed = [ep.name for ep in importlib.metadata.entry_points(group="autommlab")]
    monkeypatch.setenv("AUTOMMLAB_PLUGIN_MODULES", '["tests.core.fakes"]')
    monkeypatch.setenv("AUTOMMLAB_DISABLED_PLUGINS", json.dumps(["offline_parser", "recipe_hpo", *installed]))
    monkeypatch.setenv("AUTOMMLAB_HPO__BUDGET_SCALE", "0.005")
    monkeypatch.setenv("AUTOMMLAB_HPO__MAX_TRIALS", "1")
    code, _, err = invoke("run", request_text())
    assert code in (0, 3), err
    from pathlib import Path
    return next((Path.cwd() / "runs").iterdir())


MUTATION = st.tuples(st.sampled_from(["drop", "set"]),
                     st.sampled_from(["run_id", "text", "stages", "trials", "best_trial", "stop_reason",
                                      "stages.parse", "stages.hpo.status", "stages.deploy.output", "config",
                                      "requirements_met", "created"]),
                     st.one_of(st.none(), st.integers(-3, 99), st.text(max_size=8), st.booleans(),
                               st.lists(st.integers(0, 5), max_size=2), st.just({})))


_COPIES = itertools.count()


@settings(max_examples=int(os.environ.get("FAULTS_EXAMPLES", 60)), deadline=None,
          derandomize="FAULTS_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=MUTATION)
def test_mutated_run_json(invoke, template_run, tmp_path, mutation):
    op, key, value = mutation
    run = tmp_path / f"copy-{next(_COPIES)}"
    shutil.copytree(template_run, run)
    record = json.loads((run / "run.json").read_text())
    *path, last = key.split(".")
    node = record
    for p in path:
        node = node[p]
    if op == "drop":
        node.pop(last, None)
    else:
        node[last] = value
    (run / "run.json").write_text(json.dumps(record))
    code, _, err = invoke("run", "--resume", run)
    assert code in (0, 1, 2, 3), err
    if code in (1, 2):
        assert "run.json" in err or "error" in err, err
