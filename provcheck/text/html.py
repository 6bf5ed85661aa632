"""HTML to visible text with an offset map back to the page's characters, and the test for what is a page."""

from __future__ import annotations

import html
import re

__all__ = ["hidden_prose", "html_to_text", "looks_like_html"]

_HTML_SNIFF = re.compile(r"^\s*(<!doctype\s+html|<html|<head|<body|<\?xml)", re.I)
_TAGS = re.compile(
    r"</?(p|div|br|html|body|span|a|h[1-6]|li|ul|table|td|tr|article|section|meta|script)\b", re.I
)


def looks_like_html(text: str) -> bool:
    """True for an HTML page: it starts with a doctype or an html/head/body tag, or tags are dense
    over the whole document (at least 8, and one per 500 characters on average), so a few tag-like
    strings at the top of a plain text do not make it a page.

    A page whose markup would hide more prose than it shows (:func:`hidden_prose`) is not taken as
    HTML either: see :func:`provcheck.text.read.document_from_text`."""
    if _HTML_SNIFF.match(text[:1000]):
        return True
    if len(_TAGS.findall(text[:20000])) < 8:
        return False
    return len(_TAGS.findall(text)) * 500 >= len(text)


_SKIP_BLOCKS = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
_BLOCK_TAGS = {
    "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody", "section",
    "article", "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "form", "figure", "figcaption", "title", "body", "html", "td", "th",
}  # fmt: skip
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?>|&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+\d*);?", re.S
)


def html_to_text(source: str) -> tuple[str, list[int]]:
    """Extract visible text from HTML; return ``(text, offsets)`` with ``offsets[i]`` the index in
    ``source`` of extracted char ``i`` (``len(text) + 1`` entries). Block tags become line breaks."""
    out: list[str] = []
    offs: list[int] = []
    pos = 0
    skip_until: str | None = None
    lower = source.lower()
    last_close = {name: lower.rfind("</" + name) for name in _SKIP_BLOCKS}
    for m in _TOKEN.finditer(source):
        if skip_until is None and m.start() > pos:
            for k in range(pos, m.start()):
                out.append(source[k])
                offs.append(k)
        pos = m.end()
        tag = m.group(2)
        if tag is not None:
            name = tag.lower()
            closing = m.group(1) == "/"
            if skip_until is not None:
                if closing and name == skip_until:
                    skip_until = None
                continue
            if (
                not closing
                and name in _SKIP_BLOCKS
                and not m.group(0).endswith("/>")
                and last_close[name] > m.start()  # an unclosed block hides nothing: the reader sees it
            ):
                skip_until = name
                continue
            if name in _BLOCK_TAGS:
                out.append("\n")
                offs.append(m.start())
            continue
        if skip_until is not None:
            continue
        ent = m.group(3)
        if ent is not None:
            raw = m.group(0) if m.group(0).endswith(";") else m.group(0) + ";"
            decoded = html.unescape(raw)
            if decoded == raw:  # unknown entity: keep the raw text
                decoded = m.group(0)
                for k, ch in enumerate(decoded):
                    out.append(ch)
                    offs.append(m.start() + k)
                continue
            for ch in decoded:
                out.append(ch)
                offs.append(m.start())
    if skip_until is None:
        for k in range(pos, len(source)):
            out.append(source[k])
            offs.append(k)
    offs.append(len(source))
    return "".join(out), offs


_HIDDEN_BLOCK = re.compile(
    r"<(script|style|noscript|template|svg|head|iframe|object)\b[^>]*>(.*?)</\1\s*>", re.I | re.S
)
_INNER_TAG = re.compile(r"<[^>]*>")
_CODE = re.compile(r"[{}();=\[\]]")


def hidden_prose(source: str) -> int:
    """Letters and digits of prose inside blocks a browser does not show (script, style, iframe,
    noscript, template, svg, head, object). Code (braces, brackets, semicolons and ``=`` on more than
    one character in 100) does not count, so a page's scripts and styles are not prose."""
    total = 0
    for m in _HIDDEN_BLOCK.finditer(source):
        inner = _INNER_TAG.sub(" ", m.group(2))
        content = sum(map(str.isalnum, inner))
        if content and len(_CODE.findall(inner)) * 100 <= len(inner):
            total += content
    return total
