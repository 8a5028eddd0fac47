"""Build the medspaCy pipeline once per process: sentences, target matcher, ConText.

A blank English spaCy model with a punctuation sentencizer (fast, and lifters' run-on posts
split well on . ! ? ; and paragraph breaks; chat-style single line breaks are read as spaces),
a regex target finder writing overlapping spans to a span group (one phrase can carry two
findings, e.g. numbness in both legs), and medspaCy's ConText with this project's modifiers
only (the defaults are tuned to clinical notes, not forum posts).
"""

from __future__ import annotations

import logging
import re
import sys
import types
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from backcheck.findings import Assertion
from backcheck.intake.rules import context_rules, target_rules

SPAN_GROUP = "backcheck_targets"
# ConText categories to assertions, strongest first (a negation beats a "maybe").
_CATEGORY_ORDER = (
    ("NEGATED_EXISTENCE", Assertion.ABSENT),
    ("FAMILY", Assertion.HYPOTHETICAL),
    ("HYPOTHETICAL", Assertion.HYPOTHETICAL),
    ("HISTORICAL", Assertion.HISTORICAL),
    ("POSSIBLE_EXISTENCE", Assertion.UNCERTAIN),
)


def strongest_assertion(categories: set[str]) -> Assertion:
    """The assertion the strongest of these ConText categories gives; none means present."""
    for category, assertion in _CATEGORY_ORDER:
        if category in categories:
            return assertion
    return Assertion.PRESENT


def span_label(rule_index: int, is_topic: bool) -> str:
    """Target spans are labelled with their rule's index, so intake can read its settings."""
    return f"{'topic' if is_topic else 'rule'}:{rule_index}"


def parse_label(label: str) -> tuple[int, bool]:
    kind, _, index = label.partition(":")
    return int(index), kind == "topic"


def _skip_quickumls() -> None:
    """medspaCy imports QuickUMLS at start-up for UMLS concept mapping, which backcheck does not
    use (it needs licensed UMLS data) and which pulls in NLTK and SciPy: seconds of start-up on
    every command. An empty module stands in for it unless the real one is already loaded."""
    if "quickumls" in sys.modules:
        return
    package = types.ModuleType("quickumls")
    package.spacy_component = types.ModuleType("quickumls.spacy_component")  # type: ignore[attr-defined]
    sys.modules["quickumls"] = package
    sys.modules["quickumls.spacy_component"] = package.spacy_component  # type: ignore[attr-defined]


def _quiet_pyrush() -> None:
    """PyRuSH logs at DEBUG through loguru and logging; keep the terminal clean."""
    for name in ("PyRuSH", "medspacy", "PyRuSH.RuSH"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        from loguru import logger

        logger.disable("PyRuSH")
    except ImportError:  # pragma: no cover - loguru comes with PyRuSH
        pass


@cache
def compiled_targets() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every target regex, compiled once, with the span label of its rule."""
    out = []
    for i, rule in enumerate(target_rules()):
        out += [(re.compile(p, re.IGNORECASE), span_label(i, False)) for p in rule.patterns]
        out += [(re.compile(p, re.IGNORECASE), span_label(i, True)) for p in rule.topics]
    return tuple(out)


@Language.component("backcheck_sentence_ends")
def end_sentences_after_dotted_tokens(doc: Doc) -> Doc:
    """spaCy keeps a dot inside tokens such as "43m." or "approx."; when a word follows, a new
    sentence starts there, as the writer meant."""
    for token in doc[:-1]:
        nxt = doc[token.i + 1]
        if len(token.text) > 1 and token.text.endswith(".") and nxt.is_alpha:
            nxt.is_sent_start = True
    return doc


@Language.component("backcheck_targets")
def find_targets(doc: Doc) -> Doc:
    """Target spans from the rules' regexes, overlaps kept (medspaCy's ConText reads them).

    Does the job of medspaCy's TargetMatcher for regex rules, but reads the text once per
    document instead of once per pattern, which made it the slowest step by far."""
    text = doc.text
    spans = []
    for pattern, label in compiled_targets():
        for m in pattern.finditer(text):
            span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
    doc.spans[SPAN_GROUP] = spans
    return doc


@cache
def pipeline() -> Language:
    """The shared pipeline (built on first use, about a second)."""
    _quiet_pyrush()
    _skip_quickumls()
    import spacy
    from medspacy.context import ConText, ConTextRule

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";", "\n\n", "…"]})
    nlp.add_pipe("backcheck_sentence_ends")
    nlp.add_pipe("backcheck_targets")
    context: ConText = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": SPAN_GROUP,
            "prune_on_target_overlap": False,
        },
    )
    context.add(
        [
            ConTextRule(
                r.literal,
                r.category,
                pattern=r.pattern,
                direction=r.direction,
                max_scope=r.max_scope,
                metadata={"clause_break": "CLAUSE_BREAK" in r.terminated_by},
            )
            for r in context_rules()
        ]
    )
    return nlp
