"""Download one weight file over HTTP(S): resumable, verified, atomic; and a cheap reachability probe.

In: a URL, the destination path, a timeout, a number of tries and an optional
progress factory (``ctx.progress``-like: ``factory(description, total)`` is a
context manager whose handle has ``update(advance, **info)``). Out: the file at
``dest`` and its sha256 (hex). Nothing else is imported (stdlib only).

- Bytes go to ``<dest>.part``; a later call (or a retry after a dropped
  connection) asks for the rest with an HTTP ``Range`` request and appends;
  a server that ignores ``Range`` (200 instead of 206) restarts the file.
- Timeouts, connection errors and 5xx/408/429 answers are retried with a
  growing pause; other 4xx answers (404, 403) fail at once.
- OpenMMLab file names carry a sha256 prefix (``..._20200708-3b2dc3af.pth``):
  on mismatch the file is deleted and ``HashMismatch`` names URL, expected
  and actual hash. Only then is ``.part`` renamed to ``dest`` (atomic).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

from autommlab.errors import RunFailed

CHUNK = 1 << 20
USER_AGENT = "autommlab-weights/0.1"
#: the sha256 prefix OpenMMLab puts in file names: the last "-<8+ hex>" before "." or "_"
_HASH = re.compile(r"-([0-9a-f]{8,64})(?=[._])")
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}


class DownloadError(RunFailed):
    """A download failed for good (after its retries); the message names the URL and why."""


class HashMismatch(DownloadError):
    """The downloaded file's sha256 does not start with the prefix its name carries."""


def expected_prefix(name_or_url: str) -> str | None:
    """The sha256 prefix an OpenMMLab weight file name carries, or None (``x_20200708-3b2dc3af.pth`` -> ``3b2dc3af``)."""
    name = Path(urlparse(name_or_url).path).name or name_or_url
    hits = _HASH.findall(name)
    return hits[-1] if hits else None


def sha256_file(path: Path, chunk: int = CHUNK) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _is_http(url: str) -> bool:
    return urlparse(url).scheme in ("http", "https")


#: hosts that did not answer in this process: later probes of the same host are not repeated
_UNREACHABLE: dict[str, str] = {}


def probe(url: str, timeout: float = 5.0) -> tuple[bool, str]:
    """Whether ``url`` can be downloaded now (one HEAD request), and what was seen.

    A host that did not answer is remembered for the rest of the process, so
    offering many candidates from one unreachable server costs one timeout.
    """
    if not _is_http(url):
        return False, f"not an http(s) URL: {url}"
    host = urlparse(url).netloc
    if host in _UNREACHABLE:
        return False, _UNREACHABLE[host]
    req = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            size = r.headers.get("Content-Length")
            return True, f"HEAD {r.status}" + (f", {int(size) / 1e6:.1f} MB" if size and size.isdigit() else "")
    except urllib.error.HTTPError as e:
        return False, f"HTTP {e.code} {e.reason}"
    except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
        why = f"{host} did not answer: {getattr(e, 'reason', e)}"
        _UNREACHABLE[host] = why
        return False, why


def _start(part: Path) -> tuple[int, Any]:
    """Bytes already in ``part`` and a sha256 fed with them."""
    h = hashlib.sha256()
    if not part.exists():
        return 0, h
    with open(part, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return part.stat().st_size, h


def _range_start(content_range: str | None) -> int | None:
    m = re.match(r"bytes (\d+)-", content_range or "")
    return int(m.group(1)) if m else None


def download(url: str, dest: Path, *, timeout: float = 30.0, tries: int = 3, progress: Callable | None = None,
             expected: str | None = None, backoff_s: float = 0.5) -> str:
    """Download ``url`` to ``dest`` (see the module docstring); returns the file's sha256.

    ``expected``: the sha256 prefix to check (default: the one in the URL's
    file name; none in the name: not checked). Raises ``DownloadError``.
    """
    if not _is_http(url):
        raise DownloadError(f"cannot download {url!r}: only http(s) URLs are fetched")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    expected = expected if expected is not None else expected_prefix(url)
    last = ""
    for attempt in range(1, max(1, tries) + 1):
        have, h = _start(part)
        headers = {"User-Agent": USER_AGENT}
        if have:
            headers["Range"] = f"bytes={have}-"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as r:
                if r.status == 206 and (not have or _range_start(r.headers.get("Content-Range")) != have):
                    part.unlink(missing_ok=True)  # not the part asked for: start again from the first byte
                    raise http.client.HTTPException(f"unexpected Content-Range {r.headers.get('Content-Range')!r}")
                if have and r.status == 206:
                    mode = "ab"
                else:  # a full answer (the server ignored Range, or there was nothing yet)
                    have, h, mode = 0, hashlib.sha256(), "wb"
                length = r.headers.get("Content-Length")
                total = have + int(length) if length and length.isdigit() else None
                _copy(r, part, mode, h, have, total, progress, Path(dest).name)
            size = part.stat().st_size
            if total is not None and size != total:
                raise http.client.IncompleteRead(b"", total - size)
            break
        except urllib.error.HTTPError as e:
            if e.code == 416 and have:  # nothing left to send: the part may be whole already
                size = _range_total(e.headers.get("Content-Range"))
                if size == have:
                    break
                part.unlink(missing_ok=True)
            if e.code not in _RETRY_STATUS and e.code != 416:
                raise DownloadError(f"cannot download {url}: HTTP {e.code} {e.reason}") from e
            last = f"HTTP {e.code} {e.reason}"
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, http.client.HTTPException,
                OSError) as e:
            reason = getattr(e, "reason", None) or e
            last = "timed out" if isinstance(reason, (socket.timeout, TimeoutError)) else f"{type(e).__name__}: {reason}"
        if attempt < tries:
            time.sleep(backoff_s * 2 ** (attempt - 1))
    else:
        kept = part.stat().st_size if part.exists() else 0
        raise DownloadError(f"cannot download {url} after {tries} tries (timeout {timeout:g} s): {last}"
                            + (f"; {kept} bytes kept in {part}, the next attempt resumes there" if kept else ""))
    actual = h.hexdigest()
    if expected and not actual.startswith(expected):
        part.unlink(missing_ok=True)
        raise HashMismatch(f"downloaded {url} but its sha256 {actual} does not start with {expected} (the prefix in "
                           f"its file name): the file was deleted")
    with open(part, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(part, dest)
    return actual


def _range_total(content_range: str | None) -> int | None:
    m = re.match(r"bytes \*/(\d+)", content_range or "")
    return int(m.group(1)) if m else None


def _copy(r, part: Path, mode: str, h, have: int, total: int | None, progress: Callable | None, name: str) -> None:
    """Stream the response into ``part`` (feeding ``h``), showing size and speed (the bar counts MB)."""
    t0, got, mb = time.monotonic(), 0, 1e6
    bar = progress(f"download {name}", round(total / mb, 1) if total else None) if progress else None
    with bar if bar is not None else contextlib.nullcontext() as handle, open(part, mode) as f:
        if handle is not None and have:
            handle.update(have / mb, resumed=f"{have / mb:.1f} MB")
        while block := r.read(CHUNK):
            f.write(block)
            h.update(block)
            got += len(block)
            if handle is not None:
                rate = got / max(time.monotonic() - t0, 1e-6) / mb
                size = f"{(have + got) / mb:.1f}" + (f"/{total / mb:.1f}" if total else "")
                handle.update(len(block) / mb, MB=size, speed=f"{rate:.1f} MB/s")
