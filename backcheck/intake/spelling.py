r"""Mend common typos in the words that matter, keeping a map back to the original offsets.

Safety rule 4 says typos must never lower the level of a report, so a misspelt "numbnes" or
"bladdr" must still be read. Only words the English dictionary does not know are touched, and
only when they are one edit (two for long words) from a key word: every word the target rules
spell out (with common endings for stems such as `tear\w*`) plus `rules/key_words.yaml`.
Slang the rules use ("deads", "RDLs") is itself a key word and so is never rewritten.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


@dataclass(frozen=True)
class MendedText:
    """Text with typos mended, and the offsets needed to point back into the original."""

    text: str
    original: str
    _starts: tuple[int, ...]  # mended offsets where an edit begins
    _shifts: tuple[int, ...]  # original - mended offset after that edit
    corrections: tuple[tuple[str, str], ...]

    def original_offset(self, mended_offset: int) -> int:
        i = bisect.bisect_right(self._starts, mended_offset) - 1
        return mended_offset + (self._shifts[i] if i >= 0 else 0)


RARE_WORD = 100  # dictionary count below which a known word may still be a typo
_MACRO_REF = re.compile(r"<([A-Z_]+)>")
_LITERAL = re.compile(r"(?<![\\a-z])([a-z]{3,})(?![a-z\[(])(\\w[*+])?", re.IGNORECASE)
_SUFFIXES = ("", "s", "ed", "ing", "y", "ness", "er", "es", "e", "a", "ly")
# Heads of negative contractions: "deosn't" is read as "doesn't", so its negation is kept.
_NEGATABLE = (
    "doesn",
    "don",
    "didn",
    "isn",
    "wasn",
    "aren",
    "weren",
    "haven",
    "hasn",
    "hadn",
    "couldn",
    "wouldn",
    "shouldn",
    "can",
    "won",
    "ain",
)


def _literal_words(pattern: str) -> set[str]:
    """Words spelt out in a regex; a stem followed by \\w* gets its common real-word endings."""
    words: set[str] = set()
    for m in _LITERAL.finditer(pattern):
        stem = m.group(1).lower()
        words.add(stem)
        if m.group(2):  # only real words: "pee\\w*" must not make "peeed" a key
            words.update(_dictionary().known([stem + s for s in _SUFFIXES[1:]]))
    return {w for w in words if len(w) >= 4}


def _words_in_patterns() -> dict[str, int]:
    """Literal words in the target rules (read before macro expansion, which is much shorter),
    each with its priority: words of the most urgent red flags win ties ("swets" reads as
    "sweats", not "sets"; "waek" as "weak", not "wake")."""
    from backcheck.intake.rules import read_rule_files
    from backcheck.knowledge.loader import load_knowledge

    levels = ("emergency", "urgent", "soon", "self_care", "normal")
    flags = {f.id: levels.index(f.min_level) for f in load_knowledge().red_flags.values()}
    macros, rules = read_rule_files()
    macro_words: dict[str, set[str]] = {}

    def words_of(pattern: str) -> set[str]:
        found = _literal_words(_MACRO_REF.sub(" ", pattern))
        for name in _MACRO_REF.findall(pattern):
            if name not in macro_words:
                macro_words[name] = words_of(macros[name])
            found |= macro_words[name]
        return found

    words: dict[str, int] = {}
    for rule in rules:
        rank = flags.get(rule["id"], len(levels))
        for pattern in rule["patterns"]:
            for word in words_of(pattern):
                words[word] = min(rank, words.get(word, rank))
    return words


@cache
def _ranked_keys() -> dict[str, int]:
    path = resources.files("backcheck.intake").joinpath("rules", "key_words.yaml")
    ranked = _words_in_patterns()
    for word in yaml.safe_load(path.read_text("utf-8")):
        ranked.setdefault(word.lower(), 9)
    return ranked


def key_words() -> frozenset[str]:
    """Every word the rules spell out or the curated list names."""
    return frozenset(_ranked_keys())


@cache
def _dictionary():  # type: ignore[no-untyped-def]
    from spellchecker import SpellChecker

    return SpellChecker(distance=2)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _delete_index() -> dict[str, tuple[str, ...]]:
    """Key words by themselves and by every one-letter deletion (SymSpell's lookup trick)."""
    index: dict[str, list[str]] = {}
    for key in _ranked_keys():
        for variant in {key} | _deletes(key):
            index.setdefault(variant, []).append(key)
    return {k: tuple(v) for k, v in index.items()}


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: adjacent swaps count as one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _edit_kind(word: str, key: str) -> int:
    """Likelier slips first: swapped letters, a dropped letter, a doubled letter, an extra
    letter, a wrong letter."""
    if sorted(word) == sorted(key):
        return 0
    if len(key) == len(word) + 1:
        return 1
    if len(word) == len(key) + 1:
        doubled = any(
            word[:i] + word[i + 1 :] == key
            and word[i] in word[max(0, i - 1) : i + 2].replace(word[i], "", 1)
            for i in range(len(word))
        )
        return 2 if doubled else 3
    return 4


def _mend_contraction(low: str) -> str | None:
    head, _, tail = low.replace("’", "'").partition("'")
    if tail != "t" or head in _NEGATABLE:
        return None
    close = [n for n in _NEGATABLE if _distance(head, n) == 1]
    return min(close, key=lambda n: (_edit_kind(head, n), n)) + "'t" if close else None


def _mend_word(word: str) -> str | None:
    low = word.lower()
    ranked = _ranked_keys()
    if "'" in low or "’" in low:
        return _mend_contraction(low)
    if len(low) < 3 or low in ranked:
        return None
    freq = _dictionary().word_frequency
    known = _dictionary().known([low])
    if known and freq[low] > RARE_WORD:
        return None
    index = _delete_index()
    limit = 1 if known or len(low) < 8 else 2
    candidates = {k for v in {low} | _deletes(low) for k in index.get(v, ())}
    found = [k for k in candidates if _distance(low, k) <= limit]
    if known:  # a rare real word is only read as a much commoner key word ("tinging")
        found = [k for k in found if freq[k] >= 20 * max(freq[low], 1)]
    if not found:
        return None
    return min(found, key=lambda w: (ranked[w], _distance(low, w), _edit_kind(low, w), -freq[w], w))


def mend_typos(text: str) -> MendedText:
    parts: list[str] = []
    starts: list[int] = []
    shifts: list[int] = []
    corrections: list[tuple[str, str]] = []
    pos = 0
    shift = 0
    for m in _WORD.finditer(text):
        fixed = _mend_word(m.group())
        if fixed is None:
            continue
        parts.append(text[pos : m.start()])
        parts.append(fixed)
        corrections.append((m.group(), fixed))
        pos = m.end()
        shift += len(m.group()) - len(fixed)
        starts.append(len("".join(parts)))
        shifts.append(shift)
    parts.append(text[pos:])
    return MendedText("".join(parts), text, tuple(starts), tuple(shifts), tuple(corrections))
