"""The plugin manager: discovery through entry points, built-ins, stage selection.

Plugins are registered by name: built-ins (``autommlab.builtin.*``) first, then
every entry point in the ``autommlab`` group. Loading an entry point imports
only the plugin's hook module, which must defer heavy imports to its hooks.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
from dataclasses import dataclass
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .context import Context
from .errors import StageUnavailable, UsageError

log = logging.getLogger(__name__)

#: built-in plugins: name -> module (registered as plugins, like pytest's own)
BUILTIN_PLUGINS: dict[str, str] = {
    "offline_parser": "autommlab.parsing.plugin",
    "recipe_hpo": "autommlab.hpo.plugin",
}

ENTRY_POINT_GROUP = "autommlab"

#: distribution that provides each stage by default, named when nothing serves it
STAGE_PROVIDERS: dict[str, str] = {
    "parse": "autommlab (built-in offline parser) or autommlab-ru-llama",
    "select_data": "autommlab-datapool",
    "select_model": "autommlab-openmmlab (or one codebase: autommlab-mmpretrain, -mmdet, -mmseg, -mmpose)",
    "propose_hparams": "autommlab (built-in recipe strategy), autommlab-hpo-llama or autommlab-contrib",
    "train": "autommlab-openmmlab",
    "deploy": "autommlab-deploy-ort or autommlab-deploy-trt",
}


@dataclass
class PluginInfo:
    name: str
    module: str
    distribution: str | None
    version: str | None
    hooks: list[str]
    builtin: bool
    error: str | None = None
    description: str = ""
    opt_in: tuple[str, ...] = ()


class PluginManager:
    """Wraps ``pluggy.PluginManager`` with AutoMMLab's stage selection rules."""

    def __init__(self, stages: dict[str, Any] | None = None, load_entrypoints: bool = True,
                 disabled: Iterable[str] = (), modules: Iterable[str] = ()):
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.stages: dict[str, Any] = {}
        self._info: dict[str, PluginInfo] = {}
        self.disabled = frozenset(disabled)
        self.modules = tuple(modules)
        for name, module in BUILTIN_PLUGINS.items():
            if name not in self.disabled:
                self._register_module(name, module, builtin=True)
        if load_entrypoints:
            self._load_entrypoints()
        for module in self.modules:
            name = module.rsplit(".", 1)[-1]
            if name not in self.disabled and not self.pm.has_plugin(name):
                self._register_module(name, module, builtin=False, dist=None)
        self.configure_stages(stages or {})

    def registers_same_plugins(self, disabled: Iterable[str], modules: Iterable[str]) -> bool:
        """True when a manager built with ``disabled`` / ``modules`` would hold the same plugins as this one
        (so this one can be reused, e.g. by the CLI that registered plugin commands with it)."""
        return self.disabled == frozenset(disabled) and self.modules == tuple(modules)

    # ------------------------------------------------------------------ registration
    def _register_module(self, name: str, module: str, builtin: bool, dist: Any = None) -> None:
        try:
            mod = importlib.import_module(module)
        except Exception as e:  # a broken plugin must not break the CLI
            log.warning("plugin %s (%s) failed to import: %s", name, module, e)
            self._info[name] = PluginInfo(name, module, getattr(dist, "name", None),
                                          getattr(dist, "version", None), [], builtin, error=repr(e))
            return
        self.register(mod, name=name, builtin=builtin,
                      distribution="autommlab" if builtin else getattr(dist, "name", None),
                      version=_version("autommlab") if builtin else getattr(dist, "version", None))

    def _load_entrypoints(self) -> None:
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in self.disabled or self.pm.has_plugin(ep.name) or ep.name in self._info:
                continue
            try:
                obj = ep.load()
            except Exception as e:
                log.warning("plugin %s failed to load: %s", ep.name, e)
                self._info[ep.name] = PluginInfo(ep.name, ep.value, _dist_name(ep), _dist_version(ep), [],
                                                 False, error=f"{type(e).__name__}: {e}")
                continue
            self.register(obj, name=ep.name, builtin=False, distribution=_dist_name(ep), version=_dist_version(ep))

    def register(self, plugin: Any, name: str, builtin: bool = False, distribution: str | None = None,
                 version: str | None = None) -> None:
        """Register a plugin object/module under ``name`` (used by tests and third parties)."""
        self.pm.register(plugin, name=name)
        hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
        meta = self._plugin_meta(plugin, name)
        opt_in = tuple(meta.get("opt_in", ()))
        unknown = [s for s in opt_in if s not in hookspecs.STAGE_HOOKS]
        if unknown:
            log.warning("plugin %s declares opt_in for unknown stage(s) %s", name, unknown)
        self._info[name] = PluginInfo(name, getattr(plugin, "__name__", type(plugin).__name__), distribution,
                                      version, hooks, builtin, description=str(meta.get("description", "")),
                                      opt_in=opt_in)

    def _plugin_meta(self, plugin: Any, name: str) -> dict[str, Any]:
        fn = getattr(plugin, "autommlab_plugin_info", None)
        if fn is None:
            return {}
        try:
            meta = fn()
        except Exception as e:
            log.warning("plugin %s: autommlab_plugin_info failed: %s", name, e)
            return {}
        return meta if isinstance(meta, dict) else {}

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self._info.pop(name, None)

    def configure_stages(self, stages: dict[str, Any]) -> None:
        """Set the ``[stages]`` choice (stage -> plugin name or list of names); unknown stages are an error."""
        for stage in stages:
            if stage not in hookspecs.STAGE_HOOKS:
                raise UsageError(f"[stages] names unknown stage {stage!r}; stages are: {', '.join(hookspecs.STAGE_HOOKS)}")
        self.stages = dict(stages)

    # ------------------------------------------------------------------ queries
    def plugins(self) -> list[PluginInfo]:
        return sorted(self._info.values(), key=lambda p: (not p.builtin, p.name))

    def implementers(self, stage: str) -> list[str]:
        """Names of registered plugins implementing ``stage``'s hook, in call order."""
        hook_name, _ = hookspecs.STAGE_HOOKS[stage]
        caller = getattr(self.pm.hook, hook_name)
        return [self.pm.get_name(impl.plugin) for impl in reversed(caller.get_hookimpls())]

    def chosen(self, stage: str) -> list[str]:
        """Plugins the core will call for ``stage`` under the ``[stages]`` config, in order."""
        names = self.implementers(stage)
        wanted = self.stages.get(stage)
        if wanted is None:
            return [n for n in names if stage not in self._info[n].opt_in]
        wanted_list = [wanted] if isinstance(wanted, str) else list(wanted)
        missing = [w for w in wanted_list if w not in self._info]
        if missing:
            raise StageUnavailable(
                f"[stages] {stage} = {wanted!r}, but no plugin named {', '.join(map(repr, missing))} is installed. "
                f"Installed plugins for {stage}: {', '.join(names) or 'none'}. Provided by: {STAGE_PROVIDERS[stage]}.")
        not_impl = [w for w in wanted_list if w not in names]
        if not_impl:
            raise StageUnavailable(
                f"[stages] {stage} = {wanted!r}, but {', '.join(not_impl)} does not implement {stage}. "
                f"Plugins that do: {', '.join(names) or 'none'}.")
        return wanted_list

    def _caller(self, stage: str):
        hook_name, _ = hookspecs.STAGE_HOOKS[stage]
        chosen = set(self.chosen(stage))
        remove = [self.pm.get_plugin(n) for n in self.implementers(stage) if n not in chosen]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=remove)

    # ------------------------------------------------------------------ calling stages
    def call_single(self, stage: str, ctx: Context, **kwargs: Any) -> Any:
        """Call a single-answer stage; raise ``StageUnavailable`` with every reason when nobody serves it."""
        ctx.stage = stage
        order = self.chosen(stage)
        if not order:
            raise StageUnavailable(f"no installed plugin implements {stage}. Install {STAGE_PROVIDERS[stage]}.")
        result = self._caller(stage)(ctx=ctx, **kwargs)
        if result is None:
            raise StageUnavailable(self._why_not(stage, ctx, order))
        return result

    def call_collect(self, stage: str, ctx: Context, **kwargs: Any) -> list[Any]:
        """Call a collecting stage; flatten every plugin's list. Raise when nobody offered anything."""
        ctx.stage = stage
        order = self.chosen(stage)
        if not order:
            raise StageUnavailable(f"no installed plugin implements {stage}. Install {STAGE_PROVIDERS[stage]}.")
        results = self._caller(stage)(ctx=ctx, **kwargs)
        flat = [item for part in results if part for item in part]
        if not flat:
            raise StageUnavailable(self._why_not(stage, ctx, order))
        return flat

    def call_companion(self, stage: str, hook_name: str, ctx: Context, **kwargs: Any) -> Any:
        """Call an optional companion hook of a single-answer ``stage`` (e.g. ``autommlab_propose_batch``
        of propose_hparams) on the plugins chosen for ``stage`` only; None when none of them answers."""
        ctx.stage = stage
        chosen = set(self.chosen(stage))
        caller = getattr(self.pm.hook, hook_name)
        remove = [i.plugin for i in caller.get_hookimpls() if self.pm.get_name(i.plugin) not in chosen]
        return self.pm.subset_hook_caller(hook_name, remove_plugins=remove)(ctx=ctx, **kwargs)

    def _why_not(self, stage: str, ctx: Context, order: list[str]) -> str:
        reasons = {d.plugin: d.reason for d in ctx.declines_for(stage)}
        lines = [f"no plugin could serve {stage}:"]
        for name in order:
            lines.append(f"  - {name}: {reasons.get(name, 'returned nothing and gave no reason')}")
        for name, reason in reasons.items():
            if name not in order:
                lines.append(f"  - {name}: {reason}")
        lines.append(f"Plugins for {stage} come from: {STAGE_PROVIDERS[stage]}.")
        return "\n".join(lines)

    @property
    def hook(self):
        return self.pm.hook


def _dist_name(ep: Any) -> str | None:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None)


def _dist_version(ep: Any) -> str | None:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "version", None)


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None
