"""Abbreviations that decide whether a full stop ends an Indonesian sentence.

The lists are general Indonesian (and common English) news orthography, not entries
collected from any gold segmentation. Matching is case-sensitive: ``dr.`` (medical
doctor) is a title, while ``DR`` is not an abbreviation at all.
"""

from __future__ import annotations

# Titles, ranks and honorifics: a name always follows, so the full stop never ends a
# sentence ("Dr. Jazuli", "Hj. Siti", "Tn. Clark", "Pres. Manuel").
TITLES = frozenset(
    {
        # Indonesian
        "Bp",
        "Bpk",
        "Dr",
        "dr",
        "Dra",
        "Drs",
        "Drg",
        "drg",
        "H",
        "Hj",
        "Ir",
        "KH",
        "Nn",
        "Ny",
        "Prof",
        "Sdr",
        "Sdri",
        "Sdra",
        "Tn",
        "Yth",
        "yth",
        "Ust",
        "Ustz",
        "Jend",
        "Kol",
        "Kapt",
        "Let",
        "Letkol",
        "Mayjen",
        "Brigjen",
        "Letjen",
        "Laksda",
        "Laksma",
        "Marsda",
        "Marsma",
        "Kombes",
        "Irjen",
        "Brigpol",
        "Bripka",
        "Aiptu",
        "Ipda",
        "Iptu",
        "Serka",
        "Sertu",
        "Pdt",
        "Pst",
        "Rm",
        "Sr",
        # English, frequent in translated news
        "Mr",
        "Mrs",
        "Ms",
        "Mme",
        "Messrs",
        "St",
        "Rev",
        "Hon",
        "Gen",
        "Gov",
        "Sen",
        "Rep",
        "Pres",
        "Lt",
        "Col",
        "Capt",
        "Cmdr",
        "Sgt",
        "Supt",
        "Insp",
        "Det",
        "Cpl",
        "Maj",
        "Adm",
        "Brig",
        "Cdr",
        "Fr",
        "Amb",
        "Atty",
        "Rt",
        "Tb",
    }
)

# Abbreviations that precede a name, number or place and so never end a sentence.
PREFIXES = frozenset(
    {
        "Jl",
        "Jln",
        "Gg",
        "No",
        "Kec",
        "Kab",
        "Kel",
        "Ds",
        "Prov",
        "Kp",
        "Kav",
        "Komp",
        "Perum",
        "PT",
        "CV",
        "UD",
        "Pte",
        "Rp",
        "Tel",
        "Telp",
        "Tlp",
        "Hp",
        "Fax",
        "Ext",
        "Hlm",
        "hlm",
        "Hal",
        "Vol",
        "vol",
        "Nos",
        "Art",
        "Ps",
        "vs",
        "v",
        "cf",
        "ca",
        "approx",
        "Fig",
        "Ph",
        "RS",
        "RSUD",
    }
)

# Company suffixes end a name; they end a sentence too, unless another suffix
# follows ("Pte. Ltd.", "Co. Ltd.").
COMPANY_SUFFIXES = frozenset(
    {"Tbk", "Ltd", "Inc", "Corp", "Co", "Bhd", "LLC", "PLC", "Plc", "GmbH", "Pty", "Pte"}
)

# Month abbreviations: not a sentence end when a number follows ("Jan. 2020").
MONTHS = frozenset(
    {
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Agu",
        "Agt",
        "Aug",
        "Sep",
        "Sept",
        "Okt",
        "Oct",
        "Nov",
        "Des",
        "Dec",
    }
)

# Common Indonesian abbreviations that may end a sentence ("..., dan lain-lain.").
# A full stop after them ends the sentence only before a capital, like any word;
# they are listed so that a following number does not start a sentence ("hal. 5").
COMMON = frozenset(
    {
        "dll",
        "dsb",
        "dst",
        "dkk",
        "tsb",
        "ybs",
        "dgn",
        "utk",
        "yg",
        "sbg",
        "tgl",
        "thn",
        "etc",
        "al",
        "hal",
        "Jr",
    }
)

# Nouns naming a category before a single letter ("vitamin C.", "grup A."): there
# the letter is not an initial, so the full stop can end the sentence.
LETTER_CATEGORIES = frozenset(
    {
        "vitamin",
        "kelas",
        "grup",
        "group",
        "golongan",
        "huruf",
        "tipe",
        "type",
        "blok",
        "pintu",
        "zona",
        "tahap",
        "babak",
        "pool",
        "seri",
        "kategori",
        "opsi",
        "poin",
        "gate",
        "terminal",
        "lantai",
        "sektor",
        "nilai",
        "plan",
        "rencana",
        "skenario",
    }
)

KNOWN = TITLES | PREFIXES | COMPANY_SUFFIXES | MONTHS | COMMON

# Capitalised words that open sentences and never continue a name: after an abbreviation
# that may end a sentence ("Washington, D.C. Pada hari Jumat", "PT X Tbk. Namun, ..."),
# one of them starts a new sentence.
_OPENER_LIST = """
    Pada Dia Ia Mereka Kami Kita Saya Anda Namun Tetapi Tapi Sementara Sedangkan Selain
    Dalam Di Ke Dari Untuk Dengan Ini Itu Hal Sebelumnya Kemudian Lalu Setelah Sebelum Saat
    Ketika Menurut Sejak Karena Jika Bila Apabila Bahkan Adapun Oleh Para Sebanyak Sekitar
    Hingga Sampai Yang Apa Bagaimana Mengapa Siapa Kapan Meski Meskipun Walaupun Akan Telah
    Sudah Masih Juga Tak Tidak Belum Selama Seperti Terkait Kini Sedang Maka
    The He She It They We You This That These Those But However Meanwhile His Her Their
    Its There Then When While After Before If As In On At For With From By
"""
SENTENCE_OPENERS = frozenset(_OPENER_LIST.split())
