"""matplotlib figures of ``ReportPart``s, returned as PNG bytes (Agg backend, no display needed)."""

from __future__ import annotations

import io

from autommlab.report_parts import ReportPart


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    _plt().close(fig)
    return buf.getvalue()


def figure(part: ReportPart) -> bytes | None:
    """PNG of ``part`` (curves, bars, matrix, histogram); None for kinds drawn as HTML (images, table)."""
    plt = _plt()
    if part.kind == "curves":
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        for name, pts in part.series.items():
            if pts:
                xs, ys = zip(*pts)
                ax.plot(xs, ys, marker="o" if len(pts) <= 30 else None, markersize=3, linewidth=1.2, label=name)
        ax.set_xlabel(part.x_label)
        ax.set_ylabel(part.y_label)
        ax.grid(alpha=0.3)
        if part.x_label == "recall":  # a precision-recall curve: both axes are fractions
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1.05)
        if part.series:
            ax.legend(fontsize=8)
    elif part.kind == "bars":
        fig, ax = plt.subplots(figsize=(max(4.0, 0.6 * len(part.labels) + 2), 3.4))
        bars = ax.bar(range(len(part.values)), part.values, color="#4c78a8")
        ax.set_xticks(range(len(part.labels)), part.labels, rotation=30 if len(part.labels) > 6 else 0, ha="right"
                      if len(part.labels) > 6 else "center")
        ax.bar_label(bars, fmt="%.3f", fontsize=8)
        ax.set_ylabel(part.y_label)
        top = max(part.values, default=1.0)
        ax.set_ylim(0, 1.05 if top <= 1 else top * 1.1)
        ax.grid(axis="y", alpha=0.3)
    elif part.kind == "matrix":
        n = len(part.labels)
        fig, ax = plt.subplots(figsize=(max(3.5, 0.7 * n + 2), max(3.0, 0.6 * n + 1.8)))
        im = ax.imshow(part.matrix, cmap="Blues")
        ax.set_xticks(range(n), part.labels, rotation=30 if n > 4 else 0)
        ax.set_yticks(range(n), part.labels)
        ax.set_xlabel(part.x_label)
        ax.set_ylabel(part.y_label)
        peak = max((max(r) for r in part.matrix if r), default=0)
        for i, row in enumerate(part.matrix):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=9,
                        color="white" if peak and v > peak / 2 else "black")
        fig.colorbar(im, ax=ax, fraction=0.046)
    elif part.kind == "histogram":
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        ax.hist(part.values, bins=min(40, max(5, len(part.values) // 5)), color="#72b7b2")
        for i, (name, x) in enumerate(part.markers.items()):
            ax.axvline(x, color=("#e45756", "#f58518", "#54a24b")[i % 3], linestyle="--", label=f"{name} {x:.3g}")
        ax.set_xlabel(part.x_label)
        ax.set_ylabel(part.y_label)
        if part.markers:
            ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    else:
        return None
    ax.set_title(part.title, fontsize=10)
    return _png(fig)
