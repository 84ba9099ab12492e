"""The clock tree's topology: sinks clustered by recursive bisection, level by level.

Sinks (flip-flop clock pins, dbu coordinates) are split at the median of their wider extent
until every cluster holds at most `max_fanout` of them; each cluster gets one buffer at the
centroid of what it drives. The buffers of a level are clustered the same way for the level
above, until one buffer (the root, driven by the clock port) remains. Recursive bisection keeps
clusters compact and of similar size, so the tree is balanced in fanout, depth and extent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TreeBuffer:
    level: int  # 0: drives sinks; higher levels drive buffers of the level below
    index: int  # within its level
    x: int  # target location (centroid of its children), dbu
    y: int
    children: tuple[int, ...]  # sink indices (level 0) or buffer indices of level - 1


def clusters(x: np.ndarray, y: np.ndarray, max_size: int) -> list[np.ndarray]:
    """Index groups of at most `max_size` points by recursive median bisection along the wider
    extent (deterministic: ties broken by index)."""
    out: list[np.ndarray] = []
    stack = [np.arange(len(x))]
    while stack:
        idx = stack.pop()
        if len(idx) <= max_size:
            out.append(idx)
            continue
        px, py = x[idx], y[idx]
        along = px if np.ptp(px) >= np.ptp(py) else py
        order = idx[np.lexsort((idx, along))]
        half = len(order) // 2
        stack.append(order[half:])
        stack.append(order[:half])
    return out


def build_tree(x: np.ndarray, y: np.ndarray, max_fanout: int) -> list[list[TreeBuffer]]:
    """Buffer levels (level 0 first, the root's level last, holding one buffer)."""
    if max_fanout < 2:
        raise ValueError("max_fanout must be at least 2")
    levels: list[list[TreeBuffer]] = []
    px, py = np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64)
    while True:
        groups = clusters(px, py, max_fanout)
        level = [TreeBuffer(len(levels), k, int(round(float(px[g].mean()))),
                            int(round(float(py[g].mean()))), tuple(int(i) for i in sorted(g)))
                 for k, g in enumerate(groups)]
        levels.append(level)
        if len(level) == 1:
            return levels
        px = np.array([b.x for b in level], dtype=np.int64)
        py = np.array([b.y for b in level], dtype=np.int64)
