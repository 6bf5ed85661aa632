"""jieba's dictionary, loaded once per owner: one lazy tokenizer (rjieba, the compiled binding of the
same dictionary) and one word-frequency table. Segmentation, the fingerprint skeleton and
naming originals (which side has the commoner word of a spinner's swap) share it.

>>> lex = Lexicon()
>>> lex.cut("职业教育发展")
['职业', '教育', '发展']
>>> lex.freq("教育") > lex.freq("教化") > 0
True
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

__all__ = ["Lexicon", "spaced_common_words"]


@functools.lru_cache(maxsize=1)
def spaced_common_words() -> frozenset[str]:
    """The common words of spaced scripts (``data/stopwords_en.txt``), lower case: jieba's dictionary
    has no frequencies for them."""
    text = resources.files("provcheck").joinpath("data", "stopwords_en.txt").read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#"))


class Lexicon:
    """Word cutting and dictionary frequencies; nothing is loaded until first used."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._path = path
        self._cut: Callable[[str], list[str]] | None = None
        self._freq: dict[str, int] | None = None
        self._tags: dict[str, str] | None = None

    def cut(self, text: str) -> list[str]:
        """``text`` cut into words (dictionary words for CJK runs)."""
        if self._cut is None:
            import rjieba

            self._cut = rjieba.cut
        return list(self._cut(text))

    def freq(self, word: str) -> int:
        """The word's dictionary frequency (0 when it is not in the dictionary)."""
        table = self._freq  # read directly: numerals and scores ask some hundred words a sentence
        return (table if table is not None else self.frequencies()).get(word, 0)

    __call__ = freq

    def frequencies(self) -> dict[str, int]:
        """The whole table, word -> frequency."""
        if self._freq is None:
            self._freq, self._tags = _load(self._path)
        return self._freq

    def common_words(self, limit: int) -> frozenset[str]:
        """The words of frequency ``limit`` or more: ``frequencies()`` filtered, but read straight
        from the dictionary file when the table is not loaded yet (a fifth of the CPU: the fingerprint
        skeleton needs only these, and an ``index add`` pays for them once in the main process)."""
        if self._freq is not None:
            return frozenset(w for w, count in self._freq.items() if count >= limit)
        return _common(self._path, limit)

    def tag(self, word: str) -> str | None:
        """The word's part-of-speech tag in the dictionary (``ns`` place, ``nr`` person, ``nt``
        organisation, ...), or None when the word is not in it.

        >>> Lexicon().tag("印度")
        'ns'
        """
        if self._tags is None:
            self._freq, self._tags = _load(self._path)
        return self._tags.get(word)


def _dict_path(path: str | Path | None) -> str | Path:
    if path is None:  # jieba's dictionary, found without importing jieba (a sixth of a second)
        spec = importlib.util.find_spec("jieba")
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError("jieba (its dictionary) is not installed")
        return Path(spec.origin).with_name("dict.txt")
    return path


# a line's first two fields when the second is a count, as _load reads them (str.split, isdigit)
_WORD_COUNT = re.compile(r"^[^\S\n]*(\S+)[^\S\n]+(\d+)(?=\s|\Z)", re.M)


def _common(path: str | Path | None, limit: int) -> frozenset[str]:
    """``{w for w, n in _load(path)[0].items() if n >= limit}``, by one pattern over the whole file;
    a count with fewer digits than ``limit`` is below it without converting it."""
    with open(_dict_path(path), encoding="utf-8") as f:
        counts = dict(_WORD_COUNT.findall(f.read()))  # a repeated word: its last line counts, as in _load
    digits = len(str(max(limit, 0)))
    return frozenset(w for w, n in counts.items() if len(n) >= digits and int(n) >= limit)


def _load(path: str | Path | None) -> tuple[dict[str, int], dict[str, str]]:
    path = _dict_path(path)
    out: dict[str, int] = {}
    tags: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
                if len(parts) >= 3:
                    tags[parts[0]] = parts[2]
    return out, tags
