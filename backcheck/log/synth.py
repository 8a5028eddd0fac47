"""Synthetic training histories whose answer is known by construction (tests, bench, demo).

Three sessions a week (Mon, Wed, Fri at 18:00), every session the same lifts. Every
`jump_every`-th week all weights go up by `jump` (a load jump); a symptom is recorded the
Saturday morning after each jump week, and at no other time. The output is a Strong export
(semicolon, `Weight Unit`), with warm-up and rest-timer rows as the app writes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

HEADER = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes;Workout Duration"
)
BASE_LIFTS = (
    ("Deadlift (Barbell)", 140.0),
    ("Squat (Barbell)", 110.0),
    ("Bent Over Row (Barbell)", 70.0),
)
MORE_LIFTS = (
    ("Bench Press (Barbell)", 90.0),
    ("Overhead Press (Barbell)", 50.0),
    ("Romanian Deadlift (Barbell)", 100.0),
    ("Pull Up", 0.0),
    ("Good Morning (Barbell)", 60.0),
)


@dataclass(frozen=True)
class History:
    csv: str
    symptoms: list[datetime]
    jump_weeks: list[int]
    sets: int


def history(
    weeks: int,
    jump_every: int = 5,
    jump: float = 1.4,
    sets_per_lift: int = 3,
    lifts: tuple[tuple[str, float], ...] = BASE_LIFTS,
    seed: int = 0,
    start: date = date(2024, 1, 1),
    rest_rows: bool = True,
) -> History:
    """A Strong export of `weeks` weeks starting on Monday `start`."""
    rng = random.Random(seed)
    lines, symptoms, jumps, n = [HEADER], [], [], 0
    for week in range(weeks):
        is_jump = week > 0 and week % jump_every == 0
        factor = jump if is_jump else 1.0
        if is_jump:
            jumps.append(week)
            symptoms.append(datetime.combine(start + timedelta(weeks=week, days=5), time(9)))
        for day in (0, 2, 4):
            when = datetime.combine(start + timedelta(weeks=week, days=day), time(18))
            stamp = when.strftime("%Y-%m-%d %H:%M:%S")
            for name, base in lifts:
                kg = (
                    round((base * factor + rng.choice((-2.5, 0.0, 2.5))) / 2.5) * 2.5
                    if base
                    else 0.0
                )
                lines.append(f"{stamp};Session;{name};W;{kg * 0.5:g};kg;5;;;;0;;;1h 10m")
                n += 1
                for order in range(1, sets_per_lift + 1):
                    lines.append(f"{stamp};Session;{name};{order};{kg:g};kg;5;7;;;0;;;1h 10m")
                    n += 1
                if rest_rows:
                    lines.append(f"{stamp};Session;{name};Rest Timer;0;kg;0;;;;180;;;1h 10m")
    return History("\n".join(lines) + "\n", symptoms, jumps, n)
