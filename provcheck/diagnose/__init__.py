"""Diagnosers (placeholder, being written)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Alignment, Finding, Segmented

__all__ = ["DiagnoseConfig", "Diagnoser"]


@dataclass(frozen=True, slots=True)
class DiagnoseConfig:
    pass


class Diagnoser:
    def __init__(self, config: DiagnoseConfig, segmenter: Any) -> None:
        self.config = config
        self.segmenter = segmenter

    def diagnose(self, source: Segmented, suspect: Segmented, alignment: Alignment) -> tuple[Finding, ...]:
        return ()
