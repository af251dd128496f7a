"""Which characters a username may hold so that it cannot pass for another one, and
whether a typed text (a class name, a help question) shows anything at all.

A teacher tells learners apart by name on the class page, in the help queue and in the
CSV. NFKC and case-folding make "ａｄａ" and "ADA" the name "Ada"; this module refuses
what would still look like it: letters from two scripts ("Аda" with a Cyrillic А), a
letter that shows nothing (the Hangul fillers), a mark that is not its letter's script's
own (stacked accents, an invisible joiner). Scripts' own marks are letters' parts, so
Devanagari, Thai or Arabic names are welcome. The script is read from the character's
Unicode name (Python has no script property): close enough for letters, and on the
safe side where it is not. Left open: a name wholly in another script that looks Latin
("Аԁа", all Cyrillic) needs Unicode's confusables table, which the project does not ship.
"""

from __future__ import annotations

import unicodedata

# Letters that show nothing: the Hangul fillers.
INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
# Marks that show nothing: Khmer inherent vowels, Mongolian selectors, the combining
# grapheme joiner.
INVISIBLE_MARKS = {"\u17b4", "\u17b5", "\u180b", "\u180c", "\u180d", "\u180f", "\u034f"}
MARKS_IN_A_ROW = 3  # a Thai consonant takes a vowel and a tone mark; more is stacking
# The combining diacritics (U+0300-U+036F, Unicode's "inherited" script) are the marks of
# the alphabets that write accents apart where no precomposed letter exists: Yoruba's
# "ọ́", Lithuanian's "ą̃"; NFKC has composed what can be, so two in a row is the most a
# name needs.
SHARED_MARKS_FOR = {"LATIN", "GREEK", "CYRILLIC"}
SHARED_MARKS_IN_A_ROW = 2
# The first word of some characters' names, as the script they belong to; None for
# modifier letters, written with several scripts (the Hawaiian ʻokina, the Ukrainian ʼ).
SCRIPT_OF_WORD = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA",
                  "ARABIC-INDIC": "ARABIC", "EXTENDED": "ARABIC", "MODIFIER": None}
# Scripts written together in one name (UTS #39, "highly restrictive"): Japanese mixes
# Han and both kana, Korean Han and Hangul, Chinese Han and Bopomofo; Latin joins each.
MIXES = ({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}, {"LATIN", "HAN", "HANGUL"},
         {"LATIN", "HAN", "BOPOMOFO"})


def script(char: str) -> str | None:
    """The script of a letter, digit or mark; None for ASCII digits, which go anywhere."""
    if char.isascii():
        return "LATIN" if char.isalpha() else None
    word = unicodedata.name(char, "?").split(" ", 1)[0]
    return SCRIPT_OF_WORD.get(word, word)


def unsafe_character(name: str, punctuation: str) -> str | None:
    """The first character that may not stand where it is in `name` (NFKC), or None:
    letters and digits, `punctuation`, and after a letter its own script's marks."""
    marks, accents, letter_script = 0, 0, None
    for char in name:
        kind = unicodedata.category(char)[0]
        if kind == "M":
            marks += 1
            accents += _shared(char)
            if (letter_script is None or not _mark_of(char, letter_script)
                    or char in INVISIBLE_MARKS or marks > MARKS_IN_A_ROW
                    or accents > SHARED_MARKS_IN_A_ROW):
                return char
            continue
        marks = 0
        # Accents NFKC composed into the letter count too: "á" and two more is a stack.
        accents = sum(map(_shared, unicodedata.normalize("NFD", char)))
        letter_script = script(char) if kind == "L" else None
        if not (kind in "LN" or char in punctuation) or char in INVISIBLE_LETTERS:
            return char
    return None


def _shared(mark: str) -> bool:
    return "\u0300" <= mark <= "\u036f"


def _mark_of(mark: str, letter_script: str) -> bool:
    """Whether `mark` may stand on a letter of `letter_script`."""
    return (letter_script in SHARED_MARKS_FOR if _shared(mark)
            else script(mark) == letter_script)


def mixes_scripts(name: str) -> bool:
    """Whether `name` takes letters or digits from scripts that are not written together."""
    used = {script(char) for char in name if unicodedata.category(char)[0] in "LN"} - {None}
    return len(used) > 1 and not any(used <= mix for mix in MIXES)


def shows_something(text: str) -> bool:
    """Whether `text` has a letter, digit, punctuation or symbol that shows: not only
    spaces, zero-width characters, joiners or fillers."""
    return any(unicodedata.category(char)[0] in "LNPS" and char not in INVISIBLE_LETTERS
               for char in text)
