"""Configuration: defaults <- autommlab.toml <- AUTOMMLAB_* environment variables.

The file is ``./autommlab.toml`` unless ``--config`` or ``AUTOMMLAB_CONFIG``
names another. Environment variables address nested keys with ``__``:
``AUTOMMLAB_HPO__MAX_TRIALS=5``, ``AUTOMMLAB_STAGES__PARSE=ru_llama``,
``AUTOMMLAB_PLUGINS__RU_LLAMA__MODEL_PATH=/models/llama``. Values are parsed
as TOML scalars when they can be (numbers, booleans), else taken as strings.
Every effective value remembers where it came from (``autommlab config``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import UsageError

ENV_PREFIX = "AUTOMMLAB_"
DEFAULT_FILE = "autommlab.toml"
#: AUTOMMLAB_* variables that are not settings: the config file's path, the fault-injection switch (faults.py)
NOT_SETTINGS = (ENV_PREFIX + "CONFIG", ENV_PREFIX + "FAULT_AT")


class HPOSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_trials: int = Field(3, ge=1, le=1000, strict=True, description="trials per run (the paper's proposal budget)")
    max_wall_time_s: float | None = Field(None, gt=0, allow_inf_nan=False,
                                          description="stop proposing after this much training time")
    budget_scale: float = Field(1.0, gt=0, le=1, description="scale the paper's iteration ranges down (CPU runs)")
    seed: int = Field(0, strict=True)


class DeploySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    backend: str | None = Field(None, description="force a backend; default: the request's engine, else onnxruntime")
    latency_runs: int = Field(200, ge=1, le=100_000, strict=True)
    warmup_runs: int = Field(20, ge=0, le=100_000, strict=True)
    precision: Literal["fp32", "fp16"] = "fp32"


class TrainSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nproc: int = Field(1, ge=1, description="processes per trial: above 1 the trainer runs under torchrun "
                                            "(DDP; gloo on CPU, NCCL on GPU); hparams.batch_size stays the total")


class Settings(BaseModel):
    """The effective configuration of AutoMMLab."""

    model_config = ConfigDict(extra="forbid")
    home: Path = Field(Path("~/.autommlab"), description="caches, trial record, data pool registry")
    run_dir: Path = Field(Path("runs"), description="where run directories are created")
    device: str = Field("cpu", pattern=r"^(cpu|cuda(:\d+)?)$", description="training device: cpu, cuda or cuda:N")
    models_per_run: int = Field(1, ge=1, le=100, strict=True, description="how many top-ranked models the HPO loop tries")
    offline: bool = Field(False, description="never touch the network: no weight downloads or reachability "
                                             "probes (AUTOMMLAB_OFFLINE=1)")
    executor: str = Field("local", description="where trials run: local (one at a time, here) or a plugin's, "
                                                "e.g. ray (autommlab-ray; settings in [plugins.ray])")
    stages: dict[str, str | list[str]] = Field(default_factory=dict, description="stage -> plugin name(s)")
    disabled_plugins: list[str] = Field(default_factory=list)
    plugin_modules: list[str] = Field(default_factory=list,
                                      description="extra plugin modules to register (import paths), e.g. while developing one")
    plugins: dict[str, dict[str, Any]] = Field(default_factory=dict, description="per-plugin settings")
    hpo: HPOSettings = Field(default_factory=HPOSettings)
    train: TrainSettings = Field(default_factory=TrainSettings)
    deploy: DeploySettings = Field(default_factory=DeploySettings)

    @field_validator("stages")
    @classmethod
    def _known_stages(cls, v: dict[str, Any]) -> dict[str, Any]:
        from .hookspecs import STAGE_HOOKS
        unknown = [s for s in v if s not in STAGE_HOOKS]
        if unknown:
            raise ValueError(f"unknown stage {unknown[0]!r}; stages are: {', '.join(STAGE_HOOKS)}")
        return v

    @property
    def home_dir(self) -> Path:
        return self.home.expanduser()


def _flatten(d: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v:
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _set(d: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for p in parts[:-1]:
        d = d.setdefault(p, {})
        if not isinstance(d, dict):
            raise UsageError(f"config key {dotted!r}: {p!r} is a value, not a table")
    d[parts[-1]] = value


def _parse_env_value(raw: str) -> Any:
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _env_key(var: str) -> str:
    parts = [p.lower() for p in var[len(ENV_PREFIX):].split("__")]
    return ".".join(parts)


class LoadedConfig:
    """Effective settings plus where each dotted key's value came from."""

    def __init__(self, settings: Settings, sources: dict[str, str], path: Path | None):
        self.settings = settings
        self.sources = sources
        self.path = path

    def rows(self) -> list[tuple[str, Any, str]]:
        """(dotted key, value, source) for every effective value."""
        flat = _flatten(self.settings.model_dump(mode="json"))
        return [(k, v, self.sources.get(k, "default")) for k, v in sorted(flat.items())]


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """Load and validate the configuration; errors name the file and key."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    sources: dict[str, str] = {}
    explicit = path or env.get(ENV_PREFIX + "CONFIG")
    file = Path(explicit) if explicit else Path(DEFAULT_FILE)
    used: Path | None = None
    if file.is_file():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise UsageError(f"{file}: not valid TOML: {e}") from e
        except (UnicodeDecodeError, OSError) as e:
            raise UsageError(f"{file}: cannot read as UTF-8 TOML ({e})") from e
        raw = data
        used = file
        for k in _flatten(data):
            sources[k] = str(file)
    elif explicit:
        raise UsageError(f"config file {file} does not exist")
    for var, value in env.items():
        if not var.startswith(ENV_PREFIX) or var in NOT_SETTINGS:
            continue
        key = _env_key(var)
        _set(raw, key, _parse_env_value(value))
        sources[key] = f"env {var}"
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as e:
        where = str(used) if used else "environment"
        problems = "; ".join(f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors())
        raise UsageError(f"invalid configuration ({where}): {problems}") from e
    return LoadedConfig(settings, sources, used)
