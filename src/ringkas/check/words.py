"""Word lists shared by the checkers: function words, honorifics, name-word translations."""

from __future__ import annotations

import re
from functools import lru_cache


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: keeps long word lists readable."""
    return frozenset(text.split())


# English and Indonesian function words. A capitalised one at the start of a sentence is an
# ordinary word, not a name; they are also dropped before lexical alignment.
ENGLISH_FUNCTION_WORDS = word_set(
    """
    a about above across after afterwards again against all almost along already also although
    always am among an and another any anyone anything are around as at be because been before
    being below besides between beyond both but by can cannot could did do does doing done down
    during each either else even ever every everyone everything few for from further had has have
    having he her here hers herself him himself his how however i if in into is it its itself just
    least less many may me meanwhile might more moreover most much must my myself neither never
    nevertheless no nobody none nor not nothing now of off often on once one only onto or other
    others otherwise our ours ourselves out over own per perhaps quite rather really same several
    shall she should since so some someone something sometimes still such than that the their
    theirs them themselves then there thereby therefore these they this those though through
    throughout thus to together too toward towards under unless until up upon us very via was we
    well were what whatever when whenever where whereas wherever whether which while who whoever
    whole whom whose why will with within without would yet you your yours yourself yourselves
    i'm i've i'll i'd it's that's there's
    """
)

# Frequent sentence openers in English news that are ordinary words, not names.
ENGLISH_SENTENCE_OPENERS = word_set(
    """
    according additionally afterward ahead amid analysts authorities back based besides
    currently despite due earlier elsewhere experts finally first following further furthermore
    hence here instead last later let like lastly many meanwhile most next officials overall
    people plans police previously recently residents separately similarly sources speaking
    today tomorrow tonight under unlike until when while yesterday yes no asked also because
    since though both each either nearly about around almost approximately roughly some
    """
)

INDONESIAN_FUNCTION_WORDS = word_set(
    """
    ada adalah adapun agar akan akibat aku anda antara apa apabila atas atau bagaimana bagi bahkan
    bahwa baik banyak baru beberapa begitu belum berbagai bersama beliau bisa bukan cukup dalam dan
    dapat dari demi dengan di dia hal hampir hanya harus hingga ia ialah ini itu jadi jika juga
    kalau kami kamu kan karena ke kemudian kepada ketika kita lagi lain lalu lebih maka masih meski
    meskipun mereka namun oleh pada para pun saat saja salah sama sambil sampai sangat saya
    sebab sebagai sebelum sebuah sedang sedangkan sehingga sejak sekitar selain selama seluruh
    semua sementara semula sendiri seorang seperti serta sesuai setelah setiap sudah supaya tak
    tanpa tapi telah tentang terhadap termasuk tersebut tetapi tidak untuk walau walaupun yaitu
    yakni yang menurut sejumlah kini kemarin selanjutnya sebelumnya sedangkan terkait melalui
    """
)

# Frequent Indonesian sentence openers that are ordinary words ("Dilansir Reuters, ...").
INDONESIAN_SENTENCE_OPENERS = word_set(
    """
    dilansir dikutip diketahui dijelaskan disebutkan dikatakan berdasarkan sebelumnya
    selanjutnya sementara selain sedangkan adapun akibatnya kemudian untuk hingga sejak tak
    pihak warga masyarakat pemerintah
    """
)

FUNCTION_WORDS = ENGLISH_FUNCTION_WORDS | INDONESIAN_FUNCTION_WORDS
SENTENCE_OPENERS = ENGLISH_SENTENCE_OPENERS | INDONESIAN_SENTENCE_OPENERS

# Honorifics and titles that do not identify anyone: "Bapak Sadali" names Sadali.
HONORIFICS = word_set(
    """
    bapak ibu pak bu bpk mr mrs ms miss mister dr prof sir madam dame lord lady tuan nyonya nona
    tn ny nn sdr saudara saudari h hj haji hajjah kh kiai kyai ustaz ustadz habib gus mas mbak
    bang kak jr sr st sen rep det insp lt col gen gov capt sgt cpl maj adm supt rev fr
    """
)

# Lower-case words that may sit inside a name ("Ministry of Finance", "Ali bin Abu").
NAME_CONNECTORS = word_set("of for the de da del della der van von bin binti al el la le du")

# English name words -> Indonesian forms (each form: words that must all occur), so that an
# English summary naming "Maluku Province" is supported by an Indonesian "Provinsi Maluku".
NAME_WORD_TRANSLATIONS: dict[str, tuple[str, ...]] = {
    "province": ("provinsi", "prov", "pemprov"),
    "provincial": ("provinsi", "pemprov"),
    "regency": ("kabupaten", "kab", "pemkab"),
    "city": ("kota", "pemkot"),
    "district": ("kecamatan", "distrik", "kabupaten"),
    "subdistrict": ("kecamatan", "kelurahan"),
    "village": ("desa", "kelurahan", "kampung"),
    "ministry": ("kementerian", "kemen", "departemen"),
    "minister": ("menteri", "menko"),
    "president": ("presiden",),
    "vice": ("wakil", "wapres"),
    "deputy": ("wakil",),
    "governor": ("gubernur", "gub"),
    "regent": ("bupati",),
    "mayor": ("walikota", "wali kota", "wali"),
    "secretary": ("sekretaris", "sekda", "sekjen", "setjen"),
    "general": ("jenderal", "umum", "jend"),
    "regional": ("daerah", "regional", "wilayah"),
    "national": ("nasional",),
    "office": ("kantor", "dinas"),
    "agency": ("badan", "lembaga", "dinas"),
    "service": ("dinas", "layanan"),
    "department": ("dinas", "departemen"),
    "council": ("dewan",),
    "house": ("dewan", "rumah"),
    "representatives": ("perwakilan", "dpr"),
    "assembly": ("majelis",),
    "parliament": ("parlemen", "dpr"),
    "court": ("pengadilan", "mahkamah"),
    "supreme": ("agung",),
    "constitutional": ("konstitusi",),
    "police": ("polisi", "polri", "polda", "polres", "polsek", "kepolisian"),
    "army": ("tni", "angkatan"),
    "military": ("militer", "tni"),
    "navy": ("laut", "al"),
    "university": ("universitas", "univ"),
    "school": ("sekolah",),
    "hospital": ("rumah sakit", "rs", "rsud"),
    "central": ("pusat", "tengah", "sentral"),
    "east": ("timur",),
    "west": ("barat",),
    "north": ("utara",),
    "south": ("selatan",),
    "island": ("pulau",),
    "islands": ("kepulauan",),
    "sea": ("laut",),
    "river": ("sungai",),
    "mount": ("gunung",),
    "lake": ("danau",),
    "strait": ("selat",),
    "bay": ("teluk",),
    "cooperative": ("koperasi",),
    "cooperatives": ("koperasi",),
    "small": ("kecil",),
    "medium": ("menengah",),
    "micro": ("mikro",),
    "enterprises": ("usaha",),
    "business": ("usaha", "bisnis"),
    "affairs": ("urusan",),
    "home": ("dalam negeri",),
    "foreign": ("luar negeri",),
    "finance": ("keuangan",),
    "health": ("kesehatan",),
    "education": ("pendidikan",),
    "religious": ("agama",),
    "trade": ("perdagangan",),
    "industry": ("industri", "perindustrian"),
    "agriculture": ("pertanian",),
    "transportation": ("perhubungan", "transportasi"),
    "tourism": ("pariwisata",),
    "environment": ("lingkungan",),
    "forestry": ("kehutanan",),
    "energy": ("energi",),
    "social": ("sosial",),
    "manpower": ("ketenagakerjaan", "tenaga kerja"),
    "law": ("hukum",),
    "defence": ("pertahanan",),
    "defense": ("pertahanan",),
    "state": ("negara",),
    "republic": ("republik", "ri"),
    "indonesia": ("indonesia", "ri"),
    "indonesian": ("indonesia", "ri"),
    "commission": ("komisi",),
    "corruption": ("korupsi",),
    "eradication": ("pemberantasan",),
    "election": ("pemilu", "pemilihan"),
    "committee": ("komite", "panitia"),
    "team": ("tim",),
    "board": ("dewan", "badan"),
    "chairman": ("ketua",),
    "chairwoman": ("ketua",),
    "chair": ("ketua",),
    "head": ("kepala", "ketua"),
    "member": ("anggota",),
    "members": ("anggota",),
    "spokesperson": ("juru bicara", "jubir"),
    "spokesman": ("juru bicara", "jubir"),
    "coordinating": ("koordinator", "menko", "kemenko"),
    "coordination": ("koordinasi", "rakor"),
    "meeting": ("rapat", "rakor", "pertemuan"),
    "planning": ("perencanaan",),
    "development": ("pembangunan", "pengembangan"),
    "public": ("umum", "publik"),
    "works": ("pekerjaan",),
    "housing": ("perumahan",),
    "communication": ("komunikasi",),
    "information": ("informasi", "informatika"),
    "technology": ("teknologi",),
    "research": ("riset", "penelitian"),
    "statistics": ("statistik", "bps"),
    "airport": ("bandara", "bandar udara"),
    "port": ("pelabuhan",),
    "market": ("pasar",),
    "mosque": ("masjid",),
    "church": ("gereja",),
    "palace": ("istana",),
    "street": ("jalan", "jl"),
    "road": ("jalan", "jl"),
    "prosecutor": ("jaksa", "kejaksaan"),
    "attorney": ("jaksa", "kejaksaan"),
    "company": ("perusahaan", "pt"),
    "party": ("partai",),
    "democratic": ("demokrat", "demokrasi"),
    "united": ("bersatu", "serikat"),
    "states": ("serikat",),
    # "as" only counts for the acronym "US": acronyms are looked up among capitalised words.
    "us": ("as", "amerika serikat"),
    "america": ("amerika",),
    "american": ("amerika",),
    "uk": ("inggris", "britania"),
    "britain": ("inggris", "britania"),
    "british": ("inggris", "britania"),
    "england": ("inggris",),
    "english": ("inggris",),
    "china": ("tiongkok", "cina", "china"),
    "chinese": ("tiongkok", "cina", "china"),
    "japan": ("jepang",),
    "japanese": ("jepang",),
    "netherlands": ("belanda",),
    "dutch": ("belanda",),
    "germany": ("jerman",),
    "german": ("jerman",),
    "france": ("prancis", "perancis"),
    "french": ("prancis", "perancis"),
    "korea": ("korea",),
    "saudi": ("saudi",),
    "arabia": ("arab",),
    "greece": ("yunani",),
    "greek": ("yunani",),
    "egypt": ("mesir",),
    "java": ("jawa",),
    "javanese": ("jawa",),
    "sumatra": ("sumatera",),
    "papua": ("papua",),
    "moluccas": ("maluku",),
    "european": ("eropa",),
    "europe": ("eropa",),
    "union": ("uni", "serikat"),
    "nations": ("bangsa",),
    "world": ("dunia",),
    "bank": ("bank",),
    "week": ("pekan", "minggu"),
    "hotel": ("hotel",),
    "spain": ("spanyol",),
    "spanish": ("spanyol",),
    "scotland": ("skotlandia",),
    "scottish": ("skotlandia",),
    "syria": ("suriah",),
    "syrian": ("suriah",),
    "egyptian": ("mesir",),
    "mexican": ("meksiko",),
    "mexicans": ("meksiko",),
    "finland": ("finlandia",),
    "finnish": ("finlandia",),
    "un": ("pbb",),
    "eu": ("ue", "uni eropa"),
    "usa": ("as", "amerika serikat"),
    "middle": ("tengah",),
    "senate": ("senat",),
    "prime": ("perdana",),
    "league": ("liga",),
    "war": ("perang",),
    "cup": ("piala",),
    "emperor": ("kaisar",),
    "king": ("raja",),
    "queen": ("ratu",),
    "prince": ("pangeran",),
    "government": ("pemerintah", "pemerintahan"),
    "conservative": ("konservatif",),
    "republican": ("republik",),
    "labour": ("buruh",),
    "labor": ("buruh",),
    "society": ("masyarakat", "perkumpulan"),
    "conference": ("konferensi",),
    "center": ("pusat",),
    "centre": ("pusat",),
    "prison": ("penjara", "lapas"),
    "group": ("grup", "kelompok"),
    "new": ("baru",),
    "white": ("putih",),
    "desert": ("gurun",),
    "hurricane": ("badai",),
    "earth": ("bumi",),
    "space": ("antariksa", "luar angkasa"),
    "agreement": ("perjanjian", "kesepakatan"),
    "treaty": ("perjanjian", "traktat"),
    "festival": ("festival",),
    "museum": ("museum",),
}


# Indonesian abbreviations common in news -> their expansions (all words must occur).
ALIASES: dict[str, tuple[str, ...]] = {
    "pemkot": ("pemerintah kota",),
    "pemkab": ("pemerintah kabupaten",),
    "pemprov": ("pemerintah provinsi",),
    "pemda": ("pemerintah daerah",),
    "sekda": ("sekretaris daerah",),
    "kadis": ("kepala dinas",),
    "wapres": ("wakil presiden",),
    "mensos": ("menteri sosial",),
    "mensesneg": ("menteri sekretaris negara",),
    "menkeu": ("menteri keuangan",),
    "mendagri": ("menteri dalam negeri",),
    "menlu": ("menteri luar negeri",),
    "menkes": ("menteri kesehatan",),
    "kemendagri": ("kementerian dalam negeri",),
    "kemenkeu": ("kementerian keuangan",),
    "kemenkes": ("kementerian kesehatan",),
    "kemnaker": ("kementerian ketenagakerjaan",),
    "kapolri": ("kepala kepolisian",),
    "kapolda": ("kepala kepolisian daerah", "kapolda"),
    "dpr": ("dewan perwakilan rakyat",),
    "dprd": ("dewan perwakilan rakyat daerah",),
    "kpk": ("komisi pemberantasan korupsi",),
    "kpu": ("komisi pemilihan umum",),
    "bps": ("badan pusat statistik",),
    "umkm": ("usaha mikro kecil menengah",),
    "msme": ("umkm", "usaha mikro kecil menengah", "micro small medium enterprises"),
    "sme": ("ukm", "umkm", "usaha kecil menengah", "small medium enterprises"),
    "tni": ("tentara nasional indonesia",),
    "polri": ("kepolisian", "polisi"),
    "ri": ("republik indonesia", "indonesia"),
    "as": ("amerika serikat",),
}


@lru_cache(maxsize=1 << 16)
def normalise_token(token: str) -> str:
    """Lower-case a word and strip a possessive ending ("Maluku's" -> "maluku")."""
    word = token.lower().replace("’", "'")
    if word.endswith("'s"):
        return word[:-2]
    if word.endswith("'"):
        return word[:-1]
    return word


_INDONESIAN_HINTS = word_set(
    "yang dan di dengan untuk dari ini itu pada dalam tidak akan juga ke oleh karena bahwa"
)
_ENGLISH_HINTS = word_set("the and of to in is was that for with on as by at from it are")
_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str:
    """Guess whether ``text`` is Indonesian ("id") or English ("en") from function words."""
    words = [w.lower() for w in _WORD.findall(text)]
    indonesian = sum(w in _INDONESIAN_HINTS for w in words)
    english = sum(w in _ENGLISH_HINTS for w in words)
    return "id" if indonesian > english else "en"
