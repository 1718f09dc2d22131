"""The pool as a whole: registered cards plus the implicit demo cards."""

from __future__ import annotations

from pathlib import Path

from .cards import DatasetCard, Registry
from .demo import DEMO_DATASETS, demo_card_stub, demo_root


def all_cards(home: Path) -> dict[str, DatasetCard]:
    """Registered cards, then every demo card (generated ones with counts, others as stubs)."""
    import json
    cards = Registry(home).load()
    for name in DEMO_DATASETS:
        if name in cards:
            continue
        f = demo_root(home) / name / "card.json"
        card = None
        if f.is_file():
            try:
                card = DatasetCard.model_validate(json.loads(f.read_text())["card"])
            except Exception:  # a half-written demo is regenerated on use
                card = None
        cards[name] = card or demo_card_stub(name)
    return cards


def resolve(home: Path, name: str, seed: int = 0) -> DatasetCard:
    """The card named ``name``, generating a demo dataset on first use; UsageError lists the names."""
    from autommlab.errors import UsageError
    cards = Registry(home).load()
    if name in cards:
        return cards[name]
    if name in DEMO_DATASETS:
        from .demo import ensure_demo
        return ensure_demo(home, name, seed=seed)
    from rapidfuzz import process
    known = sorted([*cards, *DEMO_DATASETS])
    close = [m[0] for m in process.extract(name, known, limit=3, score_cutoff=60)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"no dataset named {name!r} in the pool (known: {', '.join(known)}){hint}")
