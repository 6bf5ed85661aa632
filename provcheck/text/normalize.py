"""Normalize text for matching and keep a map back to original code points.

Steps, each optional in :class:`NormalizeConfig`: HTML extraction, NFKC (full-width to
half-width), traditional to simplified Chinese (OpenCC), lower case, and white space: runs collapse
to one space, spaces between CJK characters vanish, blank lines fold into one line break.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from provcheck.model import Document, NormText
from provcheck.text.html import html_to_text

__all__ = ["CJK_PATTERN", "GLOSS", "NormalizeConfig", "Normalizer", "all_cjk", "is_cjk"]


@dataclass(frozen=True, slots=True)
class NormalizeConfig:
    html: str = "auto"  # "auto" | "always" | "never"
    nfkc: bool = True
    t2s: bool = True
    lowercase: bool = True
    drop_glosses: bool = True  # converter pinyin glosses after CJK characters: 社区(shèqū) -> 社区


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2FFFF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007
    )


_WS = re.compile(r"\s+")
# The white-space runs _fold_space may change: runs of two or more, a lone white-space character
# other than a space or line break, a space beside anything but printable ASCII (a space between two
# printable ASCII characters always stays), a line break opening or closing the text.
_WS_FOLD = re.compile(r"\s{2,}|[^\S \n]|(?<![!-~]) | (?![!-~])|\A\n|\n\Z")
CJK_PATTERN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ffff\uf900-\ufaff\u3007]")  # is_cjk
_ALL_CJK = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002ffff\uf900-\ufaff\u3007]*")


def all_cjk(text: str) -> bool:
    """Every character of ``text`` passes :func:`is_cjk` (true for the empty text)."""
    return _ALL_CJK.fullmatch(text) is not None


# A bracketed pinyin gloss that traditional-script converter mirrors put after a character: 據(jù),
# 社区(shèqū). At least one tone mark, so a bracketed Latin word (iPhone) is not one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])[(（][a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*[)）]", re.I)


class Normalizer:
    """Holds the loaded converters; create one and reuse it (no module-level caches).

    >>> n = Normalizer()
    >>> nt = n.normalize_text("Ｈｅｌｌｏ  世 界\\n\\n\\n後來")
    >>> nt.text
    'hello世界\\n后来'
    >>> nt.orig_span(8, 10)
    Span(start=13, end=15)
    """

    def __init__(self, config: NormalizeConfig | None = None) -> None:
        self.config = config or NormalizeConfig()
        self._t2s: Any = None
        self._zhe: Any = None

    def _converter(self) -> Any:
        if self._t2s is None:
            import opencc

            self._t2s = opencc.OpenCC("t2s")
        return self._t2s

    def _settle_zhe(self, text: str) -> str:
        """t2s keeps 著 wherever it stands (著 is also simplified: 著名, 显著), so a mirror's 看著 would
        not meet 看着. The Taiwan phrase converter (over the text made traditional) tells 著 (著名)
        from 着 (看着, 随着) by the phrase around it; only the 著 that t2s kept take its answer."""
        if self._zhe is None:
            import opencc

            self._zhe = (opencc.OpenCC("s2t"), opencc.OpenCC("tw2s"))
        s2t, tw2s = self._zhe
        alt = tw2s.convert(s2t.convert(text))
        if len(alt) != len(text):
            return text
        return "".join(a if c == "著" else c for c, a in zip(text, alt, strict=True))

    def normalize(self, doc: Document) -> NormText:
        cfg = self.config
        use_html = cfg.html == "always" or (cfg.html == "auto" and doc.kind == "html")
        if use_html:
            text, offs = html_to_text(doc.text)
        else:
            text, offs = doc.text, list(range(len(doc.text) + 1))
        return self._normalize(text, offs)

    def normalize_text(self, text: str) -> NormText:
        return self._normalize(text, list(range(len(text) + 1)))

    def _normalize(self, text: str, offs: list[int]) -> NormText:
        cfg = self.config
        if cfg.nfkc:
            text, offs = _nfkc(text, offs)
        if cfg.t2s and CJK_PATTERN.search(text):
            conv = self._converter()
            whole = conv.convert(text)
            if len(whole) == len(text):
                text = whole
            else:  # a phrase changed length: convert character by character instead
                text = "".join(_one_char(conv.convert(c), c) for c in text)
            if "著" in text:
                text = self._settle_zhe(text)
        if cfg.lowercase:
            low = text.lower()
            if len(low) == len(text):
                text = low
        if cfg.drop_glosses:
            text, offs = _drop_glosses(text, offs)
        text, offs = _fold_space(text, offs)
        return NormText(text, tuple(offs))


def _drop_glosses(text: str, offs: list[int]) -> tuple[str, list[int]]:
    if "(" not in text and "（" not in text:
        return text, offs
    out: list[str] = []
    new: list[int] = []
    pos = 0
    for m in GLOSS.finditer(text):
        out.append(text[pos : m.start()])
        new.extend(offs[pos : m.start()])
        pos = m.end()
    if pos == 0:
        return text, offs
    out.append(text[pos:])
    new.extend(offs[pos:])
    return "".join(out), new


def _one_char(converted: str, original: str) -> str:
    return converted if len(converted) == 1 else original


def _nfkc(text: str, offs: list[int]) -> tuple[str, list[int]]:
    if unicodedata.is_normalized("NFKC", text):
        return text, offs
    whole = unicodedata.normalize("NFKC", text)
    if len(whole) == len(text):
        return whole, offs
    out: list[str] = []
    new: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        for c in n:
            out.append(c)
            new.append(offs[i])
    new.append(offs[len(text)])
    return "".join(out), new


def _fold_space(text: str, offs: list[int]) -> tuple[str, list[int]]:
    out: list[str] = []
    new: list[int] = []
    pos = 0
    n = len(text)
    for m in _WS_FOLD.finditer(text):
        s, e = m.start(), m.end()
        run = m.group(0)
        prev = text[s - 1] if s > 0 else ""
        nxt = text[e] if e < n else ""
        at = s
        if "\n" in run:
            keep = "" if s == 0 or e == n else "\n"
            at = s + run.index("\n")
        elif (
            s == 0
            or e == n
            or prev == "\n"
            or nxt == "\n"
            or is_cjk(prev)
            or is_cjk(nxt)
            or (not prev.isalnum() and not prev.isascii())
            or (not nxt.isalnum() and not nxt.isascii())
        ):
            keep = ""
        elif run == " ":
            continue  # a lone space that stays: left in place
        else:
            keep = " "
        out.append(text[pos:s])
        new.extend(offs[pos:s])
        pos = e
        if keep:
            out.append(keep)
            new.append(offs[at])
    if pos == 0:
        return text, offs
    out.append(text[pos:])
    new.extend(offs[pos:n])
    new.append(offs[n])
    return "".join(out), new
