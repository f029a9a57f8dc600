"""Guess whether a text is Indonesian, English or something else, from its function words.

Pure Python and light to import: word lists of eleven languages, no model. Each word of
the text that is in a list votes for the languages listing it (a word in two lists gives
each half a vote), so the frequent short words that Indonesian, English and their
neighbours share ("di", "in", "de", "dan") count for less than the ones only one language
uses. Malay shares nearly all its function words with Indonesian and comes out "id".
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["LANGUAGES", "detect_language"]

# Function words by language. The two that matter are listed generously; the others only
# need enough of their own frequent words to outvote the words they share with id and en.
_FUNCTION_WORDS: dict[str, str] = {
    "id": """
        ada adalah adapun agar akan akibat aku anda antara apa apabila atas atau bagaimana
        bagi bahkan bahwa baik banyak baru beberapa begitu belum berbagai bersama beliau
        bisa bukan cukup dalam dan dapat dari demi dengan di dia hal hampir hanya harus
        hingga ia ialah ini itu jadi jika juga kalau kami kamu kan karena ke kemudian kepada
        ketika kita lagi lain lalu lebih maka masih meski meskipun mereka namun oleh pada
        para pun saat saja salah sama sambil sampai sangat saya sebab sebagai sebelum sebuah
        sedang sedangkan sehingga sejak sekitar selain selama seluruh semua sementara
        sendiri seorang seperti serta sesuai setelah setiap sudah supaya tak tanpa tapi
        telah tentang terhadap termasuk tersebut tetapi tidak untuk walau walaupun yaitu
        yakni yang menurut sejumlah kini kemarin selanjutnya sebelumnya terkait melalui
        nya tersebut hari tahun orang akan bila daripada sekarang pernah terus tengah
        mulai masing secara hanya bahwa sebesar sebanyak usai guna ujar kata katanya
        mengatakan menjadi memiliki merupakan dilakukan terjadi yakni tadi begini semakin
        sekali kali pula agak para sang sini sana situ mana siapa kapan mengapa kenapa
        tetap dulu segera harus perlu ingin mau boleh juga kembali lewat antar bersama
        iaitu kerana bahawa sahaja selepas semasa
    """,
    "en": """
        a about above after again against all also although am among an and another any
        are around as at be because been before being below between both but by can could
        did do does doing down during each either even ever every few for from further had
        has have having he her here hers herself him himself his how however i if in into
        is it its itself just least less many may me might more most much must my never no
        nor not now of off often on once one only onto or other others our ours out over
        own per quite rather said same several shall she should since so some still such
        than that the their theirs them themselves then there therefore these they this
        those though through thus to together too toward towards under unless until up
        upon us very was we well were what when where whether which while who whom whose
        why will with within without would yet you your yours been says told according
        last first new year years people
    """,
    "jv": """
        ing lan sing iki kuwi iku ora wis wes karo kanggo marang saka uga nanging amarga
        supaya dadi ana kang kaya menyang banget kowe dheweke awake sampun badhe saged
        punika menika ingkang kaliyan dening nalika yaiku utawa wonten boten mboten wae
        ugi sedaya kathah neng nang kudu arep isih durung wong tiyang dina kula
        panjenengan inggih saking dhateng kangge amargi utawi nggih mangkono menawa yen
        manawa bae kabeh akeh sithik gedhe cilik omah lunga teka weruh ngerti
    """,
    "su": """
        nu jeung teh oge ieu eta henteu teu geus keur pikeun ku mah ari anu ti kana dina
        tina sareng abdi anjeun bari lamun sanajan nepi ngan kitu kieu pisan atawa
        sakabeh nyaeta kungsi urang aranjeunna manehna bakal tapi naon saha iraha kumaha
        dimana alatan kusabab anjeunna jalma dinten taun ayeuna kapungkur salian
    """,
    "nl": """
        de het een en van in is dat op te zijn voor met die niet aan er om ook als bij of
        maar door naar over dan nog wordt werd heeft hebben dit deze uit tot zo worden kan
        ze hij zij wij haar hun wat wel geen al meer was waren omdat zich onder tegen na ik
        je mijn ons onze hem toen waar hoe veel zou zullen moet moeten kunnen alleen
    """,
    "de": """
        der die das und ist nicht den dem des ein eine einen einem einer zu mit auf für von
        sich auch es an im wird wurde werden sind war hat haben als bei nach aus um wie oder
        noch nur aber dass durch über vor so sie er wir ich kann mehr man dieser diese wenn
        schon zum zur vom ihre ihr sein seine keine kein gegen sehr wieder unter zwischen
        worden hatte waren soll sollen muss müssen können
    """,
    "fr": """
        le la les de des du un une et est en que qui dans pour pas sur au aux par avec ce
        cette il elle ils elles sont a ont été plus ne se son sa ses leur leurs mais ou
        comme nous vous je on y était fait lors selon aussi très tout tous avait sans
        entre depuis dont cela être avoir peut doit après avant encore même
    """,
    "es": """
        el la los las de del y en que un una es por para con no se su sus al lo como más
        pero o este esta son fue ha han le ya muy también sobre entre cuando hay sin desde
        todo está están ser era porque donde hasta otros otras ese esa durante según tiene
        tienen había puede nos
    """,
    "pt": """
        o a os as de do da dos das em no na nos nas um uma e é que para com não por se mais
        como mas foi ao ele ela são está também pelo pela seu sua seus suas já muito quando
        ou entre sobre depois sem isso este esta tem foram ser até
    """,
    "it": """
        il lo la i gli le di del della dei delle e è che un una per con non in da si al alla
        sono come ma anche più questo questa nel nella ha hanno essere stato stata dopo
        quando ancora molto tutti fra tra suo sua loro ci ne
    """,
    "tl": """
        ang ng sa mga na at ay si ni ito hindi para kung siya niya nila kanila ako ikaw
        tayo kami sila namin natin mo ko din rin lamang lang pa po ba naman dahil kaya
        pero ngunit upang nang noong mula hanggang isang iyon yung ano
    """,
}

LANGUAGES = tuple(_FUNCTION_WORDS)
_TARGETS = ("id", "en")

# word -> its share of a vote for each language that lists it
_VOTES: dict[str, tuple[tuple[str, float], ...]] = {}
_listing: dict[str, list[str]] = {}
for _language, _words in _FUNCTION_WORDS.items():
    for _word in dict.fromkeys(_words.split()):
        _listing.setdefault(_word, []).append(_language)
for _word, _languages in _listing.items():
    _VOTES[_word] = tuple((language, 1 / len(_languages)) for language in _languages)
del _listing

_WORD = re.compile(r"[^\W\d_]+")
# Word shapes that lean one way when a text is too short for its function words to tell.
_INDONESIAN_PREFIXES = ("me", "ber", "di", "ter", "pe", "ke", "se")
_INDONESIAN_SUFFIXES = ("kan", "nya", "an")
_ENGLISH_PREFIXES = ("un", "re")
_ENGLISH_SUFFIXES = ("ing", "ed", "ly", "tion", "ous", "ss")
_LONGEST_WORD = 40  # longer "words" (URLs, base64, CJK runs) tell nothing

_WINDOW_EDGES = re.compile(r"^\S*\s|\s\S*$")
_SAMPLE_CHARS = 12_000  # per window; three windows (start, middle, end) of a long text
_MIN_WORDS = 6  # fewer words than this is "too short to judge"
_MIN_VOTES = 2.0
# "other" needs this many votes, and this many times those of the likelier of id and en.
_MIN_OTHER_VOTES = 2.0
_OTHER_MARGIN = 2.0
_OTHER_SCRIPT_SHARE = 0.5  # more letters outside Latin script than this: not id or en


def detect_language(text: str) -> tuple[str, float]:
    """("id" | "en" | "other", confidence in [0, 1]) from function-word statistics.

    Long texts are sampled (start, middle and end), so a 2 MB text takes milliseconds.
    A text too short or too bare to judge gets the likelier of "id" and "en" with a low
    confidence, never "other".
    """
    sample = _sample(text)
    letters = [c for c in sample if c.isalpha()]
    if letters:
        foreign = sum(not _is_latin(c) for c in letters) / len(letters)
        if len(letters) >= 20 and foreign > _OTHER_SCRIPT_SHARE:
            return "other", round(foreign, 3)

    counts = Counter(word.lower() for word in _WORD.findall(sample))
    total = sum(counts.values())
    votes = dict.fromkeys(LANGUAGES, 0.0)
    own = dict.fromkeys(LANGUAGES, 0)  # words that only one language uses
    for word, count in counts.items():
        shares = _VOTES.get(word, ())
        for language, share in shares:
            votes[language] += share * count
        if len(shares) == 1:
            own[shares[0][0]] += count
    cast = sum(votes.values())

    if votes["id"] != votes["en"]:
        target = "id" if votes["id"] > votes["en"] else "en"
    else:
        target = _by_word_shape(counts)
    if total < _MIN_WORDS or cast < _MIN_VOTES:
        lean = votes[target] / cast if cast else 0.5
        return target, round(min(0.5, 0.25 + 0.25 * lean * min(1.0, total / _MIN_WORDS)), 3)

    best = max(LANGUAGES, key=lambda language: (votes[language], language in _TARGETS))
    if best not in _TARGETS and (
        votes[best] < _MIN_OTHER_VOTES or votes[best] < _OTHER_MARGIN * votes[target]
    ):
        best = target  # a few French or Dutch words in an Indonesian sentence: still id
    # How clearly it leads, counted by the words no other language shares (a Dutch "dan"
    # or an Italian "di" in Indonesian text blur nothing); for "other", how little of the
    # text is Indonesian or English.
    tally: dict[str, float] = {**own} if any(own.values()) else votes
    counted = sum(tally.values())
    leading = tally[best] if best in _TARGETS else counted - tally["id"] - tally["en"]
    share = leading / counted
    # Prose is a quarter to a half function words; far fewer means a list, names, a table.
    coverage = min(1.0, (cast / total) / 0.25)
    length = min(1.0, total / 20)
    confidence = share * (0.5 + 0.5 * coverage) * (0.6 + 0.4 * length)
    return (best if best in _TARGETS else "other"), round(min(1.0, confidence), 3)


def _sample(text: str) -> str:
    """The text, or three windows of it (cut at spaces) when it is long."""
    if len(text) <= 3 * _SAMPLE_CHARS:
        return text
    middle = (len(text) - _SAMPLE_CHARS) // 2
    windows = (
        text[: _SAMPLE_CHARS + 1],
        text[middle - 1 : middle + _SAMPLE_CHARS + 1],
        text[-_SAMPLE_CHARS - 1 :],
    )
    # Drop the (maybe cut) words at the edges of each window.
    return "\n".join(_WINDOW_EDGES.sub("", window) for window in windows)


def _is_latin(char: str) -> bool:
    # Basic Latin to Latin Extended Additional (Vietnamese) and the Latin ligatures.
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code < 0x1F00 or 0xFB00 <= code < 0xFB07


def _by_word_shape(counts: Counter[str]) -> str:
    """id or en from affixes and spelling, for texts without telling function words."""
    indonesian = english = 0
    for word, count in counts.items():
        if not 5 <= len(word) <= _LONGEST_WORD:
            continue
        indonesian += count * (
            word.startswith(_INDONESIAN_PREFIXES) or word.endswith(_INDONESIAN_SUFFIXES)
        )
        english += count * (
            "th" in word or word.startswith(_ENGLISH_PREFIXES) or word.endswith(_ENGLISH_SUFFIXES)
        )
    return "en" if english > indonesian else "id"
