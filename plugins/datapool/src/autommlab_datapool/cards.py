"""Dataset cards and the JSON registry ``<home>/datapool.json``.

A card says what a registered dataset is: where it lives, its format, the
tasks it can serve, its categories and per-split counts, and the files the
format reader found (annotation files, image and mask folders).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autommlab.errors import DataError, UsageError

from .fsutil import write_json

SourceFormat = Literal["imagenet", "coco", "semantic_masks", "coco_keypoints"]
FORMATS: tuple[str, ...] = ("imagenet", "coco", "semantic_masks", "coco_keypoints")
REGISTRY_FILE = "datapool.json"
REGISTRY_VERSION = 1


class DatasetCard(BaseModel):
    """What the pool knows about one dataset (stored in the registry)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    path: Path
    format: SourceFormat
    tasks: list[str]
    categories: list[str]  # label order of the source ("background" first for masks)
    counts: dict[str, dict[str, int]] = Field(default_factory=dict)  # split -> category -> instances/images
    images: dict[str, int] = Field(default_factory=dict)  # split -> images
    files: dict[str, str] = Field(default_factory=dict)  # what the reader found, absolute paths
    metainfo: dict[str, Any] = Field(default_factory=dict)  # keypoint layout of coco_keypoints
    demo: bool = False
    description: str = ""
    notes: list[str] = Field(default_factory=list)
    added: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def splits(self) -> list[str]:
        return sorted(self.images)

    def total(self, split: str) -> int:
        return self.images.get(split, 0)


def registry_path(home: Path) -> Path:
    return Path(home).expanduser() / REGISTRY_FILE


class Registry:
    """The registered (non-demo) datasets in ``<home>/datapool.json``."""

    def __init__(self, home: Path):
        self.home = Path(home).expanduser()
        self.file = registry_path(self.home)

    def load(self) -> dict[str, DatasetCard]:
        """Cards by name; a malformed registry raises DataError naming the file and entry."""
        if not self.file.is_file():
            return {}
        try:
            raw = json.loads(self.file.read_text())
        except json.JSONDecodeError as e:
            raise DataError(f"{self.file}: not valid JSON ({e}); fix or delete it") from e
        cards: dict[str, DatasetCard] = {}
        for name, entry in (raw.get("datasets") or {}).items():
            try:
                cards[name] = DatasetCard.model_validate(entry)
            except ValidationError as e:
                raise DataError(f"{self.file}: dataset {name!r} is malformed: {e}") from e
        return cards

    def save(self, cards: dict[str, DatasetCard]) -> None:
        data = {"version": REGISTRY_VERSION,
                "datasets": {n: c.model_dump(mode="json") for n, c in sorted(cards.items())}}
        write_json(self.file, data, indent=2)

    def add(self, card: DatasetCard, replace: bool = False) -> None:
        cards = self.load()
        if card.name in cards and not replace:
            raise UsageError(f"dataset {card.name!r} is already registered (path {cards[card.name].path}); "
                             "use --replace to overwrite it")
        cards[card.name] = card
        self.save(cards)

    def remove(self, name: str) -> DatasetCard:
        cards = self.load()
        if name not in cards:
            raise UsageError(f"no registered dataset named {name!r}; registered: {', '.join(sorted(cards)) or 'none'}")
        card = cards.pop(name)
        self.save(cards)
        return card
