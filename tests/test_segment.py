"""Indonesian sentence splitting: rules, offsets, and real examples from the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEED, load_benchmark
from ringkas.text import (
    paragraph_spans,
    sentence_spans,
    split_paragraphs,
    split_sentences,
)


def sentences(text: str, **options: bool) -> list[str]:
    return [piece.strip() for piece in split_sentences(text, **options)]


# --- the offsets contract ----------------------------------------------------------------


def test_spans_are_contiguous_and_whitespace_goes_to_the_sentence_before() -> None:
    text = "  Dia datang.  Lalu pergi!\n\nBesok kembali?  "
    spans = sentence_spans(text)
    assert spans == [(0, 15), (15, 28), (28, 44)]
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert "".join(split_sentences(text)) == text
    assert [text[a:b].strip() for a, b in spans] == ["Dia datang.", "Lalu pergi!", "Besok kembali?"]


def test_empty_and_blank_text() -> None:
    assert sentence_spans("") == []
    assert split_sentences("   ") == ["   "]


def test_paragraphs_are_lines_and_lossless() -> None:
    text = "Judul Berita\n\nParagraf satu. Kalimat dua.\nParagraf dua.\n"
    assert split_paragraphs(text) == [
        "Judul Berita\n\n",
        "Paragraf satu. Kalimat dua.\n",
        "Paragraf dua.\n",
    ]
    assert paragraph_spans(text)[-1][1] == len(text)


# --- rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Budi dan Prof. Ani datang ke Jl. Sudirman No. 5 kemarin. "
            "Mereka disambut Hj. Siti.",
            [
                "Dr. Budi dan Prof. Ani datang ke Jl. Sudirman No. 5 kemarin.",
                "Mereka disambut Hj. Siti.",
            ],
        ),
        (
            "Ir. Soekarno membacakan proklamasi. Tn. Clark dan Ny. Davis hadir bersama H. Rudy.",
            [
                "Ir. Soekarno membacakan proklamasi.",
                "Tn. Clark dan Ny. Davis hadir bersama H. Rudy.",
            ],
        ),
        (
            "Surat a.n. Menteri Keuangan dikirim. Budi Santoso, S.H., M.Si. menjadi ketua.",
            ["Surat a.n. Menteri Keuangan dikirim.", "Budi Santoso, S.H., M.Si. menjadi ketua."],
        ),
        (
            "Pasar menjual buah, sayur, dll. yang segar. Harganya naik, dsb. Semua senang.",
            ["Pasar menjual buah, sayur, dll. yang segar.", "Harganya naik, dsb.", "Semua senang."],
        ),
        (
            "B. J. Habibie lahir di Parepare. George W. Bush pernah berkunjung.",
            ["B. J. Habibie lahir di Parepare.", "George W. Bush pernah berkunjung."],
        ),
        (
            "Ia minum vitamin C. Suhu naik 2 C. "
            "Kota itu berdiri pada abad ke-6 M. Lalu berkembang.",
            [
                "Ia minum vitamin C.",
                "Suhu naik 2 C.",
                "Kota itu berdiri pada abad ke-6 M.",
                "Lalu berkembang.",
            ],
        ),
        (
            "Dencisco Energy Pte. Ltd. dan PT Bank Mandiri Tbk. Kedua perusahaan sepakat.",
            ["Dencisco Energy Pte. Ltd. dan PT Bank Mandiri Tbk.", "Kedua perusahaan sepakat."],
        ),
    ],
)
def test_abbreviations_titles_and_initials(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_numbers_money_dates_and_times_do_not_split() -> None:
    text = (
        "Harga naik 1.500 persen pada 8/3/2023 pukul 08.30 WIB. Lalu turun 2,5 persen. "
        "Nilainya Rp7,4 triliun atau $103,7 juta. Versi 4.0 dirilis 2017. 17 orang hadir."
    )
    assert sentences(text) == [
        "Harga naik 1.500 persen pada 8/3/2023 pukul 08.30 WIB.",
        "Lalu turun 2,5 persen.",
        "Nilainya Rp7,4 triliun atau $103,7 juta.",
        "Versi 4.0 dirilis 2017.",
        "17 orang hadir.",
    ]


def test_urls_and_email_addresses_stay_whole() -> None:
    text = (
        "Kunjungi www.kompas.com/read/2023/1.html untuk info. Kirim surel ke "
        "redaksi@kompas.co.id sekarang. Laporan Kompas.com dan KapanLagi.com/Ratri diunggah."
    )
    assert sentences(text) == [
        "Kunjungi www.kompas.com/read/2023/1.html untuk info.",
        "Kirim surel ke redaksi@kompas.co.id sekarang.",
        "Laporan Kompas.com dan KapanLagi.com/Ratri diunggah.",
    ]


def test_ellipses() -> None:
    assert sentences("Dia diam... lalu pergi. Dia menunggu… Akhirnya kereta datang.") == [
        "Dia diam... lalu pergi.",
        "Dia menunggu…",
        "Akhirnya kereta datang.",
    ]


def test_quotes_closing_after_the_full_stop_stay_with_their_sentence() -> None:
    text = '"Kami siap." Dia pergi. “Kami juga siap.” Mereka berangkat. ”Ya,” ujarnya.'
    assert sentences(text) == [
        '"Kami siap."',
        "Dia pergi.",
        "“Kami juga siap.”",
        "Mereka berangkat.",
        "”Ya,” ujarnya.",
    ]


def test_attribution_after_a_quoted_question_continues_the_sentence() -> None:
    assert sentences('"Apa kabar?" tanya dia. Semua tertawa!') == [
        '"Apa kabar?" tanya dia.',
        "Semua tertawa!",
    ]


def test_multi_sentence_quotation_split_by_default_or_kept_on_request() -> None:
    text = '"Saya mual. Saya minta maaf," katanya.'
    assert sentences(text) == ['"Saya mual.', 'Saya minta maaf," katanya.']
    assert sentences(text, keep_quotes=True) == [text]


def test_headlines_and_list_items_without_a_full_stop_end_at_the_line() -> None:
    text = "Gempa Guncang Garut\nBerikut daftarnya:\n1. Apel merah\n2. Jeruk manis\nSelesai."
    assert sentences(text) == [
        "Gempa Guncang Garut",
        "Berikut daftarnya:",
        "1. Apel merah",
        "2. Jeruk manis",
        "Selesai.",
    ]


def test_sentences_glued_without_a_space_are_split() -> None:
    assert sentences("Toko dijarah kemarin.Kerusuhan terjadi lagi.") == [
        "Toko dijarah kemarin.",
        "Kerusuhan terjadi lagi.",
    ]
    assert sentences('Tidak berpotensi tsunami."Mag:5.0, 09-Jun-25," cuit BMKG.') == [
        "Tidak berpotensi tsunami.",
        '"Mag:5.0, 09-Jun-25," cuit BMKG.',
    ]


# --- real text -----------------------------------------------------------------------------


def test_seed_article_paragraph_sentences() -> None:
    first, *_, last = SEED.read_text(encoding="utf-8").splitlines()[:5]
    assert sentences(first)[1:] == [
        "Yang diselenggarakan oleh Dinas Koperasi Usaha Kecil dan Menengah Provinsi Maluku, "
        "berlangsung di lantai 5 Hotel Santika, pada Rabu , (8/3/2023).",
        "Rakor berlangsung selama dua hari (08 - 09/08/03/23).",
        "Bertujuan untuk memberikan informasi, melakukan evaluasi, menyampaikan diskusi dan "
        "membahas persoalan mengenai pemberdayaan KUMKM di daerah.",
    ]
    assert sentences(last) == [
        "“Di era revolusi industri 4.0 saat ini menjadi peluang sekaligus tantangan yang "
        "dihadapi oleh para pelaku UMKM.",
        "Oleh karena itu KUMKM diharapkan mampu bertransformasi secara dinamis dan adaptif "
        "sehingga dapat terus berkembang,” harap Sekda.",
        "(MB-01).",
    ]


def test_real_article_sentences(corpus: Path) -> None:
    text = (corpus / "articles" / "detik_004.txt").read_text(encoding="utf-8")
    paragraph = text.splitlines()[1]
    assert sentences(paragraph) == [
        "Perry mengatakan dalam dua bulan pertama diberlakukannya ketentuan baru, DHE SDA yang "
        "masuk ke rekening khusus berjumlah US$ 22,9 miliar atau setara Rp 372,60 triliun "
        "(kurs Rp 16.271).",
        "Perkembangan ini disebut akan terus dipantau ke depannya.",
    ]


def test_gold_units_with_titles_stay_whole(corpus: Path) -> None:
    rows = (corpus / "sentences" / "ud_pud_test.sentences.tsv").read_text(encoding="utf-8")
    units = dict(line.split("\t", 1) for line in rows.splitlines()[1:])
    for unit in units.values():
        if "Tn. " in unit or "Ny. " in unit or "Mr. " in unit:
            assert sentences(unit) == [unit]


def test_ntrex_document_matches_gold(corpus: Path) -> None:
    line = (corpus / "sentences" / "ntrex128_id_documents.jsonl").read_text(encoding="utf-8")
    document = json.loads(line.splitlines()[0])
    body = " ".join(document["sentences"][1:])
    assert sentences(body) == document["sentences"][1:]


@pytest.mark.parametrize(
    ("dataset", "splitter", "minimum"),
    [("NTREX-title", "ringkas", 0.98), ("PUD", "ringkas", 0.98), ("CSUI", "ringkas-kq", 0.98)],
)
def test_boundary_f1_on_gold_segmentation(
    corpus: Path, dataset: str, splitter: str, minimum: float
) -> None:
    benchmark = load_benchmark("segmentation")
    documents = benchmark.load_datasets(corpus)[dataset]
    score = benchmark.evaluate(benchmark.SPLITTERS[splitter](), documents)
    assert score.f1 >= minimum, f"{dataset}: F1 {score.f1:.4f} < {minimum}"
