"""The word list: common words read straight from the dictionary file equal the frequency table's."""

from __future__ import annotations

from pathlib import Path

import pytest

from provcheck.text.lexicon import Lexicon


@pytest.mark.parametrize("limit", [0, 1, 9, 10, 99, 100, 101, 5000])
def test_common_words_from_the_file_equal_the_loaded_table(limit: int) -> None:
    table = Lexicon()
    want = frozenset(w for w, n in table.frequencies().items() if n >= limit)
    assert Lexicon().common_words(limit) == want  # read from the file
    assert table.common_words(limit) == want  # from the loaded table


def test_common_words_read_a_dictionary_as_the_table_does(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    lines = [
        "教育 3000 vn",
        "教化 40 v",
        "重复 500 n",
        "重复 20 n",
        "无词频",
        "制表\t120\tn",
        "  缩进 300",
        "尾 007 n",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = Lexicon(path).frequencies()
    assert table == {
        "教育": 3000,
        "教化": 40,
        "重复": 20,
        "制表": 120,
        "缩进": 300,
        "尾": 7,
    }  # the last line counts
    for limit in (0, 7, 8, 100, 120, 121):
        assert Lexicon(path).common_words(limit) == frozenset(w for w, n in table.items() if n >= limit)
