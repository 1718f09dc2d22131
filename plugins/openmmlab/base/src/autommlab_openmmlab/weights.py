"""Zoo weights for a candidate: find them on disk, say whether they can be had, fetch and verify them.

Looked up by the URL's file name, in this order: ``[plugins.<name>] weights_dir``
(or ``[plugins.openmmlab] weights_dir``), the cache ``<home>/weights/``, torch's
hub cache (where mmengine stores its own downloads); else downloaded into the
cache (``download.py``: resumable, verified, atomic). ``offline = true`` never
touches the network.

- ``local_weights`` / ``find_local``: the file on disk, if any (select time, no hashing).
- ``annotate``: ``weights_status`` and ``weights_note`` of each candidate (one HEAD per URL, in parallel).
- ``resolve``: the file a trial starts from (downloading when needed), its source, URL and sha256.

Settings (``[plugins.<name>]`` first, then ``[plugins.openmmlab]``): ``weights_dir``,
``download_timeout_s`` (30), ``download_tries`` (3), ``probe_timeout_s`` (5).
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from . import download as dl

DEFAULTS = {"download_timeout_s": 30.0, "download_tries": 3, "probe_timeout_s": 5.0}
SOURCES = ("weights_dir", "cache", "torch hub cache")


def hub_dir() -> Path:
    torch_home = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "torch")
    return Path(torch_home) / "hub" / "checkpoints"


def cache_dir(home: Path) -> Path:
    """Where downloaded weights are kept: ``<home>/weights``."""
    return Path(home).expanduser() / "weights"


def file_name(url: str | None) -> str | None:
    return Path(urlparse(url).path).name or None if url else None


def find_local(url: str | None, dirs: list[str | Path], home: Path | None = None) -> tuple[Path, str] | None:
    """``(file, source)`` for weights ``url`` in ``dirs``, the cache or the hub cache; None if absent."""
    fname = file_name(url)
    if not fname:
        return None
    places = [(d, "weights_dir") for d in dirs if d]
    if home is not None:
        places.append((cache_dir(home), "cache"))
    places.append((hub_dir(), "torch hub cache"))
    for d, source in places:
        p = Path(d).expanduser() / fname
        if p.is_file():
            return p.resolve(), source
    return None


def local_weights(url: str | None, dirs: list[str | Path], home: Path | None = None) -> Path | None:
    """The local file for weights ``url`` (see ``find_local``), else None."""
    hit = find_local(url, dirs, home)
    return hit[0] if hit else None


def weights_dirs(ctx, plugin_name: str) -> list[str]:
    out = []
    for name in (plugin_name, "openmmlab"):
        d = ctx.plugin_config(name).get("weights_dir") if ctx is not None else None
        if d:
            out.append(str(d))
    return out


def setting(ctx, plugin_name: str, key: str):
    for name in (plugin_name, "openmmlab"):
        v = ctx.plugin_config(name).get(key) if ctx is not None else None
        if v is not None:
            return type(DEFAULTS[key])(v)
    return DEFAULTS[key]


def is_offline(ctx) -> bool:
    return bool(getattr(getattr(ctx, "config", None), "offline", False))


def home_of(ctx) -> Path:
    cfg = getattr(ctx, "config", None)
    return cfg.home_dir if cfg is not None else Path("~/.autommlab").expanduser()


def status(url: str | None, local: Path | None, source: str | None, ctx, plugin_name: str) -> tuple[str, str]:
    """``(weights_status, weights_note)`` for one candidate (see ``ModelCandidate``)."""
    if local is not None:
        return "cached", f"{source}: {local}"
    if not url:
        return "none", "the zoo names no weights for this model"
    if is_offline(ctx):
        return "offline", "offline = true: not looked up on the network"
    ok, seen = dl.probe(url, setting(ctx, plugin_name, "probe_timeout_s"))
    return ("fetchable" if ok else "unreachable"), f"{url}: {seen}"


def annotate(cands: list, ctx, plugin_name: str) -> list:
    """Candidates with ``weights_status`` / ``weights_note`` set (probes run in parallel, 8 at a time)."""
    dirs, home = weights_dirs(ctx, plugin_name), home_of(ctx)

    def one(c):
        hit = find_local(c.weights, dirs, home)
        local, source = hit if hit else (None, None)
        st, note = status(c.weights, local, source, ctx, plugin_name)
        return c.model_copy(update={"weights_local": local, "weights_status": st, "weights_note": note})

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, cands))


# ---------------------------------------------------------------------------- the file a trial starts from
@dataclass
class Resolved:
    """The weight file a trial starts from: where it is, where it came from, its sha256."""

    path: Path
    source: str  # "weights_dir", "cache", "torch hub cache", "download"
    url: str | None
    sha256: str
    expected: str | None  # the prefix in the file name (None: the name carries none)
    notes: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool | None:
        return None if not self.expected else self.sha256.startswith(self.expected)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def cached_sha256(path: Path) -> str:
    """sha256 of a file in the cache, from its sidecar when size and mtime still match (else hashed)."""
    side = _sidecar(path)
    st = path.stat()
    try:
        meta = json.loads(side.read_text())
        if meta.get("size") == st.st_size and meta.get("mtime_ns") == st.st_mtime_ns and meta.get("sha256"):
            return str(meta["sha256"])
    except (OSError, ValueError):
        pass
    return dl.sha256_file(path)


def write_sidecar(path: Path, url: str | None, sha256: str) -> None:
    st = path.stat()
    tmp = _sidecar(path).with_suffix(".tmp")
    tmp.write_text(json.dumps({"url": url, "sha256": sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}))
    os.replace(tmp, _sidecar(path))


def read_sidecar(path: Path) -> dict:
    try:
        return json.loads(_sidecar(path).read_text())
    except (OSError, ValueError):
        return {}


def fetch(url: str, home: Path, *, timeout: float, tries: int, progress=None, dest_dir: Path | None = None) -> Resolved:
    """Download ``url`` into the cache (or ``dest_dir``) unless it is there and verified; raises ``DownloadError``."""
    fname = file_name(url)
    if not fname:
        raise dl.DownloadError(f"cannot download {url!r}: the URL names no file")
    dest = Path(dest_dir or cache_dir(home)) / fname
    expected = dl.expected_prefix(fname)
    if dest.is_file():
        sha = cached_sha256(dest)
        if not expected or sha.startswith(expected):
            return Resolved(dest, "cache", url, sha, expected)
        dest.unlink()
        _sidecar(dest).unlink(missing_ok=True)
        raise dl.HashMismatch(f"cached {dest} (from {url}) has sha256 {sha}, which does not start with {expected} "
                              f"(the prefix in its name): the file was deleted; the next attempt downloads it again")
    sha = dl.download(url, dest, timeout=timeout, tries=tries, progress=progress, expected=expected)
    write_sidecar(dest, url, sha)
    return Resolved(dest, "download", url, sha, expected)


def resolve(model, ctx, plugin_name: str, progress=None) -> tuple[Resolved | None, list[str]]:
    """The weight file a trial of ``model`` (a ``ModelCandidate``) starts from, and notes for the trial.

    None (with a note saying why) when nothing is on disk and the zoo names no
    weights, offline = true, or the URL did not answer when the candidate was
    offered (``weights_status`` "unreachable"). Files in ``weights_dir`` or torch's hub cache
    are the user's: a name/hash mismatch is reported, the file is used as it is.
    A cached or downloaded file that fails its check is deleted and raises
    ``download.HashMismatch``; a download that fails raises ``download.DownloadError``.
    """
    url = model.weights
    home = home_of(ctx)
    hit = None
    if model.weights_local is not None and Path(model.weights_local).is_file():
        p = Path(model.weights_local).resolve()
        found = find_local(url, weights_dirs(ctx, plugin_name), home)
        hit = (p, found[1] if found and found[0] == p else "weights_dir")
    elif url:
        hit = find_local(url, weights_dirs(ctx, plugin_name), home)
    if hit is not None and hit[1] != "cache":
        path, source = hit
        r = Resolved(path, source, url, dl.sha256_file(path), dl.expected_prefix(path.name))
        if r.verified is False:
            r.notes.append(f"{source} file {path}: sha256 {r.sha256[:16]}... does not start with {r.expected} (the "
                           f"prefix in its name): not the zoo's file; used as placed")
        else:
            r.notes.append(f"weights from the {source}: {path}; {_check(r)}")
        return r, r.notes
    if not url and hit is None:
        return None, [f"the zoo names no weights for {model.name}"]
    if hit is None and is_offline(ctx):
        return None, [f"offline = true: {url} was not downloaded (fetch it with `autommlab models fetch "
                      f"{model.name}` where there is a network, then copy it to weights_dir)"]
    if hit is None:
        st, seen = model.weights_status, model.weights_note
        if st is None:  # a candidate from before weights_status existed (an old run resumed): look now
            ok, seen = dl.probe(url, setting(ctx, plugin_name, "probe_timeout_s"))
            st = "fetchable" if ok else "unreachable"
        if st == "unreachable":
            return None, [f"zoo weights not reachable ({seen or url}): not downloaded"]
    r = fetch(url, home, timeout=setting(ctx, plugin_name, "download_timeout_s"),
              tries=int(setting(ctx, plugin_name, "download_tries")), progress=progress)
    r.notes.append(f"zoo weights {'downloaded' if r.source == 'download' else 'cached'}: {r.path} from {url}; "
                   f"{_check(r)}")
    return r, r.notes


def _check(r: Resolved) -> str:
    if r.expected:
        return f"sha256 {r.sha256[:16]}... matches the prefix {r.expected} in its name"
    return f"sha256 {r.sha256[:16]}... (its name carries no hash to check)"
