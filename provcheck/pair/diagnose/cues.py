"""Cue lists for spam, page chrome and editorial additions: shipped as text files under
``provcheck/data`` and extendable by the user (settings or extra files)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from provcheck.errors import ConfigError

__all__ = ["CueSet", "Cues", "load_cues"]


_MEMO_SIZE = 50_000  # texts remembered per cue list (sentences and lines: about 15 MB at most)


@dataclass(frozen=True, slots=True)
class CueSet:
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]

    # Answers by text: the same sentences are looked up again in every comparison of a document
    # (both directions, each candidate it meets, naming its group). Cleared when it grows large.
    _memo: dict[tuple[int, str], int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def strong_hits(self, text: str) -> int:
        return self._recall(0, text)

    def weak_hits(self, text: str) -> int:
        return self._recall(1, text)

    def any(self, text: str) -> bool:
        return bool(self._recall(2, text))

    def _recall(self, kind: int, text: str) -> int:
        key = (kind, text)
        hit = self._memo.get(key)
        if hit is None:
            if kind == 0:
                hit = sum(1 for p in self.strong if p.search(text))
            elif kind == 1:
                hit = sum(len(set(m.group(0) for m in p.finditer(text))) for p in self.weak)
            else:
                hit = int(any(p.search(text) for p in self.strong) or any(p.search(text) for p in self.weak))
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = hit
        return hit


@dataclass(frozen=True, slots=True)
class Cues:
    spam: CueSet
    chrome: CueSet
    editorial: CueSet

    # What the diagnosis read of a line with these lists, by its text (a keyword header or a list of
    # links is judged again in every comparison of its document); cleared when it grows large.
    _lines: dict[tuple[str, tuple[str, ...]], int] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def recall_line(self, key: tuple[str, tuple[str, ...]], judge: Callable[[], int]) -> int:
        """``judge()``, kept under ``key`` (a line's text and its phrases)."""
        hit = self._lines.get(key)
        if hit is None:
            if len(self._lines) >= _MEMO_SIZE:
                self._lines.clear()
            hit = self._lines[key] = judge()
        return hit


def _parse(lines: list[str], origin: str) -> CueSet:
    strong: list[re.Pattern[str]] = []
    weak: list[re.Pattern[str]] = []
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        target = weak
        if line.startswith("strong:"):
            target, line = strong, line[len("strong:") :].strip()
        try:
            target.append(re.compile(line, re.I))
        except re.error as exc:
            raise ConfigError(f"bad cue pattern in {origin} line {n}: {exc}") from None
    return CueSet(tuple(strong), tuple(weak))


def _shipped(name: str) -> list[str]:
    return resources.files("provcheck").joinpath("data", name).read_text(encoding="utf-8").splitlines()


def load_cues(
    extra_spam: tuple[str, ...] = (),
    extra_chrome: tuple[str, ...] = (),
    extra_editorial: tuple[str, ...] = (),
    cue_dir: str | None = None,
) -> Cues:
    """Load the shipped cue lists plus user patterns; ``cue_dir`` may hold files of the same names
    (spam_cues.txt, chrome_cues.txt, editorial_cues.txt) whose lines are added."""

    def build(name: str, extra: tuple[str, ...]) -> CueSet:
        lines = _shipped(name) + list(extra)
        if cue_dir:
            p = Path(cue_dir) / name
            if p.is_file():
                lines += p.read_text(encoding="utf-8").splitlines()
        return _parse(lines, name)

    return Cues(
        build("spam_cues.txt", extra_spam),
        build("chrome_cues.txt", extra_chrome),
        build("editorial_cues.txt", extra_editorial),
    )
