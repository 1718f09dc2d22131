"""Procedural scenes: shapes on textured backgrounds with exact masks, boxes and keypoints.

Pure drawing (numpy + PIL), no files: ``demo.py`` writes datasets from these.
Colours never depend on the class, so a model has to learn the shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SHAPES = ("circle", "square", "triangle", "star")
FIGURE_KEYPOINTS = ("head", "neck", "left_hand", "right_hand", "pelvis", "left_foot", "right_foot")
FIGURE_SKELETON = ((0, 1), (1, 2), (1, 3), (1, 4), (4, 5), (4, 6))  # 0-based
FIGURE_FLIP = ((2, 3), (5, 6))
FIGURE_SIGMAS = (0.06, 0.07, 0.08, 0.08, 0.08, 0.09, 0.09)


@dataclass
class Obj:
    """One drawn object: its class, visible mask (bool HxW) and bbox [x, y, w, h] of the visible part."""

    label: str
    mask: np.ndarray
    bbox: list[float]
    keypoints: list[float] | None = None  # x, y, v triplets (figures only)


def background(rng: np.random.Generator, w: int, h: int, texture: float = 1.0) -> np.ndarray:
    """A muted two-colour gradient with blotches and pixel noise (HxWx3 float); ``texture`` scales the clutter."""
    c0, c1 = rng.uniform(40, 170, 3), rng.uniform(40, 170, 3)
    t = np.linspace(0, 1, w)[None, :, None] if rng.random() < 0.5 else np.linspace(0, 1, h)[:, None, None]
    img = c0 * (1 - t) + c1 * t + np.zeros((h, w, 3))
    blot = Image.fromarray(rng.integers(0, 255, (max(2, h // 16), max(2, w // 16)), dtype=np.uint8))
    blot = np.asarray(blot.resize((w, h), Image.BICUBIC), dtype=float)[..., None] / 255 - 0.5
    img += blot * rng.uniform(20, 60) * texture
    img += rng.normal(0, rng.uniform(4, 12) * texture, (h, w, 3))
    return img


def shape_polygon(kind: str, cx: float, cy: float, r: float, angle: float) -> list[tuple[float, float]]:
    """Vertices of a shape of circumradius ``r`` centred at (cx, cy), rotated by ``angle`` radians."""
    if kind == "circle":
        pts = [(r, 2 * math.pi * i / 48) for i in range(48)]
    elif kind == "square":
        pts = [(r, math.pi / 4 + math.pi / 2 * i) for i in range(4)]
    elif kind == "triangle":
        pts = [(r, -math.pi / 2 + 2 * math.pi / 3 * i) for i in range(3)]
    elif kind == "star":
        pts = [(r if i % 2 == 0 else 0.45 * r, -math.pi / 2 + math.pi / 5 * i) for i in range(10)]
    else:
        raise ValueError(f"unknown shape {kind!r}; shapes: {SHAPES}")
    return [(cx + rr * math.cos(a + angle), cy + rr * math.sin(a + angle)) for rr, a in pts]


def _colour(rng: np.random.Generator) -> np.ndarray:
    """A saturated colour: one channel high, one low (contrasts with the muted background)."""
    c = rng.uniform(0, 70, 3)
    hi = rng.integers(3)
    c[hi] = rng.uniform(200, 255)
    c[(hi + rng.integers(1, 3)) % 3] = rng.uniform(0, 255)
    return c if rng.random() < 0.8 else 255 - c * 0.3


def _poly_mask(poly, w: int, h: int) -> np.ndarray:
    m = Image.new("L", (w, h), 0)
    ImageDraw.Draw(m).polygon(poly, fill=1)
    return np.asarray(m, dtype=bool)


def _paint(img: np.ndarray, mask: np.ndarray, colour: np.ndarray, rng: np.random.Generator) -> None:
    shade = colour + rng.normal(0, 6, img.shape)
    img[mask] = shade[mask]


def _bbox(mask: np.ndarray) -> list[float]:
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() - xs.min() + 1), float(ys.max() - ys.min() + 1)]


def to_image(img: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))


def classification_image(rng: np.random.Generator, kind: str, size: int) -> Image.Image:
    """One large, roughly upright shape of ``kind``; sometimes partly hidden by a small occluding patch.

    Tilt is kept within +-20 degrees (objects in photos are mostly upright), which
    lets small CNNs trained from scratch for a few hundred iterations separate the classes.
    """
    img = background(rng, size, size, texture=0.6)
    r = rng.uniform(0.3, 0.45) * size
    cx, cy = rng.uniform(r * 0.85, size - r * 0.85, 2)
    mask = _poly_mask(shape_polygon(kind, cx, cy, r, rng.uniform(-0.35, 0.35)), size, size)
    _paint(img, mask, _colour(rng), rng)
    if rng.random() < 0.1:  # occluder: a small muted block over part of the shape
        s = rng.uniform(0.12, 0.22) * size
        x0, y0 = cx + rng.uniform(-r, r) - s / 2, cy + rng.uniform(-r, r) - s / 2
        occ = _poly_mask([(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)], size, size)
        _paint(img, occ, rng.uniform(40, 170, 3), rng)
    return to_image(img).filter(ImageFilter.GaussianBlur(rng.uniform(0, 0.6)))


def scene(rng: np.random.Generator, size: int, max_objects: int = 4, min_visible: float = 0.5,
          r_range: tuple[float, float] = (0.09, 0.22)) -> tuple[Image.Image, list[Obj]]:
    """1..max_objects shapes that may occlude each other; each keeps >= ``min_visible`` of its area."""
    img = background(rng, size, size)
    owner = np.full((size, size), -1, dtype=int)
    drawn: list[tuple[str, np.ndarray]] = []
    for _ in range(int(rng.integers(1, max_objects + 1))):
        for _try in range(10):
            kind = SHAPES[int(rng.integers(len(SHAPES)))]
            r = rng.uniform(*r_range) * size
            cx, cy = rng.uniform(r * 0.7, size - r * 0.7, 2)
            full = _poly_mask(shape_polygon(kind, cx, cy, r, rng.uniform(0, 2 * math.pi)), size, size)
            # reject if it would hide too much of an earlier object
            if all(((owner == i) & ~full).sum() >= min_visible * m.sum() for i, (_, m) in enumerate(drawn)):
                break
        else:
            continue
        drawn.append((kind, full))
        owner[full] = len(drawn) - 1
        _paint(img, full, _colour(rng), rng)
    objs = [Obj(kind, owner == i, _bbox(owner == i)) for i, (kind, _) in enumerate(drawn) if (owner == i).any()]
    return to_image(img), objs


def figure_scene(rng: np.random.Generator, size: int) -> tuple[Image.Image, list[Obj]]:
    """A stick figure (7 keypoints, left limbs on the image's right) among distractor shapes."""
    img = background(rng, size, size)
    for _ in range(int(rng.integers(0, 3))):  # distractors behind the figure
        kind = SHAPES[int(rng.integers(len(SHAPES)))]
        r = rng.uniform(0.06, 0.14) * size
        cx, cy = rng.uniform(r, size - r, 2)
        _paint(img, _poly_mask(shape_polygon(kind, cx, cy, r, rng.uniform(0, 6.3)), size, size), _colour(rng), rng)
    hgt = rng.uniform(0.45, 0.8) * size
    u = hgt / 4.0  # body unit
    # canonical upright figure, y down; then rotate by a small angle about the neck
    pts = np.array([
        [0, -1.0 * u],                                            # head
        [0, -0.4 * u],                                            # neck
        [rng.uniform(0.7, 1.3) * u, rng.uniform(-0.9, 0.9) * u],   # left hand (image right)
        [-rng.uniform(0.7, 1.3) * u, rng.uniform(-0.9, 0.9) * u],  # right hand
        [0, 1.0 * u],                                             # pelvis
        [rng.uniform(0.3, 0.9) * u, rng.uniform(2.0, 2.4) * u],    # left foot
        [-rng.uniform(0.3, 0.9) * u, rng.uniform(2.0, 2.4) * u],   # right foot
    ])
    a = rng.uniform(-0.3, 0.3)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    pts = pts @ rot.T
    lo, hi = pts.min(0) - 0.5 * u, pts.max(0) + 0.2 * u
    off = rng.uniform(-lo, np.maximum(-lo + 1, size - hi))
    pts += off
    width = max(2, int(u * rng.uniform(0.18, 0.3)))
    canvas = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(canvas)
    for i, j in FIGURE_SKELETON:
        d.line([tuple(pts[i]), tuple(pts[j])], fill=1, width=width)
    hr = 0.45 * u
    d.ellipse([pts[0][0] - hr, pts[0][1] - hr, pts[0][0] + hr, pts[0][1] + hr], fill=1)
    mask = np.asarray(canvas, dtype=bool)
    _paint(img, mask, _colour(rng), rng)
    vis = [2] * len(FIGURE_KEYPOINTS)
    if rng.random() < 0.2:  # occlude one hand or foot with a block: labelled but not visible (v=1)
        k = int(rng.choice([2, 3, 5, 6]))
        s = 0.5 * u
        x0, y0 = pts[k] - s / 2
        occ = _poly_mask([(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)], size, size)
        _paint(img, occ, rng.uniform(40, 170, 3), rng)
        mask = mask & ~occ
        vis[k] = 1
    kps: list[float] = []
    for (x, y), v in zip(pts, vis):
        inside = 0 <= x < size and 0 <= y < size
        kps += [float(round(x, 2)), float(round(y, 2)), v if inside else 0]
        if not inside:
            kps[-3:-1] = [0.0, 0.0]
    x0, y0 = np.clip(pts.min(0) - hr - width, 0, size - 1)
    x1, y1 = np.clip(pts.max(0) + width, 0, size - 1)
    obj = Obj("stick figure", mask, [float(x0), float(y0), float(x1 - x0), float(y1 - y0)], kps)
    return to_image(img), [obj]
