"""A report cut into the clauses the learned layer reads one by one.

Sentences come from the intake pipeline; inside a sentence a clause ends at a comma, semicolon,
colon, bracket, dash or a contrasting word ("but", "though"). Cutting at commas splits a list of
denials ("no numbness, no tingling, no trouble peeing") into its items, so a denial of one thing
is never read as a mention of the next. "and" is not a cut: "numbness and tingling in both legs"
must stay one clause to keep "both legs". A clause of one or two words ("tingling",
"numbness") says little alone, so it is also read together with the clause before it (or after
it, when it opens the sentence); see `reader` for how the two readings combine.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

_CUT_TOKENS = frozenset({",", ";", ":", "(", ")", "[", "]", "-", "–", "—", "...", "…"})
_CUT_WORDS = frozenset({"but", "though", "although", "however", "whereas", "except"})


@dataclass(frozen=True)
class Clause:
    """Token range [start, end) of the doc, its text, and the words the model reads for it."""

    start: int
    end: int
    text: str
    reading: str


def clauses(doc: Doc) -> list[Clause]:
    """The clauses of `doc` that hold at least one content word, in reading order ("which I
    don't" says nothing by itself; its neighbour's reading covers it)."""
    out: list[Clause] = []
    for sent in doc.sents:
        pieces: list[tuple[int, int]] = []
        start = sent.start
        for token in sent:
            cut_before = token.lower_ in _CUT_WORDS
            if _is_cut(doc, token.i) or cut_before:
                _add(doc, start, token.i, pieces)
                start = token.i if cut_before else token.i + 1
        _add(doc, start, sent.end, pieces)
        for k, (lo, hi) in enumerate(pieces):
            text = doc[lo:hi].text
            reading = text
            if _words(doc, lo, hi) < SHORT_WORDS and len(pieces) > 1:
                other = pieces[k - 1] if k else pieces[k + 1]
                a, b = (other, (lo, hi)) if k else ((lo, hi), other)
                reading = f"{doc[a[0] : a[1]].text}, {doc[b[0] : b[1]].text}"
            out.append(Clause(lo, hi, text, reading))
    return out


SHORT_WORDS = 3


def _is_cut(doc: Doc, i: int) -> bool:
    """A cut token; a dash only between spaces ("tight - no pain", not "re-injured")."""
    text = doc[i].text
    if text not in _CUT_TOKENS:
        return False
    return text not in ("-", "–", "—") or i == 0 or bool(doc[i - 1].whitespace_)


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(t.is_alpha for t in doc[start:end])


def _add(doc: Doc, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and not doc[start].is_alpha and not doc[start].like_num:
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end > start and any(t.is_alpha and not t.is_stop for t in doc[start:end]):
        out.append((start, end))
