"""Find installed codebase plugins by name (entry points whose module defines ``CODEBASE``)."""

from __future__ import annotations

import importlib
import importlib.metadata

from autommlab.errors import UsageError

from .spec import CodebaseSpec


def installed_specs() -> dict[str, CodebaseSpec]:
    """name -> spec for every installed codebase plugin (imports only their light hook modules)."""
    out: dict[str, CodebaseSpec] = {}
    for ep in importlib.metadata.entry_points(group="autommlab"):
        try:
            mod = importlib.import_module(ep.value.split(":")[0])
        except Exception:  # a broken plugin is reported by `autommlab plugins`, not here
            continue
        spec = getattr(mod, "CODEBASE", None)
        if isinstance(spec, CodebaseSpec):
            out[spec.name] = spec
    return out


def spec_for(name: str) -> CodebaseSpec:
    specs = installed_specs()
    if name not in specs:
        raise UsageError(f"no OpenMMLab codebase plugin named {name!r} is installed "
                         f"(installed: {', '.join(sorted(specs)) or 'none'}); install autommlab-{name}")
    return specs[name]
