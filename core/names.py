"""The one normalizer for names: how search, autocomplete and the duplicate check compare them.

A name is compared word by word. Each word has three forms, from strict to loose:

- ``word``: case, accents, apostrophes, hyphens and the variant forms of Arabic letters folded
  away (``normalize``);
- ``sound``: also the spelling differences of transliteration from Arabic folded away:
  q/k/g, a soft c, dj/j, dh/z, kh/h, th/t, sh/ch, ph/f, doubled letters, a silent final h,
  any run of vowels (w, and y but at the start, among them) written as one ``a`` ("Qasrin"
  and "Kasserine" differ here only in vowels);
- ``bones``: the sound without its vowels but the first ("ksrn" for both).

A word also matches the words one slip away from it (``slipped``): "Qizain" and "Qizani".
Numbers are matched as written.

Articles (al-, el-, ash-, …), the words that join a name's words ("of", "in", "fi") and
generic words (jabal/jebel/mount…, wadi/oued, governorate/wilaya/province, ibn/bin/ben) are
words a name may or may not carry: a generic word stands for its class (``@mount``), an
article for nothing.
"""

import dataclasses
import functools
import re
import unicodedata

_ARABIC = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ء": "",
        "ـ": "",  # tatweel
        "ک": "ك",
        "ی": "ي",
    }
)
_APOSTROPHES = re.compile(r"['’‘`ʿʾʻʼ\u02bc\u02bb]")
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)

# Digraphs of transliteration, folded before single letters, longest first.
_DIGRAPHS = re.compile(r"sch|tch|dj|dh|th|kh|gh|sh|ch|ph|ck")
_DIGRAPH_SOUNDS = {
    "sch": "x",
    "tch": "x",
    "dj": "j",
    "dh": "z",
    "th": "t",
    "kh": "h",
    "gh": "k",
    "sh": "x",
    "ch": "x",
    "ph": "f",
    "ck": "k",
}
_LETTER_SOUNDS = str.maketrans({"q": "k", "g": "k", "c": "k"})
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = "aeiouwy"
_ARABIC_LONG_VOWELS = "اوي"
# The letters a slip may add to a word of the Latin script.
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Shorter words have no slips, shorter bones match nothing: one letter off in three is
# another name. No name has a word longer than LONGEST_SLIP letters.
SHORTEST_SLIP, SHORTEST_BONES, LONGEST_SLIP = 4, 3, 30


def normalize(text):
    """Fold case, accents, Arabic letter variants, apostrophes and hyphens away.

    >>> normalize("Jabal Al-Shaanbi")
    'jabal al shaanbi'
    >>> normalize("IS–TP") == normalize("is-tp")
    True
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_ARABIC).casefold()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_SEPARATORS.sub(" ", text).split())


# Articles, and the words that join the words of a name ("of", "in", "fi").
ARTICLES = frozenset(
    "al el il ul ad ed adh ath ar er as es ash esh ech at et az ez an en le la les ال "
    "of the in and de du des d fi wa et y".split()
)
GENERIC = {
    normalize(word): f"@{kind}"
    for kind, words in {
        "mount": "jabal jebel djebel jbel djbel jabel mount mountain mountains mont monts mt جبل",
        "wadi": "wadi oued ouadi wad وادي",
        "province": "governorate wilaya wilayah wilayat province ولاية",
        "bin": "ibn bin ben bint بن ابن",
    }.items()
    for word in words.split()
}


@dataclasses.dataclass(frozen=True)
class Word:
    """One word of a name in its three forms (see the module's docstring)."""

    word: str
    sound: str
    bones: str

    @property
    def optional(self):
        """An article, a joining word or a generic word: a name may leave it out."""
        return not self.sound or self.sound.startswith("@")

    @property
    def exact(self):
        """A number, or a word with one: matched as written ("2011" is not "2001")."""
        return any(letter.isdigit() for letter in self.word)

    @property
    def slips(self):
        """The words one slip of the keyboard away: two letters swapped, one left out, one too
        many (a doubled letter, say). ``slipped()`` tells the same of two words."""
        word = self.word
        if not SHORTEST_SLIP <= len(word) <= LONGEST_SLIP or self.optional or self.exact:
            return set()
        variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
        variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
        if word.isascii():
            variants |= {
                word[:i] + letter + word[i:] for i in range(len(word) + 1) for letter in LETTERS
            }
        variants.discard(word)
        return variants

    def likeness(self, other):
        """How ``other`` (a word of a name) matches this word of a query: 0 the same word,
        1 a word it begins, 2 a tolerant match, None no match. ``search.matcher`` asks the
        database for the same conditions."""
        if other.word == self.word:
            return 0
        if other.word.startswith(self.word):
            return 1
        if not self.sound:
            return None
        if other.sound == self.sound:
            return 2
        if self.optional or self.exact:
            return None
        if len(self.bones) >= SHORTEST_BONES and other.bones == self.bones:
            return 2
        if SHORTEST_SLIP <= len(self.word) <= LONGEST_SLIP and slipped(self.word, other.word):
            return 2
        return None


def slipped(typed, meant):
    """Whether ``typed`` is ``meant`` with one slip: two neighbouring letters swapped, one
    left out, or one too many."""
    if abs(len(typed) - len(meant)) > 1 or typed == meant:
        return False
    if len(typed) == len(meant):
        differ = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and typed[differ[0]] == meant[differ[1]]
            and typed[differ[1]] == meant[differ[0]]
        )
    shorter, longer = sorted((typed, meant), key=len)
    i = next(
        (i for i, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter)
    )
    return shorter[i:] == longer[i + 1 :]


def sound(word):
    """The transliteration-folded form of one normalized word ("" for an article)."""
    if word in ARTICLES:
        return ""
    if word in GENERIC:
        return GENERIC[word]
    if any(letter.isdigit() for letter in word):
        return word
    if not word.isascii():
        return _arabic_sound(word)
    if len(word) > 3 and word.endswith("h") and word[-2] in _VOWELS:
        word = word[:-1]
    word = _DIGRAPHS.sub(lambda m: _DIGRAPH_SOUNDS[m.group()], word)
    word = _SOFT_C.sub("s", word)  # "Yacine"
    letters = []
    for i, letter in enumerate(word):
        if letter == "y" and i == 0:
            letters.append("y")
        elif letter in _VOWELS:
            letters.append("a")
        else:
            letters.append(letter)
    folded = "".join(letters).translate(_LETTER_SOUNDS)
    folded = re.sub(r"(.)\1+", r"\1", folded).replace("nb", "mb")
    return folded


def _arabic_sound(word):
    if len(word) > 3 and word.startswith("ال"):
        word = word[2:]
    return re.sub(r"(.)\1+", r"\1", word)


def bones(sound_):
    """A sound without its vowels but the first: "kasarana" → "ksrn"."""
    if not sound_ or sound_.startswith("@") or any(letter.isdigit() for letter in sound_):
        return sound_
    vowels = "a" if sound_.isascii() else _ARABIC_LONG_VOWELS
    return sound_[0] + "".join(letter for letter in sound_[1:] if letter not in vowels)


@functools.lru_cache(maxsize=20_000)
def words(text):
    """The words of a name or a query, in order, each in its three forms (a tuple)."""
    found = []
    for word in normalize(text).split():
        folded = sound(word)
        found.append(Word(word=word[:200], sound=folded[:200], bones=bones(folded)[:200]))
    return tuple(found)


def signature(text):
    """What two names of one thing share however they are spelt: the bones of their words,
    sorted, articles and generic words aside; and the generic words' classes, sorted.
    ("ksrn", "") for "Kasserine"; ("xmb", "@mount") for "Jabal Al-Shaanbi" and "Mount Chaambi"."""
    named = words(text)
    core = sorted(
        word.bones if len(word.bones) >= SHORTEST_BONES else word.sound
        for word in named
        if not word.optional
    )
    generic = sorted({word.sound for word in named if word.sound.startswith("@")})
    return " ".join(core), " ".join(generic)
