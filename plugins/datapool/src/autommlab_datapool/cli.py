"""``autommlab data ...``: register, list, show and render datasets of the pool."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .cards import FORMATS

console = Console()


def current_settings():
    """The effective settings for CLI commands (the one place the CLI gets them).

    Uses the config the core CLI loaded (``ctx.obj["config"]``, honouring its
    ``--config``), else loads it the same way.
    """
    from autommlab.config import load_config
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, dict):
        if obj.get("config") is not None:
            return obj["config"].settings
        return load_config(obj.get("config_path")).settings
    return load_config().settings


def _counts_table(card) -> Table:
    splits = sorted(card.counts)
    t = Table(title=f"{card.name}: categories ({'instances' if card.format.startswith('coco') else 'images'})")
    t.add_column("#", justify="right")
    t.add_column("category")
    for s in splits:
        t.add_column(s, justify="right")
    for i, c in enumerate(card.categories):
        t.add_row(str(i), c, *[str(card.counts[s].get(c, 0)) for s in splits])
    return t


@click.group("data")
def data() -> None:
    """The data pool: registered datasets and the built-in demo shapes."""


@data.command("add")
@click.argument("name")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="dataset format")
@click.option("--train-ann", help="COCO: train annotation json (relative to PATH or absolute)")
@click.option("--val-ann", help="COCO: val annotation json")
@click.option("--img-dir", help="COCO: image folder the file_name values are relative to")
@click.option("--classes", help="semantic masks: comma-separated class list, background first")
@click.option("--description", default="", help="free text shown by `data show`")
@click.option("--replace", is_flag=True, help="overwrite an existing entry of the same name")
def add(name, path, fmt, train_ann, val_ann, img_dir, classes, description, replace) -> None:
    """Validate the dataset at PATH and register it as NAME."""
    from .cards import Registry
    from .demo import DEMO_DATASETS
    from .formats import inspect_dataset
    from autommlab.errors import UsageError
    if name in DEMO_DATASETS:
        raise UsageError(f"{name!r} is a built-in demo dataset name; choose another")
    opts = {k: v for k, v in dict(train_ann=train_ann, val_ann=val_ann, img_dir=img_dir, classes=classes).items() if v}
    with console.status(f"reading {path} ..."):
        card = inspect_dataset(name, path, fmt, **opts)
    card.description = description
    Registry(current_settings().home_dir).add(card, replace=replace)
    console.print(f"registered [bold]{name}[/]: {fmt}, serves {', '.join(card.tasks)}, "
                  f"{len(card.categories)} categories, images {card.images}")
    for n in card.notes:
        console.print(f"  note: {n}")


@data.command("remove")
@click.argument("name")
def remove(name) -> None:
    """Unregister NAME (files are not touched)."""
    from .cards import Registry
    card = Registry(current_settings().home_dir).remove(name)
    console.print(f"removed {name} ({card.path})")


@data.command("list")
def list_() -> None:
    """List every dataset in the pool, demo datasets included."""
    from .pool import all_cards
    t = Table(title="data pool")
    t.add_column("name", no_wrap=True)
    for col in ("format", "tasks", "categories", "images", "path"):
        t.add_column(col, overflow="fold")
    for card in all_cards(current_settings().home_dir).values():
        cats = ", ".join(card.categories[:6]) + (f" (+{len(card.categories) - 6})" if len(card.categories) > 6 else "")
        imgs = " / ".join(f"{s} {n}" for s, n in sorted(card.images.items())) or "-"
        t.add_row(card.name + (" (demo)" if card.demo else ""), card.format, ", ".join(card.tasks), cats, imgs,
                  str(card.path))
    console.print(t)


@data.command("show")
@click.argument("name")
@click.option("--samples", "-k", default=6, show_default=True, help="sample images to draw")
@click.option("--out", type=click.Path(path_type=Path), help="PNG path (default <home>/previews/NAME.png)")
@click.option("--seed", default=0, show_default=True)
def show(name, samples, out, seed) -> None:
    """Counts, class table and a PNG of a few samples drawn with their labels."""
    from .draw import render_samples
    from .pool import resolve
    home = current_settings().home_dir
    card = resolve(home, name)
    console.print(f"[bold]{card.name}[/] {'(demo) ' if card.demo else ''}{card.format} at {card.path}")
    console.print(f"tasks: {', '.join(card.tasks)}   images: {card.images}")
    if card.description:
        console.print(card.description)
    console.print(_counts_table(card))
    for layout_name, layout in card.metainfo.get("keypoints", {}).items():
        console.print(f"keypoints of {layout_name!r} ({len(layout['keypoint_names'])}): "
                      f"{', '.join(layout['keypoint_names'])}")
    for n in card.notes:
        console.print(f"note: {n}")
    if samples > 0:
        path = render_samples(card, out or home / "previews" / f"{name}.png", k=samples, seed=seed)
        console.print(f"samples: {path}")


@data.command("demo")
@click.option("--out", type=click.Path(path_type=Path), help="folder (default <home>/demo)")
@click.option("--seed", default=0, show_default=True)
@click.option("--n", "n_train", type=click.IntRange(min=4), default=None,
              help="train images per dataset (default 400 cls, 300 det/seg/kpt); val gets about a quarter as many")
@click.option("--preview/--no-preview", default=True, help="also draw a sample PNG per dataset")
def demo(out, seed, n_train, preview) -> None:
    """Generate the four demo shape datasets (seeded; seconds)."""
    import time

    from .demo import DEMO_DATASETS, demo_train_images, ensure_demo
    from .draw import render_samples
    home = current_settings().home_dir
    t = Table(title="demo pool")
    t.add_column("name", no_wrap=True)
    for col in ("format", "images", "seconds", "path"):
        t.add_column(col, overflow="fold")
    for name in DEMO_DATASETS:
        t0 = time.time()
        scale = 1.0 if n_train is None else n_train / demo_train_images(name)
        with console.status(f"generating {name} ..."):
            card = ensure_demo(home, name, seed=seed, scale=scale, out=out)
        if preview:
            render_samples(card, card.path / "preview.png")
        t.add_row(name, card.format, " / ".join(f"{s} {n}" for s, n in sorted(card.images.items())),
                  f"{time.time() - t0:.1f}", str(card.path))
    console.print(t)
    if preview:
        console.print("samples drawn with their labels: <path>/preview.png")


@data.command("match")
@click.argument("objects", nargs=-1, required=True)
@click.option("--dataset", "-d", help="only this dataset")
@click.option("--task", type=click.Choice(["classification", "detection", "segmentation", "keypoint"]))
def match(objects, dataset, task) -> None:
    """Show how OBJECTS match the categories of each dataset (reason and score)."""
    from .match import match_objects
    from .pool import all_cards
    from .selection import _match_categories
    cards = all_cards(current_settings().home_dir)
    t = Table(title="matches")
    t.add_column("dataset", no_wrap=True)
    for col in ("object", "categories", "reason", "score"):
        t.add_column(col, overflow="fold")
    for name, card in cards.items():
        if (dataset and name != dataset) or (task and task not in card.tasks):
            continue
        res = match_objects(list(objects), _match_categories(card))
        for m in res.matches:
            t.add_row(name, m.request_object, ", ".join(m.categories), m.reason, f"{m.score:.2f}")
        for u in res.unmatched:
            t.add_row(name, u, "[red]no match[/]", "", "")
    console.print(t)
