"""Weight units, converted once at import: the stored `weight_kg` is what analytics use."""

from __future__ import annotations

from backcheck.errors import InputError

KG_PER_LB = 0.45359237  # exact, by the international yard and pound agreement (1959)

_UNITS = {
    "kg": "kg",
    "kgs": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
}


def parse_unit(text: str) -> str:
    """'kg' or 'lb' for the spellings exports use; raises InputError otherwise."""
    unit = _UNITS.get(text.strip().lower())
    if unit is None:
        raise InputError(f"unknown weight unit {text!r}: use kg or lb")
    return unit


def to_kg(value: float, unit: str) -> float:
    return value * KG_PER_LB if unit == "lb" else value


def from_kg(kg: float, unit: str) -> float:
    return kg / KG_PER_LB if unit == "lb" else kg
