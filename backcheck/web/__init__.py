"""The local web app: check my back, my log, my form, history, and a JSON API."""

from backcheck.web.app import create_app

__all__ = ["create_app"]
