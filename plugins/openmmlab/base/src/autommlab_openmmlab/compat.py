"""Every work-around for the installed stack in one place (torch 2.14 + OpenMMLab 1.x/3.x).

Each fix says why it is needed; none is applied at import time.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import warnings
from typing import Any, Iterator


@contextlib.contextmanager
def trusted_checkpoint_loading() -> Iterator[None]:
    """Let ``torch.load`` unpickle full checkpoints inside this block only.

    Why: torch >= 2.6 defaults to ``weights_only=True``; checkpoints written by
    mmengine (and the zoo's released ones) hold mmengine/numpy objects in their
    ``meta``, so mmengine's ``load_checkpoint`` fails. Use this ONLY around
    loading checkpoints the project wrote itself or the user named
    (``weights_local`` from the configured weights directory). torch reads the
    variable at every ``torch.load`` call, so the scope is exact.
    """
    key = "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"
    old = os.environ.get(key)
    os.environ[key] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = old


def sync_bn_to_bn(cfg: Any) -> Any:
    """Replace ``SyncBN`` norm layers by ``BN`` in a model config (in place, returned).

    Why: zoo configs use SyncBN for multi-GPU training; on one process (CPU or
    one GPU) SyncBN cannot run. mmengine's Runner reverts it at train time, but
    the dumped config is also built outside the Runner (complexity, mmdeploy
    export), so the config itself must say BN.
    """
    if isinstance(cfg, dict):
        if cfg.get("type") in ("SyncBN", "MMSyncBN"):
            cfg["type"] = "BN"
        for v in cfg.values():
            sync_bn_to_bn(v)
    elif isinstance(cfg, (list, tuple)):
        for v in cfg:
            sync_bn_to_bn(v)
    return cfg


def strip_pretrained(cfg: Any, keep_local: bool = True) -> list[str]:
    """Remove remote pretrained initialisation from a model config (in place).

    Why: nothing may download at run time, and mmengine would try to fetch
    ``init_cfg=dict(type='Pretrained', checkpoint='https://...')`` and
    ``pretrained='https://...'`` when building the model. Local files are kept
    when ``keep_local``. Returns the references removed (for the trial notes).
    """
    removed: list[str] = []

    def remote(ref: Any) -> bool:
        return isinstance(ref, str) and (not keep_local or not os.path.isfile(ref))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            init = node.get("init_cfg")
            inits = init if isinstance(init, list) else [init]
            kept = []
            for i in inits:
                if isinstance(i, dict) and i.get("type") == "Pretrained" and remote(i.get("checkpoint")):
                    removed.append(str(i.get("checkpoint")))
                elif i is not None:
                    kept.append(i)
            if "init_cfg" in node:
                node["init_cfg"] = kept if isinstance(init, list) else (kept[0] if kept else None)
            if remote(node.get("pretrained")):
                removed.append(str(node["pretrained"]))
                node["pretrained"] = None
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    walk(cfg)
    return removed


@contextlib.contextmanager
def runner_device(device: str) -> Iterator[None]:
    """Make mmengine's Runner put the model on ``device`` ("cpu", "cuda", "cuda:1").

    Why: mmengine 0.10's Runner always moves the model to ``get_device()``
    (CUDA whenever it is visible), so a job that asks for CPU on a GPU machine
    would silently train on the GPU.
    """
    import mmengine.runner.runner as runner_mod

    old = runner_mod.get_device
    runner_mod.get_device = lambda: device
    try:
        yield
    finally:
        runner_mod.get_device = old


#: values of ``[plugins.<codebase>] console_log``: the lowest mmengine log level printed on the console
CONSOLE_LEVELS = ("info", "warning", "error")


def build_runner(cfg: Any, console_level: str = "warning") -> Any:
    """``Runner.from_cfg(cfg)`` whose console shows only ``console_level`` and above (on stderr).

    Why: ``Runner.__init__`` prints the full environment (torch build flags) and
    the whole config, and every 10 iterations a log line, for every trial. The
    same text goes to mmengine's own log file in the trial's work dir, so the
    console copy is dropped while the Runner is built (MMLogger binds its
    StreamHandler to ``sys.stdout`` as it is at that moment) and the handler is
    then re-pointed at stderr with the higher level.
    ``console_level = "info"`` keeps mmengine's console output as it is.
    """
    from mmengine.runner import Runner

    if console_level == "info":
        return Runner.from_cfg(cfg)
    with contextlib.redirect_stdout(io.StringIO()):
        runner = Runner.from_cfg(cfg)
    for handler in runner.logger.handlers:
        if type(handler) is logging.StreamHandler:  # FileHandler subclasses StreamHandler: leave it alone
            handler.setStream(sys.stderr)
            handler.setLevel(console_level.upper())
    return runner


@contextlib.contextmanager
def library_warnings_to(path, level: str = "warning") -> Iterator[None]:
    """Collect the Python warnings raised inside the block into ``path`` (one line per distinct warning)
    instead of printing them over the progress bar.

    Why: every trial repeats the same OpenMMLab deprecation notices (``build_loss``, ``FileClient``,
    ``reduce_zero_label``, ...). They say nothing about the run, but a user may want them: they are kept
    in the trial's work dir. ``level = "info"`` prints them as usual.
    """
    if level == "info":
        yield
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        try:
            yield
        finally:
            seen = dict.fromkeys(f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught)
            if seen:
                path.write_text("\n".join(seen) + "\n")


def prepare_imports() -> None:
    """Import-time fixes; call before building any OpenMMLab model or Runner.

    Why (mmpretrain): mmpretrain 1.2 enables its multimodal models (BLIP,
    Flamingo, ...) whenever ``transformers>=4.28`` is importable. With
    transformers 5.x (installed for the LLM plugins) the names they import from
    ``transformers.modeling_utils`` are gone, they fall back to None and
    ``import mmpretrain.models`` dies with "NoneType takes no arguments".
    Classification never uses them, so they are switched off before
    ``mmpretrain.models`` is imported (``import mmpretrain`` itself is safe).
    """
    import importlib.util
    import sys

    if "mmpretrain.models" not in sys.modules and importlib.util.find_spec("mmpretrain") is not None:
        import mmpretrain.utils.dependency as dep

        dep.WITH_MULTIMODAL = False
