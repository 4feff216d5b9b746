"""Names as search finds them: without case, accents, apostrophes or hyphens, word by word."""

import re
import unicodedata

# Letters that do not come apart into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’‘`´]")
_NOT_A_LETTER = re.compile(r"[^\w-]+|_")  # letters of any script, digits, hyphens


def fold(text: str, apostrophe: str = "") -> str:
    """Lower case, accents and apostrophes gone: "Zoë Åberg" → "zoe aberg", "O'Neill" → "oneill"
    (or each apostrophe replaced by `apostrophe`)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _APOSTROPHES.sub(apostrophe, plain.translate(_LETTERS))


def name_words(name: str) -> set[str]:
    """The words a name is found by: each word folded, a hyphenated name also whole, and a
    name with an apostrophe also by what follows it ("O'Brien-Núñez" → obrien, nunez,
    obriennunez, and brien, briennunez)."""
    words = set()
    for folded in {fold(name), fold(name, apostrophe=" ")}:
        for part in _NOT_A_LETTER.split(folded):
            pieces = [piece for piece in part.split("-") if piece]
            words.update(pieces)
            if len(pieces) > 1:
                words.add("".join(pieces))
    return {word[:60] for word in words}


def search_words(text: str) -> list[str]:
    """The words typed into a search, folded the same way; a hyphenated word is searched whole.
    The longest first, and of the same length the first typed (staff type the family name
    first): a search reads the cases of its first word's range, and a longer start of a name
    is shared by fewer patients."""
    typed = [word.replace("-", "") for word in _NOT_A_LETTER.split(fold(text)) if word.strip("-")]
    return sorted(dict.fromkeys(typed), key=len, reverse=True)


def after_prefix(word: str) -> str:
    """The first string after every word that starts with `word` (for an index range)."""
    return word[:-1] + chr(ord(word[-1]) + 1)
