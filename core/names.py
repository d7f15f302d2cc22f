"""The one normalizer for names: what search and duplicate detection compare."""

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


def search_key(text):
    """The stored form of a name: normalized, with a leading space so that
    ``contains(" " + query)`` matches any word from its start on every database."""
    normalized = normalize(text)
    return f" {normalized}" if normalized else ""
