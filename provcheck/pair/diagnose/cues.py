"""Cue lists for spam, page chrome and editorial additions: shipped as text files under
``provcheck/data`` and extendable by the user (settings or extra files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from provcheck.errors import ConfigError

__all__ = ["CueSet", "Cues", "load_cues"]


@dataclass(frozen=True, slots=True)
class CueSet:
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]

    def strong_hits(self, text: str) -> int:
        return sum(1 for p in self.strong if p.search(text))

    def weak_hits(self, text: str) -> int:
        return sum(len(set(m.group(0) for m in p.finditer(text))) for p in self.weak)

    def any(self, text: str) -> bool:
        return any(p.search(text) for p in self.strong) or any(p.search(text) for p in self.weak)


@dataclass(frozen=True, slots=True)
class Cues:
    spam: CueSet
    chrome: CueSet
    editorial: CueSet


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
