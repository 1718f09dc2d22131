"""RU-LLaMA through an OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1 with recorded answers.

Exercised through the real plugin and the real `autommlab parse` / `autommlab ru parse`
commands: JSON-schema response_format, streaming (SSE) and plain answers, a server that
rejects response_format, a server that ignores it and answers invalid JSON first (one
retry with the validation error fed back), transport retries, API keys, config errors.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

if not os.environ.get("CI"):
    try:
        import httpx2  # noqa: F401
    except ImportError:
        pytest.importorskip("httpx")

from autommlab.cli import main  # noqa: E402
from autommlab.config import Settings  # noqa: E402
from autommlab.context import Context  # noqa: E402
from autommlab.errors import UsageError  # noqa: E402
from autommlab.plugins import PluginManager  # noqa: E402
from autommlab.schemas import Request  # noqa: E402
from autommlab_ru_llama import plugin as ru_plugin  # noqa: E402
from autommlab_ru_llama.endpoint import EndpointConfig, chat_json, extract_json  # noqa: E402
from autommlab_ru_llama.prompt import completion_for, generation_schema  # noqa: E402

from tests.openai_server import FakeOpenAI  # noqa: E402

DEV = Path(__file__).parent / "data" / "ru_dev.jsonl"
GOLD = [json.loads(line) for line in DEV.read_text().splitlines()[:2]]
#: recorded answers: what a model finetuned on the gold pairs writes (the completion format)
RECORDED = [completion_for(g["parse"]) for g in GOLD]
#: a chatty model that ignores response_format: prose, a code fence, a task outside the schema
CHATTY_INVALID = ("Sure! Here is the parse you asked for:\n```json\n"
                  + RECORDED[0].replace('"task": "', '"task": "video-').replace('"task":"', '"task":"video-')
                  + "\n```\nLet me know if you need anything else.")


def _config(tmp_path: Path, url: str, **extra) -> Path:
    lines = ["[stages]", 'parse = "ru_llama"', "[plugins.ru_llama]", f'endpoint = "{url}"',
             'model = "qwen2.5:7b-instruct"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    path = tmp_path / "autommlab.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _cli_parse(capsys, config: Path, text: str, *cmd: str) -> dict:
    main(["--config", str(config), *(cmd or ("parse",)), text])
    return json.loads(capsys.readouterr().out)


def _same_parse(got: dict, gold: dict) -> bool:
    return Request.model_validate(got) == Request.model_validate(gold)


def test_cli_parse_non_streaming_sends_the_json_schema(tmp_path, capsys):
    assert "video-" in CHATTY_INVALID  # the recorded answer has a task to corrupt
    with FakeOpenAI([RECORDED[0]]) as srv:
        out = _cli_parse(capsys, _config(tmp_path, srv.url), GOLD[0]["requirement"])
    assert _same_parse(out, GOLD[0]["parse"])
    [body] = srv.requests
    assert body["model"] == "qwen2.5:7b-instruct" and body["stream"] is False and body["temperature"] == 0
    rf = body["response_format"]
    assert rf["type"] == "json_schema" and rf["json_schema"]["schema"] == generation_schema()
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][1]["content"] == GOLD[0]["requirement"].strip()
    assert "max_tokens" not in body  # only sent when max_new_tokens is configured


def test_cli_ru_parse_streaming(tmp_path, capsys):
    with FakeOpenAI([RECORDED[1]], chunk=3) as srv:
        cfg = _config(tmp_path, srv.url, stream=True, max_new_tokens=500)
        out = _cli_parse(capsys, cfg, GOLD[1]["requirement"], "ru", "parse")
    assert _same_parse(out, GOLD[1]["parse"])
    [body] = srv.requests
    assert body["stream"] is True and body["max_tokens"] == 500
    assert srv.headers[0]["accept"] == "text/event-stream"


@pytest.mark.parametrize("stream", [False, True])
def test_server_ignoring_the_schema_gets_one_retry_with_the_error(tmp_path, capsys, stream):
    with FakeOpenAI([CHATTY_INVALID, "Corrected:\n" + RECORDED[0]]) as srv:
        out = _cli_parse(capsys, _config(tmp_path, srv.url, stream=stream), GOLD[0]["requirement"])
    assert _same_parse(out, GOLD[0]["parse"])
    assert len(srv.requests) == 2
    retry = srv.requests[1]["messages"]
    assert retry[:2] == srv.requests[0]["messages"]
    assert retry[2] == {"role": "assistant", "content": CHATTY_INVALID}
    assert retry[3]["role"] == "user" and "not valid" in retry[3]["content"]
    assert "model.task" in retry[3]["content"]  # the validation error names the field


def test_two_invalid_answers_decline_and_the_cli_exits_1(tmp_path, capsys):
    with FakeOpenAI([CHATTY_INVALID, "I cannot answer in JSON."]) as srv:
        with pytest.raises(SystemExit) as exc:
            main(["--config", str(_config(tmp_path, srv.url)), "parse", GOLD[0]["requirement"]])
    assert exc.value.code == 1 and len(srv.requests) == 2
    captured = capsys.readouterr()
    err = " ".join((captured.out + captured.err).split())
    assert "ru_llama" in err and "two tries" in err and "no JSON object" in err


def test_server_rejecting_response_format_is_asked_again_without_it():
    with FakeOpenAI([RECORDED[0]], reject_response_format=True) as srv:
        logs: list[str] = []
        cfg = Settings(plugins={"ru_llama": {"endpoint": srv.url, "model": "m"}})
        r = ru_plugin.autommlab_parse(text=GOLD[0]["requirement"], ctx=Context(config=cfg, log=logs.append))
    assert _same_parse(r.to_json_dict(), GOLD[0]["parse"])
    assert "response_format" in srv.requests[0] and "response_format" not in srv.requests[1]
    assert any("rejected response_format" in m for m in logs)


def test_transport_retry_and_api_key(monkeypatch):
    monkeypatch.setenv("TEST_LLM_KEY", "s3cret")
    with FakeOpenAI([RECORDED[0]], unavailable=1, api_key="s3cret") as srv:
        cfg = EndpointConfig(endpoint=srv.url, model="m", api_key_env="TEST_LLM_KEY", retries=1)
        r, ex = chat_json(cfg, [{"role": "user", "content": "x"}], Request.model_validate, generation_schema())
    assert isinstance(r, Request) and len(srv.requests) == 2 and ex.answers == [RECORDED[0]]
    assert srv.headers[1]["authorization"] == "Bearer s3cret"
    with FakeOpenAI([RECORDED[0]], api_key="other") as srv:  # a wrong key is not retried
        cfg = EndpointConfig(endpoint=srv.url, model="m", api_key_env="TEST_LLM_KEY", retries=3)
        with pytest.raises(Exception, match="HTTP 401.*api_key_env"):
            chat_json(cfg, [{"role": "user", "content": "x"}], Request.model_validate)
    assert len(srv.requests) == 1


def test_unreachable_endpoint_declines_and_the_offline_parser_serves():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = Settings(plugins={"ru_llama": {"endpoint": f"http://127.0.0.1:{port}/v1", "model": "m", "retries": 0,
                                         "timeout": 5}})
    pm = PluginManager(load_entrypoints=False)
    pm.register(ru_plugin, name="ru_llama")
    ctx = Context(config=cfg)
    r = pm.call_single("parse", ctx, text="detect cars, 10 fps")
    assert r.model.speed.value == 10
    [d] = ctx.declines
    assert d.plugin == "ru_llama" and f"127.0.0.1:{port}" in d.reason and "1 attempt" in d.reason


def test_endpoint_config_errors_name_the_key(monkeypatch):
    ctx = lambda table: Context(config=Settings(plugins={"ru_llama": table}))  # noqa: E731
    with pytest.raises(UsageError, match="model"):
        ru_plugin.autommlab_parse(text="detect cars", ctx=ctx({"endpoint": "http://127.0.0.1:1/v1"}))
    with pytest.raises(UsageError, match="timeout"):
        ru_plugin.autommlab_parse(text="detect cars", ctx=ctx({"endpoint": "http://127.0.0.1:1/v1", "model": "m",
                                                               "timeout": "soon"}))
    with pytest.raises(UsageError, match="endpoint"):
        ru_plugin.autommlab_parse(text="detect cars", ctx=ctx({"endpoint": "127.0.0.1:1", "model": "m"}))
    monkeypatch.delenv("NO_SUCH_KEY_VAR", raising=False)
    with pytest.raises(UsageError, match="NO_SUCH_KEY_VAR"):
        ru_plugin.autommlab_parse(text="detect cars", ctx=ctx({"endpoint": "http://127.0.0.1:1/v1", "model": "m",
                                                               "api_key_env": "NO_SUCH_KEY_VAR"}))


def test_extract_json_never_evaluates():
    assert extract_json('```json\n{"a": [1, 2]}\n```') == {"a": [1, 2]}
    assert extract_json('Answer: {"a": 1} hope this helps {"b": 2}') == {"a": 1}
    for text in ("__import__('os').system('true')", "{'a': 1}", ""):
        with pytest.raises(ValueError):
            extract_json(text)
