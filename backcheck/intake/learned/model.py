"""The trained classifiers and their thresholds, loaded and checked once.

Weights (one logistic regression per concept over clause embeddings) are an `.npz` written by
`tests/corpus/train_recall.py`; the thresholds and what they were calibrated on are YAML beside
them, validated here, so a reader can see and review every number the layer acts on.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from backcheck.errors import KnowledgeError

WEIGHTS = "recall_weights.npz"
THRESHOLDS = "recall_thresholds.yaml"


class Role(StrEnum):
    RED_FLAG = "red_flag"
    FACTOR = "factor"
    SYMPTOM = "symptom"


class ConceptThreshold(BaseModel):
    """`found_at`: a clause scoring this much mentions the concept. For a red flag that mention
    is only *uncertain* (asked about) unless it scores `present_at` or more."""

    model_config = ConfigDict(extra="forbid")
    role: Role
    found_at: float = Field(gt=0, le=1)
    present_at: float | None = Field(default=None, gt=0, le=1)
    dev: dict[str, float | int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _present_needs_red_flag(self) -> ConceptThreshold:
        if self.present_at is not None and self.role is not Role.RED_FLAG:
            raise ValueError("present_at is only for red flags (others are found or not)")
        if self.present_at is not None and self.present_at < self.found_at:
            raise ValueError("present_at must not be below found_at")
        return self


class RecallConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    embedding_model: Literal["sentence-transformers/all-MiniLM-L6-v2"]
    trained_on: str
    calibrated_on: str
    concepts: dict[str, ConceptThreshold]


class RecallModel:
    def __init__(self, config: RecallConfig, weights: np.ndarray, bias: np.ndarray) -> None:
        self.config = config
        self.concepts = tuple(config.concepts)
        self.weights = weights
        self.bias = bias
        self.found_at = np.array([t.found_at for t in config.concepts.values()], np.float32)

    def scores(self, embeddings: np.ndarray) -> np.ndarray:
        """(clauses, concepts) probabilities."""
        z = embeddings @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))


@cache
def recall_model() -> RecallModel:
    folder = resources.files("backcheck.intake.learned") / "data"
    where = f"backcheck/intake/learned/data/{THRESHOLDS}"
    try:
        config = RecallConfig.model_validate(yaml.safe_load((folder / THRESHOLDS).read_text()))
    except ValidationError as exc:
        raise KnowledgeError(f"{where} is not valid: {exc}") from exc
    with (folder / WEIGHTS).open("rb") as fh:
        data = np.load(fh, allow_pickle=False)
        names = tuple(str(n) for n in data["concepts"])
        weights = data["weights"].astype(np.float32)
        bias = data["bias"].astype(np.float32)
    if names != tuple(config.concepts):
        raise KnowledgeError(
            f"{WEIGHTS} and {where} list different concepts; retrain with "
            "tests/corpus/train_recall.py so both are written together."
        )
    if weights.shape != (384, len(names)) or bias.shape != (len(names),):
        raise KnowledgeError(f"{WEIGHTS} has weights of shape {weights.shape}; expected 384 x n.")
    return RecallModel(config, weights, bias)
