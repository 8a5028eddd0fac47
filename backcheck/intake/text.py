"""Free text into findings: check the input, mend typos, run medspaCy, read ConText.

Each target span becomes a `Finding` whose assertion comes from the ConText modifiers around it
(negated, possible, historical, hypothetical, someone else). A modifier inside the target's own
words ("never brace", "without warming up") is part of the finding, not a modifier of it.
Topic spans ("my bladder is fine") only ever produce an ABSENT finding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span

from backcheck.errors import InputError
from backcheck.findings import Assertion, Finding, Origin
from backcheck.intake.learned.reader import learned_findings
from backcheck.intake.nlp import SPAN_GROUP, parse_label, pipeline, strongest_assertion
from backcheck.intake.rules import TargetRuleDef, target_rules
from backcheck.intake.spelling import MendedText, _dictionary, key_words, mend_typos

MAX_CHARS = 20_000
_LETTERS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class TextIntake:
    findings: list[Finding]
    notices: list[str]
    mended: MendedText


def check_text(text: object) -> str:
    """The report as clean text, or an InputError saying what is wrong and how to fix it."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                "The report is not UTF-8 text (it looks like binary data); "
                "type or paste your description in plain words."
            ) from exc
    if not isinstance(text, str):
        raise InputError(f"The report must be text, not {type(text).__name__}.")
    if len(text) > MAX_CHARS:
        raise InputError(
            f"The report is {len(text):,} characters long; backcheck reads at most "
            f"{MAX_CHARS:,} (about 3,000 words). Paste only the part about your back."
        )
    if not text.strip():
        raise InputError(
            "The report is empty. Describe what happened in a few sentences, "
            "or use 'backcheck ask' for the guided questions."
        )
    bad = sum(
        1 for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\r\t"
    )
    bad += text.count("\ufffd")
    if bad > max(2, len(text) // 20):
        raise InputError(
            f"The report contains {bad} control or unreadable characters, so it looks like "
            "binary data rather than text. Type or paste your description in plain words."
        )
    return unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u2018", "'")


def _looks_english(text: str) -> bool:
    """Most longer words are English dictionary words or words our rules know (slang too)."""
    words = [w.lower() for w in _LETTERS.findall(text) if len(w) >= 3]
    if len(words) < 3:
        return True
    known = _dictionary().known(words) | (set(words) & key_words())
    return sum(w in known for w in words) >= 0.6 * len(words)


def _clause_broken(mod: object, span: Span) -> bool:
    """A clause-bound modifier ("won't", "not") does not reach past a comma."""
    metadata = getattr(mod.rule, "metadata", None) or {}  # type: ignore[attr-defined]
    if not metadata.get("clause_break"):
        return False
    start, end = mod.modifier_span  # type: ignore[attr-defined]
    lo, hi = (end, span.start) if end <= span.start else (span.end, start)
    return any(t.text == "," for t in span.doc[lo:hi])


def _is_own_words(mod: object, span: Span, rule: TargetRuleDef) -> bool:
    """A modifier inside the match is part of the finding ("never brace", "lost 8 kg without
    trying") when the rule no longer matches once the modifier's words are taken out."""
    start, end = mod.modifier_span  # type: ignore[attr-defined]
    if not (start < span.end and end > span.start):
        return False
    doc = span.doc
    left = doc[span.start : max(start, span.start)].text
    right = doc[min(end, span.end) : span.end].text
    remainder = f"{left} {right}".strip()
    return not any(re.search(p, remainder, re.IGNORECASE) for p in rule.patterns)


def _assertion(span: Span, rule: TargetRuleDef) -> Assertion:
    categories = set()
    for mod in span._.modifiers:
        if _is_own_words(mod, span, rule) or _clause_broken(mod, span):
            continue
        categories.add(mod.category)
    return strongest_assertion(categories)


def _sentence_has(span: Span, ids: list[str], by_sentence: dict[int, set[str]]) -> bool:
    return not ids or bool(by_sentence.get(span.sent.start, set()) & set(ids))


def _follows(span: Span, not_after: str | None) -> bool:
    """The sentence's words before the span end with what `not_after` describes."""
    if not_after is None:
        return False
    before = span.doc.text[span.sent.start_char : span.start_char].rstrip()
    return re.search(not_after, before, re.IGNORECASE) is not None


def _finding(span: Span, mended: MendedText, by_sentence: dict[int, set[str]]) -> Finding | None:
    index, is_topic = parse_label(span.label_)
    rule = target_rules()[index]
    assertion = _assertion(span, rule)
    if is_topic and assertion is not Assertion.ABSENT:
        return None
    if not _sentence_has(span, rule.requires_sentence, by_sentence):
        return None
    if _follows(span, rule.not_after):
        return None
    if assertion is Assertion.HISTORICAL and rule.history_counts:
        assertion = Assertion.PRESENT
    if assertion is Assertion.PRESENT and rule.at_most_uncertain:
        assertion = Assertion.UNCERTAIN
    start = mended.original_offset(span.start_char)
    end = mended.original_offset(span.end_char)
    return Finding(
        id=rule.id,
        assertion=assertion,
        origin=Origin.TEXT,
        evidence=mended.original[start:end],
        confidence=0.6 if is_topic else 0.9,
        span=(start, end),
    )


def _prepare(text: str) -> str:
    """What the pipeline reads, the same length as the text so offsets hold: lower case (spaCy
    only splits lower-case contractions: "DOESN'T" stays one token), and chat messages' single
    line breaks read as spaces (a blank line still ends a sentence)."""
    text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    text = text.replace("\r\n", " \n").replace("\r", "\n")
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def parse(mended: MendedText) -> Doc:
    """The pipeline's reading of mended text: sentences, rule targets and ConText modifiers.
    Token offsets are offsets in `mended.text` (map them with `mended.original_offset`)."""
    return pipeline()(_prepare(mended.text))


def read_text(text: object, learned: bool = True) -> TextIntake:
    """Findings from a lifter's own description: the rules' findings, then the learned layer's
    for what the rules did not see (`learned=False` gives the rules alone, for comparison)."""
    clean = check_text(text)
    notices: list[str] = []
    mended = mend_typos(clean)
    if not _looks_english(mended.text):
        notices.append(
            "backcheck reads English only and could not understand this report; "
            "please describe it in English or answer the guided questions."
        )
        return TextIntake([], notices, mended)
    doc = parse(mended)
    spans = sorted(doc.spans[SPAN_GROUP], key=lambda s: (s.start_char, s.end_char))
    by_sentence: dict[int, set[str]] = {}
    for span in spans:
        index, is_topic = parse_label(span.label_)
        if not is_topic:
            by_sentence.setdefault(span.sent.start, set()).add(target_rules()[index].id)
    seen: set[tuple[str, str, int, int]] = set()
    findings = []
    for span in spans:
        finding = _finding(span, mended, by_sentence)
        if finding is None or finding.span is None:
            continue
        key = (finding.id, finding.assertion.value, *finding.span)
        if key not in seen:
            seen.add(key)
            findings.append(finding)
    if learned:
        findings += learned_findings(
            doc, findings, mended.original_offset, mended.original, _history_counts()
        )
    if mended.corrections:
        fixed = ", ".join(f"{a!r} as {b!r}" for a, b in mended.corrections[:5])
        notices.append(f"Read possible typos: {fixed}.")
    return TextIntake(findings, notices, mended)


@cache
def _history_counts() -> frozenset[str]:
    """Concepts whose past mention still counts now (a history of cancer is the red flag)."""
    return frozenset(r.id for r in target_rules() if r.history_counts)


def warm_up() -> None:
    """Build the pipeline, rules and dictionaries now (before forking workers, or at start-up)."""
    read_text("warm up: sore lower back after deadlifts")
