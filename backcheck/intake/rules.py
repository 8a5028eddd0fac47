"""Load and validate the intake rules (target rules and ConText modifiers) from YAML.

The rules are data: `rules/target_rules.yaml` maps finding ids to regular expressions,
`rules/macros.yaml` holds shared regex pieces referenced as `<NAME>`, and
`rules/context_rules.yaml` holds the ConText modifiers. Unknown keys, unknown macros, invalid
regexes and finding ids the knowledge base does not define are errors at load time.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from backcheck.errors import KnowledgeError
from backcheck.knowledge.loader import load_knowledge

_MACRO = re.compile(r"<([A-Z_]+)>")


class TargetRuleDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    patterns: list[str]  # regular expressions, with <MACROS>
    topics: list[str] = []
    # A past mention still counts now (a cancer history, years of prednisone, past IV drug use).
    history_counts: bool = False
    # The sentence must also mention one of these (a duration only counts if it is the pain's).
    requires_sentence: list[str] = []
    # A mention that needs a question before it counts: found at most uncertain (back surgery
    # with no sign of when is an infection risk only if it was recent).
    at_most_uncertain: bool = False
    # Words just before a match that make it about something else ("doing deadlifts for 3
    # months" is how long someone has trained, not how long it has hurt): a regex that must
    # not match the end of the sentence's text before the match.
    not_after: str | None = None


class ContextRuleDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    literal: str
    category: Literal[
        "NEGATED_EXISTENCE",
        "POSSIBLE_EXISTENCE",
        "HISTORICAL",
        "HYPOTHETICAL",
        "FAMILY",
        "TERMINATE",
    ]
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    pattern: str | list[dict[str, Any]] | None = None
    max_scope: int | None = None
    terminated_by: list[Literal["CLAUSE_BREAK"]] = []


def _read_yaml(name: str) -> object:
    path = resources.files("backcheck.intake").joinpath("rules", name)
    return yaml.safe_load(path.read_text("utf-8"))


def expand_macros(pattern: str, macros: dict[str, str], where: str) -> str:
    """Replace `<NAME>` by its macro (macros may use other macros), then check it compiles."""
    for _ in range(5):
        names = _MACRO.findall(pattern)
        if not names:
            break
        for name in names:
            if name not in macros:
                raise KnowledgeError(f"{where}: unknown macro <{name}> in {pattern!r}")
            pattern = pattern.replace(f"<{name}>", macros[name])
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise KnowledgeError(f"{where}: invalid regex ({exc}): {pattern[:120]!r}") from exc
    return pattern


def _whole_words(pattern: str) -> str:
    """A match must start and end at word boundaries ("wee" must not match in "between")."""
    return rf"(?<![\w'])(?:{pattern})(?![\w'])"


@cache
def read_rule_files() -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The macros and the target rule records as written (before validation and expansion)."""
    macros = _read_yaml("macros.yaml")
    raw = _read_yaml("target_rules.yaml")
    if not isinstance(macros, dict) or not isinstance(raw, list):
        raise KnowledgeError("intake rules: macros.yaml must be a mapping, target_rules a list")
    return macros, raw


@cache
def target_rules() -> tuple[TargetRuleDef, ...]:
    """Target rules with macros expanded, checked against the knowledge base's finding ids."""
    macros, raw = read_rule_files()
    known = load_knowledge().finding_ids()
    out = []
    for i, item in enumerate(raw):
        where = f"intake/rules/target_rules.yaml record {i + 1}"
        try:
            rule = TargetRuleDef.model_validate(item)
        except ValidationError as exc:
            raise KnowledgeError(f"{where}: {exc}") from exc
        if rule.id not in known:
            raise KnowledgeError(f"{where}: {rule.id!r} is not a knowledge-base finding id")
        for ref in rule.requires_sentence:
            if ref not in known:
                raise KnowledgeError(f"{where}: requires_sentence names unknown finding {ref!r}")
        out.append(
            rule.model_copy(
                update={
                    "patterns": [
                        _whole_words(expand_macros(p, macros, where)) for p in rule.patterns
                    ],
                    "topics": [_whole_words(expand_macros(p, macros, where)) for p in rule.topics],
                    "not_after": (
                        None
                        if rule.not_after is None
                        else rf"(?:{expand_macros(rule.not_after, macros, where)})$"
                    ),
                }
            )
        )
    return tuple(out)


@cache
def context_rules() -> tuple[ContextRuleDef, ...]:
    raw = _read_yaml("context_rules.yaml")
    if not isinstance(raw, list):
        raise KnowledgeError("intake/rules/context_rules.yaml must be a list")
    out = []
    for i, item in enumerate(raw):
        try:
            rule = ContextRuleDef.model_validate(item)
        except ValidationError as exc:
            raise KnowledgeError(f"intake/rules/context_rules.yaml record {i + 1}: {exc}") from exc
        if isinstance(rule.pattern, str):
            expand_macros(rule.pattern, {}, f"context rule {rule.literal!r}")
        out.append(rule)
    return tuple(out)
