"""Attribution: summary sentences point at the source sentences they come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from ringkas.check import check_summary, split_sentences
from ringkas.check.align import Aligner, content_words

SEED = Path(__file__).resolve().parents[1] / "examples" / "articles" / "maluku-kumkm.txt"

# A hand translation of the seed article, one line per sentence of split_sentences(SEED).
SEED_ENGLISH = [
    "AMBON, MALUKUBERSATU.COM - The Regional Secretary of Maluku Province, Sadali Ie, opened the "
    "Central and Regional Planning Coordination Meeting on Cooperatives, Micro, Small and Medium "
    "Enterprises (KUMKM) of Maluku Province.",
    "Organised by the Maluku Province Office of Cooperatives and Small and Medium Enterprises, "
    "it took place on the 5th floor of Hotel Santika on Wednesday (8/3/2023).",
    "The coordination meeting lasted two days (08 - 09/08/03/23).",
    "It aims to provide information, evaluate, hold discussions and address problems of KUMKM "
    "empowerment in the regions.",
    "Attending were officials of the Ministry of Cooperatives and SMEs, the head of TGPP "
    "Maluku Hadi Basalama, the head of the KUKM office of Maluku Natsir Kilkoda, heads of "
    "offices in charge of KUMKM in the regencies and cities of Maluku, and related agencies.",
    "In his address the Secretary said that, to develop cooperatives and MSMEs in Maluku, "
    "the regional government supports improving the quality of KUMKM human resources.",
    "Through education and technical training, and business capital to raise entrepreneurship.",
    "Besides that, promotion and exhibitions of MSME products and a conducive business climate.",
    "\u201cKUMKM development has potential to reduce poverty, given the growth of the sectors run "
    "by KUMKM.",
    "It has added value for the community, namely jobs and higher incomes,\u201d the "
    "Secretary said.",
    "According to him, the Maluku Provincial Government keeps pursuing programmes and policies.",
    "As a form of attention in supporting and driving the regional economy.",
    "The momentum of this meeting must produce something useful for KUMKM development in Maluku.",
    "\u201cOn behalf of the regional government, I welcome you and thank you for your "
    "commitment to build KUMKM cooperatives in Maluku as a driver of the regional economy,"
    "\u201d the Secretary said.",
    "The Secretary hopes the regional government (Office/Agency of MSMEs) can carry out the duty "
    "of fostering and developing KUMKM.",
    "Especially the institutional arrangement of cooperatives, to improve the welfare of people "
    "in Maluku.",
    "\u201cIn the current era of the industrial revolution 4.0 there are opportunities and "
    "challenges for MSME actors.",
    "Therefore KUMKM are expected to transform dynamically and adaptively so they keep "
    "growing,\u201d the Secretary hoped.",
    "(MB-01).",
    "Source : https://malukubersatu.com/sekda-mintakan-pemgembangan-koperasi-dan-umkm-miliki-"
    "kurangi-potensi-kemiskinan-detail-447273",
]


@pytest.fixture(scope="module")
def seed() -> list[str]:
    sentences = split_sentences(SEED.read_text("utf-8"))
    assert len(sentences) == len(SEED_ENGLISH)
    return sentences


@pytest.mark.parametrize(
    ("summary_sentence", "source_id"),
    [
        ("Maluku's regional secretary Sadali Ie opened the KUMKM coordination meeting.", 0),
        ("The meeting was held on the 5th floor of Hotel Santika on Wednesday, March 8, 2023.", 1),
        ("It lasted two days.", 2),
        ("TGPP Maluku head Hadi Basalama attended.", 4),
        ("The industrial revolution 4.0 brings opportunities and challenges for MSMEs.", 16),
    ],
)
def test_seed_attribution(seed: list[str], summary_sentence: str, source_id: int) -> None:
    report = check_summary(summary_sentence, seed, SEED_ENGLISH)
    (checked,) = report.sentences
    assert checked.support[0].sentence == source_id
    assert 0 < checked.support[0].score <= 1
    assert checked.unsupported == []


def test_fused_sentence_gets_both_sources(seed: list[str]) -> None:
    summary = (
        "Sadali Ie opened the KUMKM planning coordination meeting on the 5th floor of Hotel "
        "Santika on Wednesday, and Hadi Basalama and Natsir Kilkoda attended."
    )
    (checked,) = check_summary(summary, seed, SEED_ENGLISH).sentences
    ids = [s.sentence for s in checked.support]
    assert {0, 4} <= set(ids) or {1, 4} <= set(ids)
    assert len(ids) <= 3
    assert [s.score for s in checked.support] == sorted(
        (s.score for s in checked.support), reverse=True
    )


def test_numbers_and_names_align_without_translation(seed: list[str]) -> None:
    (checked,) = check_summary("Hadi Basalama of TGPP came.", seed).sentences
    assert checked.support[0].sentence == 4


def test_unrelated_sentence_has_no_support() -> None:
    aligner = Aligner(["Harga beras naik.", "Hujan turun di Ambon."])
    assert aligner.support("Quantum chromodynamics explains gluons.") == []


def test_content_words_normalise_numbers_and_stems() -> None:
    words = content_words("The 1.500 voters of Maluku")
    assert words == {"1500": True, "voter": False, "maluku": True}
    assert "1500" in content_words("1,500 people")
