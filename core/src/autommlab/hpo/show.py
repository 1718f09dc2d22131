"""The recorded trials of a replay table, one table per group (``autommlab hpo show``).

In: ``replay.Group`` objects. Out: header + rows (strings) per group, as a rich
table or markdown; the best trial of each group is marked.
"""

from __future__ import annotations

from .replay import Group

COLUMNS = ["optimizer", "lr", "wd", "schedule", "warm-up", "iters", "batch", "status", "metric", "wall s"]


def group_title(g: Group) -> str:
    d = g.records[0].data
    return (f"{g.label} on {', '.join(g.datasets) or '?'} ({d.get('num_train', '?')} train / "
            f"{d.get('num_val', '?')} val), budget scale {g.scale:g}, {len(g.records)} trials")


def group_header(g: Group) -> list[str]:
    """The column names of ``group_rows``, the metric column named after the group's primary metric."""
    return COLUMNS[:-2] + [g.records[0].primary_metric, COLUMNS[-1]]


def group_rows(g: Group) -> list[list[str]]:
    """One row per record, in table order (columns: ``group_header``)."""
    best = g.high if g.scores and not g.is_flat() else None
    rows = []
    for r in g.records:
        hp = r.hparams
        metric = "-" if r.score is None else f"{r.score:.4f}" + (" (best)" if r.score == best else "")
        rows.append([hp.optimizer, f"{hp.lr:g}", f"{hp.weight_decay:g}", hp.lr_schedule, str(hp.warmup_iters),
                     str(hp.iters), str(hp.batch_size), r.status if not r.error else f"{r.status}: {r.error[:60]}",
                     metric, f"{r.wall_time_s:.0f}"])
    return rows


def markdown(groups: list[Group]) -> str:
    out = []
    for g in groups:
        head = group_header(g)
        out += [f"**{group_title(g)}**", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(row) + " |" for row in group_rows(g)]
        out.append("")
    return "\n".join(out)
