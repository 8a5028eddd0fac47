"""Exercise catalogue: canonical names, aliases, and spinal-load weights (validated YAML).

"Deadlift (Barbell)", "Conventional Deadlift", "DL" and "deads" are one lift: names are
normalised (lower case, punctuation to spaces) and looked up among the aliases; a name with an
equipment suffix in parentheses falls back to its bare form. Unknown names become their own
exercise, keyed by the normalised name, so nothing a lifter logged is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backcheck.errors import KnowledgeError

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")


class ExerciseDef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    aliases: tuple[str, ...] = ()


class SpinalWeight(BaseModel):
    """Share of an exercise's tonnage counted as lower-back load, with why and from where."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    exercise: str
    weight: float = Field(ge=0.0, le=1.5)
    source: str
    rationale: str = Field(min_length=20)


@dataclass(frozen=True)
class Catalogue:
    exercises: dict[str, ExerciseDef]
    spinal: dict[str, SpinalWeight]
    by_alias: dict[str, str]

    def resolve(self, raw: str) -> tuple[str, str]:
        """(key, display name) of the exercise a logged name means."""
        norm = normalise(raw)
        key = self.by_alias.get(norm)
        if key is None:
            bare = normalise(_SUFFIX.sub("", raw))
            key = self.by_alias.get(bare)
        if key is not None:
            return key, self.exercises[key].name
        slug = norm.replace(" ", "_") or "unnamed"
        return slug, raw.strip() or "Unnamed exercise"

    def spinal_weight(self, key: str) -> float:
        sw = self.spinal.get(key)
        return sw.weight if sw else 0.0


def normalise(name: str) -> str:
    """Lower case, punctuation and runs of spaces to one space."""
    return _NON_WORD.sub(" ", name.lower()).strip()


def _read(name: str) -> list[dict]:
    path = resources.files("backcheck.log").joinpath("data").joinpath(name)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, list):
        raise KnowledgeError(f"backcheck/log/data/{name}: expected a list of records")
    return data


@cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue and spinal-load table, validated; cached."""
    try:
        defs = [ExerciseDef.model_validate(r) for r in _read("exercises.yaml")]
        weights = [SpinalWeight.model_validate(r) for r in _read("spinal_load.yaml")]
    except ValidationError as exc:
        raise KnowledgeError(f"backcheck/log/data: invalid record: {exc}") from exc
    exercises = {d.id: d for d in defs}
    by_alias: dict[str, str] = {}
    for d in defs:
        for alias in (d.id, d.name, *d.aliases):
            norm = normalise(alias)
            if by_alias.get(norm, d.id) != d.id:
                raise KnowledgeError(f"exercises.yaml: alias {alias!r} used by two exercises")
            by_alias[norm] = d.id
    for w in weights:
        if w.exercise not in exercises:
            raise KnowledgeError(f"spinal_load.yaml: unknown exercise {w.exercise!r}")
    return Catalogue(exercises, {w.exercise: w for w in weights}, by_alias)
