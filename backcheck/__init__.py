"""backcheck: triage, advice, training log and form check for lifters' lower backs."""

__version__ = "0.1.0"
