"""Build the medspaCy pipeline once per process: sentences, target matcher, ConText.

A blank English spaCy model with a punctuation sentencizer (fast, and lifters' run-on posts
split well on . ! ? ; and paragraph breaks; chat-style single line breaks are read as spaces),
medspaCy's TargetMatcher writing overlapping spans to a span group (one phrase can carry two
findings, e.g. numbness in both legs), and ConText with this project's modifiers only (the
defaults are tuned to clinical notes, not forum posts).
"""

from __future__ import annotations

import logging
from functools import cache

from spacy.language import Language

from backcheck.intake.rules import context_rules, target_rules

SPAN_GROUP = "backcheck_targets"


def span_label(rule_index: int, is_topic: bool) -> str:
    """Target spans are labelled with their rule's index, so intake can read its settings."""
    return f"{'topic' if is_topic else 'rule'}:{rule_index}"


def parse_label(label: str) -> tuple[int, bool]:
    kind, _, index = label.partition(":")
    return int(index), kind == "topic"


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
def pipeline() -> Language:
    """The shared pipeline (built on first use, about a second)."""
    _quiet_pyrush()
    import spacy
    from medspacy.context import ConText, ConTextRule
    from medspacy.target_matcher import TargetMatcher, TargetRule

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";", "\n\n", "…"]})
    matcher: TargetMatcher = nlp.add_pipe(
        "medspacy_target_matcher",
        config={"result_type": "group", "span_group_name": SPAN_GROUP, "prune": False},
    )
    rules = []
    for i, rule in enumerate(target_rules()):
        rules += [TargetRule(rule.id, span_label(i, False), pattern=p) for p in rule.patterns]
        rules += [TargetRule(rule.id, span_label(i, True), pattern=p) for p in rule.topics]
    matcher.add(rules)
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
