"""Unit tests of the sentence aligner (pair/align.py) on short texts written for them."""

from __future__ import annotations

import numpy as np
import pytest

from provcheck.model import Segmented
from provcheck.pair.align import AlignConfig, _viterbi, align, diff, similarity
from provcheck.pair.comparer import Provcheck

SOURCE = (
    "市教育局今天发布了新的职业教育发展规划。"
    "规划提出到二〇三〇年建成十所示范学校。"
    "全市中等职业学校今年招生四万三千人。"
    "各区要加强校企合作，提高培养质量。"
    "规划还要求每年组织一次技能大赛。"
)


def seg(pc: Provcheck, text: str, name: str) -> Segmented:
    return pc.prepare_text(text, name)


def sentences(s: Segmented, idx: tuple[int, ...]) -> str:
    return "".join(s.sentences[i].text for i in idx)


def test_identical_texts_align_one_to_one_in_order(pc: Provcheck) -> None:
    a = seg(pc, SOURCE, "a")
    result = align(a, seg(pc, SOURCE, "b"))
    assert [(p.source, p.suspect) for p in result.pairs] == [((i,), (i,)) for i in range(5)]
    assert all(p.score == pytest.approx(1.0) for p in result.pairs)
    assert result.unmatched_source == () and result.unmatched_suspect == ()


def test_dropped_inserted_and_reordered_sentences(pc: Provcheck) -> None:
    src = seg(pc, SOURCE, "a")
    parts = SOURCE.split("。")[:-1]
    suspect = "。".join([parts[0], "本报记者张三报道", parts[3], parts[2], parts[4]]) + "。"
    sus = seg(pc, suspect, "b")
    result = align(src, sus)
    matched = {p.suspect: p.source for p in result.pairs}
    assert matched[(0,)] == (0,) and matched[(2,)] == (3,) and matched[(3,)] == (2,) and matched[(4,)] == (4,)
    assert result.unmatched_suspect == (1,)  # the inserted byline aligns with nothing
    assert result.unmatched_source == (1,)  # the dropped sentence


def test_split_sentence_aligns_as_one_to_two(pc: Provcheck) -> None:
    src = seg(pc, "全市中等职业学校今年招生四万三千人，比去年增加五千人，创历史新高。", "a")
    sus = seg(pc, "全市中等职业学校今年招生四万三千人。比去年增加五千人，创历史新高。", "b")
    result = align(src, sus)
    assert len(result.pairs) == 1 and result.pairs[0].source == (0,) and result.pairs[0].suspect == (0, 1)


def test_spun_sentence_scores_between_copy_and_unrelated(pc: Provcheck) -> None:
    a = seg(pc, "市教育局今天发布了新的职业教育发展规划。", "a")
    spun = seg(pc, "市教化局今天颁布了新的职业教化繁荣规划。", "b")
    other = seg(pc, "台风今晚在沿海登陆，气象台发布红色预警。", "c")
    s_spun = align(a, spun).pairs[0].score
    assert 0.4 < s_spun < 1.0
    assert align(a, other).pairs == ()


def test_similarity_and_diff_are_bounded_and_exact() -> None:
    assert similarity("abc", "abc") == 1.0 and similarity("", "") == 1.0
    assert 0.0 <= similarity("abcd", "wxyz") <= 0.01
    ops = diff(list("教育发展"), list("教化发展"))
    assert [(o.tag, o.a_start, o.a_end, o.b_start, o.b_end) for o in ops if o.tag != "equal"] == [
        ("replace", 1, 2, 1, 2)
    ]


def test_too_many_sentence_pairs_is_an_input_error(pc: Provcheck) -> None:
    from provcheck.errors import InputError

    a = seg(pc, SOURCE, "a")
    with pytest.raises(InputError):
        align(a, seg(pc, SOURCE, "b"), AlignConfig(max_cells=4))


def test_sentence_words_kept_per_group_follow_the_text(pc: Provcheck) -> None:
    """Words of a sentence group come from a cache: the same indices in another document give
    that document's words, and a caller changing its list leaves the next answer whole."""
    from provcheck.pair.diagnose.pairdiff import sentence_words

    a = seg(pc, SOURCE, "a")
    b = seg(pc, SOURCE.replace("四万三千人", "五千人"), "b")
    first = sentence_words(a, (2,), pc.segmenter)
    assert [w.text for w in first] == ["全市", "中等职业", "学校", "今年", "招生", "四万三千", "人"]
    assert first[5].code == "#43000"
    first.clear()
    assert [w.code for w in sentence_words(a, (2,), pc.segmenter)][5:] == ["#43000", "人"]
    other = sentence_words(b, (2,), pc.segmenter)
    assert [w.code for w in other][5:] == ["#5000", "人"]
    assert (other[5].start, other[5].end) == (b.sentences[2].start + 12, b.sentences[2].start + 14)


def _viterbi_reference(sim: np.ndarray, lengths: list[int], cfg: AlignConfig) -> list[int]:
    """The order pass written plainly: every option array built anew for each suspect sentence."""
    n, m = sim.shape
    neg = -1e9
    weights = np.minimum(np.array(lengths, dtype=np.float64) / cfg.weight_units, cfg.max_weight)
    pos = np.full(m + 1, neg)
    pos[m] = 0.0
    back_al = np.zeros((n, m), dtype=np.int64)
    came_aligned = np.zeros((n, m + 1), dtype=bool)
    idx = np.arange(m)
    sim64 = sim.astype(np.float64)
    emits = np.where(sim64 >= cfg.floor, weights[:, None] * (sim64 - cfg.threshold), neg)
    skips = [k for k in (2, 3, 4) if k < m]
    origin = np.stack([idx, np.full(m, m), idx - 1, idx, *(idx - k for k in skips)])
    opts = np.empty((4 + len(skips), m))
    for i in range(n):
        w = weights[i]
        best_any = int(np.argmax(pos))
        opts[0] = pos[best_any] - w * cfg.jump_penalty
        origin[0] = best_any
        opts[1] = pos[m]
        opts[2, 0] = neg + w * cfg.seq_bonus
        opts[2, 1:] = pos[: m - 1] + w * cfg.seq_bonus
        opts[3] = pos[:m] + w * cfg.stay_bonus
        for r, k in enumerate(skips, 4):
            opts[r, :k] = neg + w * cfg.skip_bonus
            opts[r, k:] = pos[: m - k] + w * cfg.skip_bonus
        choice = np.argmax(opts, axis=0)
        aligned = opts[choice, idx] + emits[i]
        back_al[i] = origin[choice, idx]
        new_pos = pos.copy()
        took = np.concatenate((aligned > pos[:m], [False]))
        new_pos[:m] = np.where(took[:m], aligned, pos[:m])
        came_aligned[i] = took
        pos = new_pos
    assign = [-1] * n
    j = int(np.argmax(pos))
    for i in range(n - 1, -1, -1):
        if j < m and came_aligned[i, j]:
            assign[i] = j
            j = int(back_al[i, j])
    return assign


def test_the_order_pass_matches_its_plain_reference_ties_included() -> None:
    cfg = AlignConfig()
    rng = np.random.default_rng(7)
    for t in range(200):
        n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        sim = (rng.random((n, m)) ** 3).astype(np.float32)
        if t % 2:
            sim = np.round(sim, 1)  # many equal scores: ties must break the same way
        lengths = [int(x) for x in rng.integers(0, 60, n)]
        assert _viterbi(sim, lengths, cfg) == _viterbi_reference(sim, lengths, cfg)
