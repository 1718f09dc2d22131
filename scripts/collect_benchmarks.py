"""Rebuild BENCHMARKS.md from the sections in docs/bench/ (headings demoted one level)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = [("Request understanding (offline parser, RU-LLaMA)", "docs/bench/ru.md"),
            ("OpenMMLab training: CPU speed and memory", "docs/bench/openmmlab.md"),
            ("Deployment: ONNX Runtime vs PyTorch, TensorRT", "docs/bench/deploy.md"),
            ("Hyperparameter optimisation: strategies replayed on real trials", "docs/bench/hpo.md"),
            ("Scaling: trials on Ray, DDP on CPU", "docs/bench/scale.md"),
            ("Faults and bad input: kill -9 and resume, hostile input, security", "docs/bench/faults.md"),
            ("Zoo weights: download, cache, added time per trial", "docs/bench/weights.md"),
            ("Reports, web UI and per-backend benchmark", "docs/bench/report.md")]
HEADER = """# Benchmarks

Every number here comes from a command that was run; each section gives the command, the machine and
the date. Unless a section says otherwise the machine is this project's: 2 CPU cores, 24 GiB, no GPU,
Python 3.11.7, torch 2.14.1. Training speed, deployment latency and the HPO table's segmentation,
detection and keypoint trials were measured on **quiet cores** (2026-11-23 evening, nothing else
running); the earlier measurements of that day, kept below them, were taken while other jobs shared
the two cores (load average 5-9) and are upper bounds. No GPU was lent to the sessions that wrote
this, so there are no TensorRT or CUDA numbers.
The sections live in `docs/bench/`; `python scripts/collect_benchmarks.py` rebuilds this file.
"""


def demote(lines: list[str]) -> list[str]:
    out, in_code = [], False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        out.append("#" + line if (line.startswith("#") and not in_code) else line)
    return out


def main() -> None:
    out = [HEADER]
    for title, path in SECTIONS:
        lines = (ROOT / path).read_text().strip().splitlines()
        if lines and lines[0].startswith("# "):
            lines = lines[1:]
        out += [f"## {title}", "", f"(from `{path}`)", "", "\n".join(demote(lines)).strip(), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(out))


if __name__ == "__main__":
    main()
