"""Suspect-side work kept once per document gives the same answers as doing it per pair."""

from __future__ import annotations

from provcheck.pair.comparer import Provcheck
from provcheck.pair.diagnose.extras import _DATA_URI, _PINYIN, _phrases, page_facts
from provcheck.pair.score import vocabulary_of, vocabulary_order
from provcheck.report.jsonout import report_to_dict
from tests.cases import NEGATIVES, SEED_COPY, SEED_SOURCE, read
from tests.cases.pair import CHROME_HEAD, CHROME_TAIL, body, spin, splice_spam


def test_vocabulary_kept_per_document_gives_the_same_order() -> None:
    pc = Provcheck()
    src, sus = pc.prepare(SEED_SOURCE), pc.prepare(SEED_COPY)
    fresh = vocabulary_order(src, sus, 0.1)
    kept = vocabulary_order(src, sus, 0.1, pc._vocabulary)
    assert kept == fresh and fresh.words > 0
    assert pc._vocabulary(sus) is pc._vocabulary(sus)  # computed once
    assert vocabulary_order(src, sus, 0.1, pc._vocabulary) == fresh  # and served again
    assert vocabulary_of(src).rare_units(1.0) == vocabulary_of(src).rare_units(1.0)


def test_phrases_cut_at_separators_and_folded_spaces() -> None:
    pc = Provcheck()
    seg = pc.prepare_text("真人娱乐 百家乐|体育投注，在线 开户\n", "s")
    text = seg.norm.text
    end = text.index("\n") if "\n" in text else len(text)
    assert _phrases(seg, 0, end) == ("真人娱乐", "百家乐", "体育投注", "在线", "开户")
    assert _phrases(seg, 0, 0) == ()
    folds = page_facts(seg).folds  # the folded spaces of the whole page, found once
    assert folds and all(_phrases(seg, a, end, folds) == _phrases(seg, a, end) for a in range(end))


def test_a_suspect_met_again_gets_the_same_reports_as_in_a_fresh_session() -> None:
    """The diagnoser keeps page facts, sentence signals and chrome lines, the comparer alignment keys
    and vocabularies: a suspect compared with several partners, twice over, is reported as a fresh
    session reports it."""
    text = body(read(SEED_SOURCE))
    suspect = CHROME_HEAD + splice_spam(spin(text)).suspect + CHROME_TAIL
    partners = [text, read(SEED_COPY), read(NEGATIVES[0])]
    want = []
    for n, partner in enumerate(partners):
        fresh = Provcheck()
        want.append(
            report_to_dict(
                fresh.compare(fresh.prepare_text(partner, f"p{n}"), fresh.prepare_text(suspect, "s"))
            )
        )
    kept = Provcheck()
    sus = kept.prepare_text(suspect, "s")
    for _ in range(2):  # the second round is served from what the first kept
        got = [
            report_to_dict(kept.compare(kept.prepare_text(p, f"p{n}"), sus)) for n, p in enumerate(partners)
        ]
        assert got == want
    kinds = {f["type"] for f in want[0]["findings"]}
    assert {"spliced_spam", "boilerplate", "substitution"} <= kinds


def test_a_screened_compare_that_diagnoses_reports_as_an_unscreened_one() -> None:
    """Screening counts swaps on word diffs that diagnosis then reuses."""
    pc = Provcheck()
    text = body(read(SEED_SOURCE))
    src, sus = pc.prepare_text(text, "src"), pc.prepare_text(spin(text), "spun")
    report, screened = pc.compare_screened(src, sus)
    assert not screened and report.relation.value == "rewritten"
    assert report_to_dict(report) == report_to_dict(pc.compare(src, sus))


def test_page_facts_hold_what_the_patterns_find() -> None:
    pc = Provcheck()
    seg = pc.prepare_text(
        "成(cheng)长的规(gui)定已经公布。\n图片![图](data:image/png;base64,QUJDREVGR0hJSktMTU5PUFFS)说明。\n价格(元) abc (def)\n",
        "page",
    )
    norm = seg.norm.text
    facts = page_facts(seg)
    assert facts.data == tuple(m.span() for m in _DATA_URI.finditer(norm)) != ()
    assert facts.glosses == tuple(m.span() for m in _PINYIN.finditer(norm)) != ()
    assert not facts.chinese  # the base64 residue outweighs the Chinese text
    assert page_facts(pc.prepare_text("今天天气很好，我们去公园散步(sanbu)。", "zh")).chinese
    plain = page_facts(pc.prepare_text("No images here (none at all), only words and data: none.", "plain"))
    assert (plain.data, plain.glosses, plain.chinese) == ((), (), False)
