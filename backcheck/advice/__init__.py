"""Advice: a triage result (plus log and video findings) into a plan with its sources."""

from backcheck.advice.plan import Plan, PlanItem, build_plan

__all__ = ["Plan", "PlanItem", "build_plan"]
