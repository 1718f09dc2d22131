"""The plugin contract: stage selection, firstresult, collection and decline reasons."""

import subprocess
import sys
import types

import pytest

from autommlab import hookimpl
from autommlab.context import Context
from autommlab.errors import StageUnavailable, UsageError
from autommlab.plugins import PluginManager
from autommlab.schemas import Request


def _parser(name, answer=None, reason=None, calls=None):
    mod = types.ModuleType(name)

    @hookimpl
    def autommlab_parse(text, ctx):
        if calls is not None:
            calls.append(name)
        if answer is None:
            return ctx.decline(name, reason or "no reason")
        return Request.model_validate({"model": {"task": answer}})

    mod.autommlab_parse = autommlab_parse
    return mod


def _manager(*plugins, stages=None):
    pm = PluginManager(load_entrypoints=False, disabled=["offline_parser", "recipe_hpo"], stages=stages)
    for p in plugins:
        pm.register(p, name=p.__name__)
    return pm


def test_configured_plugin_is_the_only_one_called():
    calls = []
    pm = _manager(_parser("a", "detection", calls=calls), _parser("b", "keypoint", calls=calls), stages={"parse": "a"})
    req = pm.call_single("parse", Context(), text="x")
    assert req.model.task == "detection"
    assert calls == ["a"]


def test_firstresult_falls_through_declines_in_call_order():
    calls = []
    pm = _manager(_parser("good", "segmentation", calls=calls), _parser("shy", None, "no LLM configured", calls=calls))
    assert pm.chosen("parse") == ["shy", "good"]  # last registered is called first (pluggy LIFO)
    ctx = Context()
    assert pm.call_single("parse", ctx, text="x").model.task == "segmentation"
    assert calls == ["shy", "good"]
    assert [(d.plugin, d.stage, d.reason) for d in ctx.declines] == [("shy", "parse", "no LLM configured")]


def test_no_plugin_serving_lists_every_reason():
    pm = _manager(_parser("p1", None, "model_path not set"), _parser("p2", None, "transformers missing"))
    with pytest.raises(StageUnavailable) as e:
        pm.call_single("parse", Context(), text="x")
    msg = str(e.value)
    assert "p1: model_path not set" in msg and "p2: transformers missing" in msg
    assert "autommlab-ru-llama" in msg  # says which distribution provides the stage


def test_no_plugin_installed_names_the_distribution():
    pm = _manager()
    with pytest.raises(StageUnavailable, match="autommlab-deploy-ort"):
        pm.call_single("deploy", Context(), trial=None, target=None)


def test_collecting_stage_gathers_from_every_plugin():
    from autommlab.schemas import DataPlan, ModelCandidate

    def zoo(name, n):
        mod = types.ModuleType(name)

        @hookimpl
        def autommlab_select_model(request, data, ctx):
            return [ModelCandidate(codebase=name, name=f"{name}-{i}", task="classification") for i in range(n)]
        mod.autommlab_select_model = autommlab_select_model
        return mod

    def empty(name):
        mod = types.ModuleType(name)

        @hookimpl
        def autommlab_select_model(request, data, ctx):
            return ctx.decline(name, "not my task")
        mod.autommlab_select_model = autommlab_select_model
        return mod

    pm = _manager(zoo("z1", 2), zoo("z2", 1), empty("z3"))
    req = Request.model_validate({"model": {"task": "classification"}})
    plan = DataPlan(source="t", datasets=["d"], task="classification", format="imagenet", root=".", classes=["a"])
    got = pm.call_collect("select_model", Context(), request=req, data=plan)
    assert sorted(c.name for c in got) == ["z1-0", "z1-1", "z2-0"]
    pm2 = _manager(zoo("z1", 2), zoo("z2", 1), stages={"select_model": ["z2"]})
    assert [c.name for c in pm2.call_collect("select_model", Context(), request=req, data=plan)] == ["z2-0"]
    pm3 = _manager(empty("z3"))
    with pytest.raises(StageUnavailable, match="z3: not my task"):
        pm3.call_collect("select_model", Context(), request=req, data=plan)


def test_stage_config_errors_name_the_problem():
    with pytest.raises(UsageError, match="unknown stage 'parsing'"):
        _manager(stages={"parsing": "x"})
    pm = _manager(_parser("a", "detection"), stages={"parse": "ru_llama"})
    with pytest.raises(StageUnavailable, match="no plugin named 'ru_llama' is installed"):
        pm.call_single("parse", Context(), text="x")


def test_broken_plugin_module_is_reported_not_fatal():
    pm = PluginManager(load_entrypoints=False, disabled=["offline_parser", "recipe_hpo"],
                       modules=["no_such_module_for_autommlab"])
    info = {i.name: i for i in pm.plugins()}
    assert "No module named" in info["no_such_module_for_autommlab"].error


def test_discovering_plugins_imports_no_heavy_library():
    code = ("import sys; from autommlab.plugins import PluginManager; pm = PluginManager(); "
            "heavy = [m for m in ('torch', 'mmengine', 'mmcv', 'transformers', 'onnxruntime', 'tensorrt') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_opt_in_plugin_serves_only_when_named():
    alt = _parser("alt", "keypoint")
    alt.autommlab_plugin_info = hookimpl(lambda: {"description": "an alternative", "opt_in": ["parse"]})
    pm = _manager(_parser("default", "detection"), alt)
    assert pm.chosen("parse") == ["default"]
    assert pm.call_single("parse", Context(), text="x").model.task == "detection"
    pm.configure_stages({"parse": "alt"})
    assert pm.call_single("parse", Context(), text="x").model.task == "keypoint"
