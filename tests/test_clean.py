"""News cleaning on the seed article, real corpus articles and synthetic edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SEED, load_benchmark
from ringkas.text import CleanedArticle, clean_article, normalize_whitespace, split_sentences


def article(corpus: Path, name: str) -> str:
    return (corpus / "articles" / f"{name}.txt").read_text(encoding="utf-8")


def kinds(result: CleanedArticle) -> list[str]:
    return [item["kind"] for item in result.removed]


def removed_texts(result: CleanedArticle, kind: str) -> list[str]:
    return [item["text"] for item in result.removed if item["kind"] == kind]


# --- the seed article ----------------------------------------------------------------------


def test_seed_article_dateline_code_and_source_become_metadata() -> None:
    result = clean_article(SEED.read_text(encoding="utf-8"))
    assert result.metadata == {
        "dateline": "Ambon",
        "outlet": "malukubersatu.com",
        "source_url": "https://malukubersatu.com/sekda-mintakan-pemgembangan-koperasi-dan-umkm-"
        "miliki-kurangi-potensi-kemiskinan-detail-447273",
        "codes": ["MB-01"],
        "removed_count": 3,
    }
    assert result.removed == [
        {
            "kind": "source_line",
            "text": "Sumber : https://malukubersatu.com/sekda-mintakan-pemgembangan-koperasi-dan-"
            "umkm-miliki-kurangi-potensi-kemiskinan-detail-447273",
        },
        {"kind": "editor_code", "text": "(MB-01)."},
        {"kind": "dateline", "text": "AMBON,MALUKUBERSATU.COM -"},
    ]


def test_seed_article_keeps_every_body_sentence() -> None:
    raw = SEED.read_text(encoding="utf-8")
    result = clean_article(raw)
    lines = result.text.split("\n")
    assert len(lines) == 5
    assert lines[0].startswith("Sekretaris Daerah Provinsi Maluku, Sadali Ie, membuka")
    assert lines[-1].endswith('sehingga dapat terus berkembang," harap Sekda.')
    body = raw.replace("AMBON,MALUKUBERSATU.COM - ", "").replace(" (MB-01).", "")
    body = body.replace("“", '"').replace("”", '"')
    expected = [s.strip() for line in body.splitlines()[:5] for s in split_sentences(line)]
    assert [s.strip() for line in lines for s in split_sentences(line)] == expected


# --- real articles from the shared corpus --------------------------------------------------


def test_kompas_dateline_and_glued_read_also_links(corpus: Path) -> None:
    result = clean_article(article(corpus, "kompas_005"))
    assert result.metadata["dateline"] == "Jakarta"
    assert result.metadata["outlet"] == "kompas.com"
    assert result.text.startswith("Asisten rumah tangga (ART) terdakwa")
    assert removed_texts(result, "read_also") == [
        "Baca juga:Istri Adhi Kismanto Tolak Jadi Saksi Terkait Kasus Judol Komdigi",
        'Baca juga:Chat Zulkarnaen dan Istri Terungkap di Sidang Judol Komdigi: "Hari Ini Gue '
        'Dapat 3M"',
        "Baca juga:Istri Adhi Kismanto dan Sopir Zulkarnaen Apriliantony Akan Bersaksi di "
        "Sidang Judol Komdigi",
    ]


def test_liputan6_dateline_glued_to_the_first_word(corpus: Path) -> None:
    result = clean_article(article(corpus, "liputan6_003"))
    assert result.text.startswith("Manchester United mendapat sorotan tajam")
    assert result.metadata["dateline"] == "Jakarta"
    assert removed_texts(result, "dateline") == ["Liputan6.com, Jakarta"]
    # "Baca Juga" heads links the scraper lost; the paragraph after it is content.
    assert "Namun, rencana tersebut terasa janggal" in result.text


def test_detik_read_also_headline_tags_and_video_promo(corpus: Path) -> None:
    result = clean_article(article(corpus, "detik_007"))
    assert removed_texts(result, "read_also") == [
        "Baca juga:",
        "5 Paket Stimulus Prabowo: Tambahan Bansos Hingga Bantuan Subsidi Upah",
    ]
    assert removed_texts(result, "tags") == [
        "bank dunia",
        "garis kemiskinan",
        "kemiskinan indonesia",
        "ketimpangan global",
    ]
    assert result.metadata["codes"] == ["shc/fdl"]
    assert "Lalu, bagaimana dengan Indonesia?" in result.text.split("\n")
    assert "[Gambas" not in result.text and "Simak juga Video" not in result.text


def test_detik_table_rows_stay_separate_lines(corpus: Path) -> None:
    lines = clean_article(article(corpus, "detik_006")).text.split("\n")
    table = lines.index("Poin FIFA Jepang Vs Indonesia")
    assert lines[table + 1 : table + 5] == [
        "Jepang",
        "Menang: +3,43 Poin",
        "Imbang: -9,07 Poin",
        "Kalah: -21,57 Poin",
    ]
    assert not any(line.startswith("Saksikan pembahasan lengkap") for line in lines)


def test_okezone_collapsed_copy_is_replaced_by_its_paragraphs(corpus: Path) -> None:
    result = clean_article(article(corpus, "okezone_003"))
    lines = result.text.split("\n")
    assert lines[0] == (
        "Hotel Mulia Senayan menggelar nonton bareng (nobar) Euro 2008 dengan tema The Kick "
        "Off. Acara ini digelar di area kolam renang di lantai 5, Sabtu (7/6/2008) malam WIB."
    )
    assert len(lines) == 5
    assert sum("Hingga berita ini diturunkan" in line for line in lines) == 1
    assert removed_texts(result, "read_also") == [
        "Baca Juga:Klasemen Grup C usai Timnas Indonesia Dihancurkan Jepang: Garuda Finis ke-4"
    ]
    assert "Shooting Wall —siapa" in result.text  # "â€"" mojibake repaired
    assert result.metadata["codes"] == ["Hendra Mujiraharja"]


def test_republika_suffix_copies_loading_and_whatsapp(corpus: Path) -> None:
    result = clean_article(article(corpus, "republika_003"))
    lines = result.text.split("\n")
    assert len(lines) == 7 and len(set(lines)) == 7
    assert lines[-1].startswith('Dia mengatakan, "Kami telah mengantisipasi')
    assert {"read_also", "photo_caption", "advertisement", "social_promo"} <= set(kinds(result))
    assert "Loading" not in result.text and "Whatsapp" not in result.text


def test_inline_read_also_keeps_the_sentence_after_it(corpus: Path) -> None:
    result = clean_article(article(corpus, "sindonews_001"))
    assert removed_texts(result, "read_also") == [
        "Baca Juga: Gempa Pangandaran M5,2, Ini Penjelasan BMKG"
    ]
    assert "@infoBMKG. BMKG memastikan, gempa bumi tidak berpotensi tsunami." in result.text
    assert result.metadata["codes"] == ["zik"]


def test_bylines_become_reporter_and_editor(corpus: Path) -> None:
    tribun = clean_article(article(corpus, "tribun_004"))
    assert tribun.metadata["reporter"] == "Erlangga Bima"
    assert tribun.metadata["dateline"] == "Wonogiri"
    assert tribun.text.startswith("Dinas Pertanian (Dispertan) Wonogiri")
    posmetro = clean_article(article(corpus, "posmetro_001"))
    assert (posmetro.metadata["reporter"], posmetro.metadata["editor"]) == ("Melky", "Oki Budiman")


def test_lines_broken_around_links_are_joined(corpus: Path) -> None:
    kompas = clean_article(article(corpus, "kompas_003"))
    assert kompas.text.split("\n")[0] == (
        "Pemeriksaan terhadap Direktur Utama PT Sri Rejeki Isman TBK (Sritex) Iwan Kurniawan "
        "Lukminto (IKL) masih akan berlanjut."
    )
    republika = clean_article(article(corpus, "republika_002"))
    assert republika.text.startswith("PT Mayora Indah Tbk (MYOR) dalam Rapat Umum")
    assert "pembagian dividen senilai Rp 1,22 triliun" in republika.text
    assert "turun 6,06 persen year on year (yoy) dibandingkan" in republika.text
    assert republika.metadata["source"] == "ANTARA"


def test_numbered_heading_after_read_also_is_content(corpus: Path) -> None:
    lines = clean_article(article(corpus, "liputan6_007")).text.split("\n")
    assert "1. Cek Fakta: Klarifikasi SBY Minta Prabowo Kembalikan Empat Pulau ke Aceh" in lines


def test_kompas_whatsapp_channel_promo_split_over_lines(corpus: Path) -> None:
    result = clean_article(article(corpus, "kompas_001"))
    assert "WhatsApp" not in result.text and "breaking news" not in result.text
    assert result.text.split("\n")[-1].endswith("saat dikonfirmasi.")


def test_every_corpus_article_passes_the_cleaning_audit(corpus: Path) -> None:
    audit = load_benchmark("cleaning").audit
    for path in sorted((corpus / "articles").glob("*.txt")):
        report = audit(path)
        assert not report.survivors, (path.name, report.survivors)
        assert report.kept >= 0.98, (path.name, report.kept, report.unverified)
        assert report.lost_silently == 0, path.name


def test_every_corpus_article_cleans_idempotently(corpus: Path) -> None:
    for path in sorted((corpus / "articles").glob("*.txt")):
        once = clean_article(path.read_text(encoding="utf-8"))
        assert clean_article(once.text).text == once.text, path.name
        json.dumps(once.metadata)


# --- synthetic edge cases ------------------------------------------------------------------


def test_quoted_sentence_with_baca_is_content() -> None:
    text = (
        'JAKARTA - "Baca juga buku sejarah itu," kata Menteri.\n'
        "Ia membaca juga koran pagi.\n"
        "Baca juga: Harga Emas Naik Lagi Hari Ini\n"
        "Rapat selesai pukul 12.00 WIB."
    )
    result = clean_article(text)
    assert result.text.split("\n") == [
        '"Baca juga buku sejarah itu," kata Menteri.',
        "Ia membaca juga koran pagi.",
        "Rapat selesai pukul 12.00 WIB.",
    ]
    assert removed_texts(result, "read_also") == ["Baca juga: Harga Emas Naik Lagi Hari Ini"]


def test_inline_read_also_without_a_plausible_title_drops_only_the_marker() -> None:
    result = clean_article("Gempa terjadi.Baca juga: ini tidak ada judulnya sama sekali.")
    assert result.text == "Gempa terjadi. ini tidak ada judulnya sama sekali."
    assert removed_texts(result, "read_also") == ["Baca juga:"]


def test_words_that_look_like_markers_stay() -> None:
    text = (
        "COVID-19 melanda kota itu. Sumber daya alam terbatas.\n"
        "Dana ini bersumber dari APBN. Over Loading dilarang."
    )
    assert clean_article(text).text == text
    assert clean_article(text).removed == []


def test_repeated_paragraph_is_removed_once_and_recorded() -> None:
    paragraph = "Pemerintah menaikkan harga bahan bakar minyak mulai pekan depan."
    text = f"{paragraph}\nWarga mengantre di SPBU.\n{paragraph}"
    result = clean_article(text)
    assert result.text == f"{paragraph}\nWarga mengantre di SPBU."
    assert result.removed == [{"kind": "duplicate_paragraph", "text": paragraph}]


def test_short_repeated_lines_are_kept() -> None:
    text = "Jepang\nMenang: 3 poin\nIndonesia\nMenang: 3 poin"
    assert clean_article(text).text == text


def test_whitespace_quotes_and_invisible_characters_are_normalised() -> None:
    text = "Harga\u00a0naik  \t tajam.\r\n\r\n\u200bIa berkata, “cukup.”  \n"
    assert clean_article(text).text == 'Harga naik tajam.\nIa berkata, "cukup."'
    assert normalize_whitespace(text) == "Harga naik tajam.\nIa berkata, “cukup.”"


def test_empty_article() -> None:
    assert clean_article("") == CleanedArticle(text="", metadata={"removed_count": 0})
    assert clean_article(" \n\u00a0\n").text == ""


@pytest.mark.parametrize(
    "note",
    [
        "Artikel ini telah tayang di TribunAmbon.com dengan judul Pemkot Ambon Salurkan "
        "Bantuan, https://ambon.tribunnews.com/2024/08/12/pemkot-ambon.",
        "Artikel ini telah tayang di TribunAmbon.com",
        "Berita ini sudah terbit di Kompas.com dengan judul Bantuan untuk UMKM.",
        "Sebagian artikel ini telah dimuat di Antaranews.com.",
        "ARTIKEL ini juga tayang di vivanews.com dengan judul Bantuan UMKM.",
    ],
)
def test_syndication_notes_are_removed_and_the_code_before_them_too(note: str) -> None:
    body = (
        "Pemerintah Kota Ambon menyalurkan bantuan modal usaha senilai Rp 300 juta kepada "
        "60 pelaku UMKM pada Senin.\n"
        '"Kami berharap bantuan ini membantu pelaku usaha kecil bangkit," kata dia. (MB-01).'
    )
    cleaned = clean_article(f"{body}\n{note}\nEditor: Adi Saputra")
    assert "tayang" not in cleaned.text and "terbit" not in cleaned.text
    assert "dimuat" not in cleaned.text and "(MB-01)" not in cleaned.text
    assert cleaned.text.endswith("kata dia.")
    assert {"syndication", "editor_code"} <= {item["kind"] for item in cleaned.removed}
    assert cleaned.metadata["codes"] == ["MB-01"]


def test_prose_about_broadcasts_is_not_a_syndication_note() -> None:
    text = (
        "Pemerintah Kota Ambon menyalurkan bantuan modal usaha kepada pelaku UMKM.\n"
        "Artikel ini membahas tayangan di televisi yang ditonton warga Ambon setiap malam."
    )
    assert clean_article(text).text == text
