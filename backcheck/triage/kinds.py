"""Rank the likely kinds of pain from the weights in `kinds.yaml`.

Each kind's score is logistic(prior + sum of `for` weights of present findings - sum of
`against` weights), so every score lies in [0, 1] and the evidence behind it is a list of ids.
"""

from __future__ import annotations

import math

from backcheck.knowledge.loader import KnowledgeBase
from backcheck.triage.result import KindScore


def rank_kinds(present: set[str], kb: KnowledgeBase) -> list[KindScore]:
    scores = []
    for kind in kb.kinds.values():
        pro = sorted(i for i in kind.weights_for if i in present)
        con = sorted(i for i in kind.weights_against if i in present)
        z = kind.prior + sum(kind.weights_for[i] for i in pro)
        z -= sum(kind.weights_against[i] for i in con)
        scores.append(KindScore(kind.id, 1.0 / (1.0 + math.exp(-z)), tuple(pro), tuple(con)))
    return sorted(scores, key=lambda k: (-k.score, k.id))
