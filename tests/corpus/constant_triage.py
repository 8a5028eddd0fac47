"""The constant answer, as a floor any triage must beat: every report gets `self_care`,
kinds muscle strain then training soreness, no red flags, no factors.

    python tests/corpus/constant_triage.py REPORTS.jsonl   (the --batch contract)
"""

import json
import sys

ANSWER = {
    "level": "self_care",
    "kinds": [{"id": "muscle_strain", "score": 0.5}, {"id": "training_soreness", "score": 0.4}],
    "red_flags": [],
    "factors": [],
}

with open(sys.argv[1], encoding="utf-8") as reports:
    for line in reports:
        if line.strip():
            print(json.dumps({"id": json.loads(line)["id"], **ANSWER}))
