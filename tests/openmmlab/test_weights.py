"""Zoo weights without internet: a real HTTP server on 127.0.0.1 serves a real checkpoint the test wrote.

Covers download + verification, cache hit, resume of a partial download (HTTP
Range), a server ignoring Range, hash mismatch, 404, timeout, offline mode,
the HEAD probe behind ``weights_status``, ranking and the fine-tuning recipe,
and ``autommlab models fetch`` / ``models cache [--prune]``.
"""

from __future__ import annotations

import hashlib
import io
import json
import time

import pytest

from autommlab.config import Settings, load_config
from autommlab.context import Context
from autommlab.schemas import ModelCandidate
from autommlab_openmmlab import download as dl
from autommlab_openmmlab import weights

from .weights_server import serve, zoo_name


@pytest.fixture(scope="module")
def ckpt() -> bytes:
    """A real (small) checkpoint: a seeded torch model's state dict, as mmengine stores it."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8), torch.nn.Flatten(),
                              torch.nn.Linear(8 * 30 * 30, 40))  # 1.15 MB: more than one download chunk
    buf = io.BytesIO()
    torch.save({"meta": {"note": "test"}, "state_dict": net.state_dict()}, buf)
    return buf.getvalue()


def _ctx(tmp_path, offline=False, **openmmlab) -> Context:
    return Context(config=Settings(home=tmp_path / "home", offline=offline,
                                   plugins={"openmmlab": {"download_timeout_s": 5, **openmmlab}}))


def _cand(url: str, **kw) -> ModelCandidate:
    kw.setdefault("weights_status", "fetchable")  # as select-model found it (annotate)
    return ModelCandidate(codebase="mmpretrain", name="tiny-net", task="classification", weights=url, **kw)


def test_zoo_hash_prefix_from_names():
    assert dl.expected_prefix("https://x/mobilenet_v2_batch256_imagenet_20200708-3b2dc3af.pth") == "3b2dc3af"
    assert dl.expected_prefix("rtmpose-tiny_simcc-aic-coco_pt-aic-coco_420e-256x192-cfc8f33d_20230126.pth") == "cfc8f33d"
    assert dl.expected_prefix("rtmdet_tiny_8xb32-300e_coco_20220902_112414-78e30dcc.pth") == "78e30dcc"
    assert dl.expected_prefix("my_model.pth") is None


def test_download_verifies_then_cache_hit_needs_no_request(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    with serve({f"/w/{name}": ckpt}) as srv:
        ctx = _ctx(tmp_path)
        r, notes = weights.resolve(_cand(srv.url(f"/w/{name}")), ctx, "mmpretrain")
        assert r.source == "download" and r.path == tmp_path / "home" / "weights" / name
        assert r.path.read_bytes() == ckpt and r.sha256 == hashlib.sha256(ckpt).hexdigest() and r.verified
        assert not r.path.with_name(name + ".part").exists()
        assert "downloaded" in notes[0] and srv.url(f"/w/{name}") in notes[0] and r.expected in notes[0]
        assert len(srv.gets()) == 1
        again, notes2 = weights.resolve(_cand(srv.url(f"/w/{name}")), ctx, "mmpretrain")
        assert again.source == "cache" and again.sha256 == r.sha256 and "cached" in notes2[0]
        assert len(srv.requests) == 1  # the cache hit asked the server nothing


def test_partial_file_is_resumed_with_a_range_request(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    dest = tmp_path / "home" / "weights" / name
    dest.parent.mkdir(parents=True)
    half = len(ckpt) // 2
    dest.with_name(name + ".part").write_bytes(ckpt[:half])  # an earlier, interrupted download
    with serve({f"/{name}": ckpt}) as srv:
        sha = dl.download(srv.url(f"/{name}"), dest, timeout=5, tries=1)
    assert srv.gets() == [("GET", f"/{name}", f"bytes={half}-")] and srv.sent == len(ckpt) - half
    assert dest.read_bytes() == ckpt and sha == hashlib.sha256(ckpt).hexdigest()


def test_dropped_connection_is_retried_from_where_it_stopped(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    with serve({f"/{name}": ckpt}) as srv:
        srv.drop_after = len(ckpt) // 3
        seen = []

        class Bar:
            def __init__(self, desc, total):
                seen.append((desc, total))

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def update(self, advance=1, **info):
                seen.append(info)

        sha = dl.download(srv.url(f"/{name}"), tmp_path / name, timeout=5, tries=3, backoff_s=0.01, progress=Bar)
    gets = srv.gets()
    assert len(gets) == 2 and gets[0][2] is None and gets[1][2] == f"bytes={len(ckpt) // 3}-"
    assert (tmp_path / name).read_bytes() == ckpt and sha.startswith(dl.expected_prefix(name))
    assert seen[0] == (f"download {name}", round(len(ckpt) / 1e6, 1))
    assert any("speed" in s and s["speed"].endswith("MB/s") for s in seen if isinstance(s, dict))


def test_server_ignoring_range_restarts_the_file(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    (tmp_path / (name + ".part")).write_bytes(b"garbage that is not the file's start")
    with serve({f"/{name}": ckpt}) as srv:
        srv.ignore_range = True
        dl.download(srv.url(f"/{name}"), tmp_path / name, timeout=5, tries=1)
    assert (tmp_path / name).read_bytes() == ckpt


def test_hash_mismatch_deletes_the_file_and_names_url_and_hashes(tmp_path, ckpt):
    bad = "tiny_20261203-deadbeef.pth"  # the name claims a hash the bytes do not have
    with serve({f"/{bad}": ckpt}) as srv:
        url = srv.url(f"/{bad}")
        with pytest.raises(dl.HashMismatch) as e:
            weights.resolve(_cand(url), _ctx(tmp_path), "mmpretrain")
    msg = str(e.value)
    assert url in msg and "deadbeef" in msg and hashlib.sha256(ckpt).hexdigest() in msg and "deleted" in msg
    assert not list((tmp_path / "home" / "weights").glob("tiny*"))


def test_a_corrupted_cache_file_is_deleted_and_reported(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    cached = tmp_path / "home" / "weights" / name
    cached.parent.mkdir(parents=True)
    cached.write_bytes(ckpt[:-10] + b"0123456789")
    with pytest.raises(dl.HashMismatch, match="cached .* does not start with .*deleted"):
        weights.resolve(_cand(f"http://127.0.0.1:9/{name}"), _ctx(tmp_path), "mmpretrain")
    assert not cached.exists()


def test_404_fails_at_once_naming_the_url(tmp_path):
    with serve({}) as srv:
        url = srv.url("/nothing_20261203-00000000.pth")
        with pytest.raises(dl.DownloadError, match=r"HTTP 404") as e:
            weights.resolve(_cand(url), _ctx(tmp_path, download_tries=3), "mmpretrain")
        assert url in str(e.value) and len(srv.gets()) == 1  # a 404 is not retried


def test_timeout_is_retried_then_fails(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    with serve({f"/{name}": ckpt}) as srv:
        srv.delay_s = 1.5
        t0 = time.monotonic()
        with pytest.raises(dl.DownloadError, match=r"after 2 tries \(timeout 0.2 s\): timed out"):
            dl.download(srv.url(f"/{name}"), tmp_path / name, timeout=0.2, tries=2, backoff_s=0.01)
        assert time.monotonic() - t0 < 1.4 and len(srv.gets()) == 2
    assert not (tmp_path / name).exists()


def test_offline_never_touches_the_network(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    with serve({f"/{name}": ckpt}) as srv:
        ctx = _ctx(tmp_path, offline=True)
        r, notes = weights.resolve(_cand(srv.url(f"/{name}")), ctx, "mmpretrain")
        assert r is None and "offline = true" in notes[0] and "autommlab models fetch tiny-net" in notes[0]
        [c] = weights.annotate([_cand(srv.url(f"/{name}"))], ctx, "mmpretrain")
        assert c.weights_status == "offline" and c.weights_local is None
        # a file already in the cache is still used offline
        cached = tmp_path / "home" / "weights" / name
        cached.parent.mkdir(parents=True)
        cached.write_bytes(ckpt)
        r, _ = weights.resolve(_cand(srv.url(f"/{name}")), ctx, "mmpretrain")
        assert r.source == "cache" and r.verified
        [c] = weights.annotate([_cand(srv.url(f"/{name}"))], ctx, "mmpretrain")
        assert c.weights_status == "cached" and c.weights_local == cached.resolve()
        assert srv.requests == []


def test_offline_from_the_environment():
    assert load_config(environ={"AUTOMMLAB_OFFLINE": "1"}).settings.offline is True
    assert load_config(environ={}).settings.offline is False


def test_probe_status_ranking_and_finetune_recipe(tmp_path, ckpt):
    from autommlab.hpo.recipe import first_proposal
    from autommlab.ranking import rank_candidates
    from autommlab.schemas import DataPlan, Recipe, Request

    name = zoo_name("tiny", ckpt)
    with serve({f"/{name}": ckpt}) as srv:
        ctx = _ctx(tmp_path)
        cands = [_cand(srv.url("/missing_20261203-00000000.pth"), reported_metrics={"accuracy": 0.9}),
                 _cand(srv.url(f"/{name}"), reported_metrics={"accuracy": 0.7}).model_copy(update={"name": "other"})]
        gone, ok = weights.annotate(cands, ctx, "mmpretrain")
        assert [r[0] for r in srv.requests] == ["HEAD", "HEAD"]
    assert gone.weights_status == "unreachable" and "HTTP 404" in gone.weights_note
    assert ok.weights_status == "fetchable" and "HEAD 200" in ok.weights_note
    req = Request.model_validate({"model": {"task": "classification"}}).normalized
    ranked, _ = rank_candidates([gone, ok], req)
    # the lower-scoring model wins because its weights can be had
    assert ranked[0].name == "other" and any("zoo weights fetchable" in r for r in ranked[0].reasons)
    assert any("not reachable" in r and "trained from scratch" in r for r in ranked[1].reasons)

    plan = DataPlan(source="t", datasets=["d"], task="classification", format="imagenet", root=tmp_path,
                    classes=["a", "b"], train_counts={"a": 200, "b": 200}, val_counts={"a": 50, "b": 50})
    recipe = Recipe(optimizer="SGD", lr=0.045, momentum=0.9, weight_decay=4e-5, batch_size=256,
                    schedule="StepLR", iters=100000)
    tuned = first_proposal(ok.model_copy(update={"recipe": recipe}), plan, "cpu", 1.0)
    scratch = first_proposal(gone.model_copy(update={"recipe": recipe}), plan, "cpu", 1.0)
    assert tuned.optimizer == "SGD" and "fine-tuning from the zoo weights: lr x0.2" in tuned.rationale
    assert tuned.lr == pytest.approx(0.045 * 8 / 256 * 0.2, rel=1e-3)
    assert scratch.optimizer == "AdamW" and tuned.iters < scratch.iters


def test_models_fetch_and_cache_commands(tmp_path, monkeypatch, ckpt):
    from click.testing import CliRunner

    from autommlab_openmmlab.commands import models

    monkeypatch.setenv("AUTOMMLAB_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    name = zoo_name("tiny", ckpt)
    cache = tmp_path / "home" / "weights"
    with serve({f"/{name}": ckpt}) as srv:
        r = CliRunner().invoke(models, ["fetch", srv.url(f"/{name}")])
        assert r.exit_code == 0, r.output
        assert "downloaded" in r.output and hashlib.sha256(ckpt).hexdigest() in r.output
        r = CliRunner().invoke(models, ["fetch", srv.url(f"/{name}")])
        assert "already there" in r.output and len(srv.gets()) == 1
        r = CliRunner().invoke(models, ["fetch", "no-such-zoo-model"])
        assert r.exit_code != 0 and "no installed zoo model is named 'no-such-zoo-model'" in str(r.exception)
    (cache / "other_20261203-00000000.pth.part").write_bytes(b"partial")
    r = CliRunner(env={"COLUMNS": "250"}).invoke(models, ["cache"])
    assert r.exit_code == 0, r.output
    assert name in r.output and "sha256 ok" in r.output and "partial download" in r.output
    assert json.loads((cache / (name + ".json")).read_text())["url"].endswith(name)
    r = CliRunner(env={"COLUMNS": "250"}).invoke(models, ["cache", "--prune"])
    # neither file is named by an installed zoo model (and one is partial): both go
    assert r.exit_code == 0 and "pruned 2 files" in r.output, r.output
    assert not list(cache.glob("*.pth*"))
    monkeypatch.setenv("AUTOMMLAB_OFFLINE", "1")
    r = CliRunner().invoke(models, ["fetch", "http://127.0.0.1:9/x.pth"])
    assert r.exit_code != 0 and "needs the network" in str(r.exception)


def test_weights_unreachable_when_offered_are_not_downloaded_at_train_time(tmp_path, ckpt):
    name = zoo_name("tiny", ckpt)
    with serve({f"/{name}": ckpt}) as srv:
        url = srv.url(f"/{name}")
        r, notes = weights.resolve(_cand(url, weights_status="unreachable", weights_note="x did not answer"),
                                   _ctx(tmp_path), "mmpretrain")
        assert r is None and "not reachable (x did not answer)" in notes[0] and srv.requests == []
        # no status (a candidate written before it existed): probed, then downloaded
        r, _ = weights.resolve(_cand(url, weights_status=None), _ctx(tmp_path), "mmpretrain")
        assert r.source == "download" and [q[0] for q in srv.requests] == ["HEAD", "GET"]


def test_fetch_names_map_to_the_zoo_urls():
    pytest.importorskip("mmpretrain")
    from autommlab_openmmlab.commands import _find_urls

    [(label, url)] = _find_urls(("mobilenet-v2_8xb32_in1k",))
    assert label == "mmpretrain/mobilenet-v2_8xb32_in1k"
    assert url.startswith("https://download.openmmlab.com/") and dl.expected_prefix(url) == "3b2dc3af"
