"""Fingerprints: parity with datasketch, rewrite robustness on the seeds, band keys, estimates."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from provcheck.archive.fingerprint import (
    _NON_CONTENT,
    _UNIT,
    FingerprintConfig,
    Fingerprinter,
    Signature,
    band_keys,
    band_keys_many,
    containment,
    jaccard,
    shingle_hash,
)
from tests.cases import NEGATIVES, read
from tests.cases.archive import HEADER, ORIGINAL, SPUN, chrome_wrapped, traditional


@pytest.fixture(scope="module")
def fpr() -> Fingerprinter:
    return Fingerprinter()


@pytest.fixture(scope="module")
def seeds(fpr: Fingerprinter) -> dict[str, object]:
    return {
        "original": fpr.fingerprint(read(ORIGINAL)),
        "spun": fpr.fingerprint(read(SPUN)),
        "negatives": [fpr.fingerprint(read(p)) for p in NEGATIVES],
    }


def _datasketch(shingles: list[object], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash)
    m.update_batch(shingles)
    return m.hashvalues


@pytest.mark.parametrize("path", [ORIGINAL, SPUN, *NEGATIVES], ids=lambda p: p.name[:3])
def test_values_equal_datasketch_minhash_of_the_same_shingles(fpr: Fingerprinter, path: object) -> None:
    text = read(path)  # type: ignore[arg-type]
    fp = fpr.fingerprint(text)
    features = fpr.features(text)
    for kind in fpr.config.kinds:
        assert np.array_equal(fp[kind].values, _datasketch(features[kind])), kind
        assert fp[kind].size == len(features[kind])


_BY_SEED: dict[int, Fingerprinter] = {}  # one per seed: each loads the word list once


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="职业教育哈尔滨2024年abc。，\n ", min_size=0, max_size=200), st.integers(1, 5))
def test_parity_holds_for_any_text_and_seed(text: str, seed: int) -> None:
    cfg = FingerprintConfig(num_perm=32, seed=seed, lsh_bands=16, min_line_chars=0)
    fpr = _BY_SEED.setdefault(seed, Fingerprinter(cfg))
    fp = fpr.fingerprint(text)
    features = fpr.features(text)
    for kind in fpr.config.kinds:
        if features[kind]:
            assert np.array_equal(fp[kind].values, _datasketch(features[kind], 32, seed))
        else:
            assert fp[kind].empty and len(band_keys(fp[kind], fpr.config)) == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="哈尔滨2０年abcZéßÀ×ɏαΩжЯ_。， \n\t\u3000\u00a0", min_size=0, max_size=80))
def test_char_units_by_array_equal_the_unit_pattern(text: str) -> None:
    """The array pass over content (spaced-script runs as one word each) gives the hashes of the
    reference pattern's units, on content as fingerprinting makes it and on raw text with spaces."""
    fpr = _BY_SEED.setdefault(
        1, Fingerprinter(FingerprintConfig(num_perm=32, lsh_bands=16, min_line_chars=0))
    )
    for content in (fpr._prepared(text)[0], text + " a"):
        want = [fpr._token_hashes([u]).tolist()[0] for u in _UNIT.findall(content)]
        assert fpr._char_units(content).tolist() == want


def test_shingle_hash_is_stable_across_processes() -> None:
    # pinned values: a change here silently invalidates every stored index
    assert shingle_hash("职业教育") == 1885439092
    assert shingle_hash(("哈尔滨", "2024")) == 2882489447


def test_spun_copy_is_far_closer_than_same_field_articles(seeds: dict) -> None:
    for kind in ("char", "skel"):
        pair = jaccard(seeds["original"][kind], seeds["spun"][kind])
        worst_negative = max(jaccard(seeds["original"][kind], n[kind]) for n in seeds["negatives"])
        assert pair >= 0.2, kind
        assert worst_negative <= 0.06, kind
        assert pair >= 5 * worst_negative, kind


def test_traditional_script_copy_fingerprints_like_its_source(fpr: Fingerprinter, seeds: dict) -> None:
    trad = fpr.fingerprint(traditional(read(ORIGINAL)))
    assert jaccard(trad["char"], seeds["original"]["char"]) >= 0.9
    assert jaccard(trad["skel"], seeds["original"]["skel"]) >= 0.9


def test_chrome_lines_are_left_out(fpr: Fingerprinter) -> None:
    body = read(ORIGINAL)
    wrapped = fpr.features(chrome_wrapped(body))["char"]
    joined = "".join(g if isinstance(g, str) else "".join(g) for g in wrapped)
    for chrome in ("浏览次数", "返回列表", "职教动态校园风采", "20240517"):  # short line, menu, timestamp
        assert chrome not in joined and chrome in _NON_CONTENT.sub("", HEADER)
    assert "哈尔滨样" in wrapped  # the article itself is kept


def test_english_shingles_are_words_and_its_skeleton_leaves_common_words_out(fpr: Fingerprinter) -> None:
    text = "Quarterly profits at the media giant jumped 76% to $1.13bn, the firm said on Friday."
    feats = fpr.features(text)
    assert ("quarterly", "profits", "at", "the") in feats["char"]  # word 4-grams, not letter 4-grams
    assert not any(isinstance(g, str) and g.isalpha() for g in feats["char"])
    assert fpr.skeleton(fpr._content_lines(fpr._text(text))) == [
        "quarterly", "profits", "media", "giant", "jumped", "76", "1", "13bn", "firm", "friday",
    ]  # fmt: skip
    # a short English headline is not a menu; a line of items between separators is
    assert fpr._content_lines(
        fpr._text("Home | News | World | Sport\nAd sales boost Time Warner profit")
    ) == ["ad sales boost time warner profit"]


def test_unrelated_english_texts_share_few_shingles(fpr: Fingerprinter) -> None:
    a = fpr.fingerprint(
        "The government said on Monday that it would raise the tax on fuel in the next budget, "
        "and that the money would be used to build new roads in the north of the country."
    )
    b = fpr.fingerprint(
        "The club said on Monday that it would sign the striker in the next window, and that "
        "the fee would be paid over three years to the player's former team in the south."
    )
    assert jaccard(a["skel"], b["skel"]) == 0.0
    assert jaccard(a["char"], b["char"]) < 0.2


def test_short_text_keeps_its_lines(fpr: Fingerprinter) -> None:
    fp = fpr.fingerprint("短讯\n会议\n闭幕")  # every line is short: nothing is dropped
    assert fp.length == 6 and not fp["char"].empty


def test_band_keys_match_exactly_when_bands_match(seeds: dict) -> None:
    cfg = FingerprintConfig()
    a = seeds["original"]["char"]
    keys = band_keys(a, cfg)
    assert keys.dtype == np.int64 and len(keys) == cfg.lsh_bands and len(set(keys.tolist())) == cfg.lsh_bands
    b_values = a.values.copy()
    b_values[0] ^= 1  # change one value of band 0 only
    b = Signature("char", b_values, a.size)
    kb = band_keys(b, cfg)
    assert kb[0] != keys[0] and np.array_equal(kb[1:], keys[1:])
    # the same values under another kind never collide
    assert not set(band_keys(Signature("skel", a.values, a.size), cfg).tolist()) & set(keys.tolist())


def test_band_keys_of_many_signatures_at_once_are_each_ones_keys(fpr: Fingerprinter, seeds: dict) -> None:
    """Signatures of both kinds, windows (fewer values) and an empty one, in one call."""
    long_text = "\n".join([read(ORIGINAL)] * 3)
    sigs = [*seeds["original"].signatures, *seeds["spun"].signatures, *fpr.fingerprint(long_text).windows]
    sigs.insert(2, fpr.fingerprint("")["skel"])
    assert len({len(s.values) for s in sigs}) == 2 and sigs[2].empty
    together = band_keys_many(sigs, fpr.config)
    assert [k.tolist() for k in together] == [band_keys(s, fpr.config).tolist() for s in sigs]


def test_estimates_track_exact_jaccard_and_containment() -> None:
    fpr = Fingerprinter(FingerprintConfig(num_perm=256, lsh_bands=64))
    rng = np.random.default_rng(7)
    universe = rng.integers(0, 2**32, 6000, dtype=np.uint64).astype(np.uint32)
    small, big = universe[:1000], universe[500:4000]  # |small ∩ big| = 500
    a, b = fpr.minhash("char", np.unique(small)), fpr.minhash("char", np.unique(big))
    exact_j = 500 / 4000
    assert abs(jaccard(a, b) - exact_j) < 0.06
    assert abs(containment(a, b) - 0.5) < 0.15  # half of small is in big
    assert abs(containment(b, a) - 500 / 3500) < 0.06


def test_signature_bytes_round_trip(seeds: dict) -> None:
    s = seeds["spun"]["skel"]
    back = Signature.from_bytes(s.kind, s.to_bytes(), s.size)
    assert np.array_equal(back.values, s.values) and back.values.dtype == np.uint32


def test_bad_config_is_refused() -> None:
    with pytest.raises(ValueError, match="kinds"):
        FingerprintConfig(kinds=("words",))
    with pytest.raises(ValueError, match="lsh_bands"):
        FingerprintConfig(num_perm=16, lsh_bands=16, lsh_rows=2)
    assert FingerprintConfig().digest() != FingerprintConfig(char_ngram=5).digest()


def test_long_texts_get_window_signatures_that_share_keys_with_an_excerpt(
    fpr: Fingerprinter, seeds: dict
) -> None:
    cfg = fpr.config
    original = seeds["original"]
    assert len(original.windows) == len(cfg.window_kinds) * (original.length // cfg.window_chars)
    assert {w.kind for w in original.windows} == set(cfg.window_kinds)
    assert all(len(w.values) == cfg.window_bands * cfg.lsh_rows for w in original.windows)
    assert fpr.fingerprint("短讯：会议今天闭幕。").windows == ()
    text = read(ORIGINAL)
    part = text[len(text) // 2 : len(text) // 2 + 500]  # ~1/8 of the article: too small for whole-text keys
    keys = lambda fp: {int(k) for s in (*fp.signatures, *fp.windows) for k in band_keys(s, cfg)}  # noqa: E731
    whole_only = {int(k) for s in original.signatures for k in band_keys(s, cfg)}
    shared = keys(fpr.fingerprint(part)) & keys(original)
    assert len(shared - whole_only) > len(shared & whole_only)  # the windows carry the match


def test_a_batch_fingerprints_like_each_text_alone(fpr: Fingerprinter) -> None:
    """``fingerprint_many`` takes the MinHash products of many signatures in one array: each value
    must still be the set's own minimum (empty texts, short ones, windows, a batch larger than one array)."""
    long_text = "\n".join([read(ORIGINAL), read(SPUN)] * 4)  # windows, and more shingles than one array holds
    texts = [
        "",
        read(ORIGINAL),
        "短讯",
        long_text,
        "Profits rose 12 percent at the Harbin plant.",
        *map(read, NEGATIVES),
    ]
    prepared = [fpr._prepared(t) for t in texts]
    batch = fpr.fingerprint_many(prepared)
    for fp, prep, text in zip(batch, prepared, texts, strict=True):
        alone = fpr.fingerprint_many([prep])[0]
        assert fp.length == alone.length
        for got, want in zip((*fp.signatures, *fp.windows), (*alone.signatures, *alone.windows), strict=True):
            assert (got.kind, got.size, got.to_bytes()) == (want.kind, want.size, want.to_bytes())
        features = fpr.features(text)
        for kind in fpr.config.kinds:  # the reference: datasketch over the shingles themselves
            assert np.array_equal(fp[kind].values, _datasketch(features[kind])), kind
    assert batch[0].signatures[0].empty and batch[3].windows
