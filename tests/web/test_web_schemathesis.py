"""Schemathesis against the app's own OpenAPI description: no input makes the server fail,
every response matches what the description promises, and every triage result follows the
triage contract (triage-output.schema.json)."""

from __future__ import annotations

from typing import Any

import jsonschema
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from web_helpers import TestClient

from backcheck.web import create_app


def _loopback_host(app: Any) -> Any:
    """Schemathesis' client calls itself 'testserver'; the app serves loopback names only."""

    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
            scope = {**scope, "headers": [*headers, (b"host", b"127.0.0.1")]}
        await app(scope, receive, send)

    return wrapped


def test_api_never_answers_with_a_server_error(settings_for_api: Any, triage_schema: dict) -> None:
    app = create_app(settings_for_api, start_jobs=False)
    with TestClient(app, base_url="http://127.0.0.1"):  # runs start-up (pipeline warm-up)
        schema = schemathesis.openapi.from_asgi("/openapi.json", _loopback_host(app))
        operations = [result.ok() for result in schema.get_all_operations()]
        assert {op.path for op in operations} >= {"/api/triage", "/healthz"}
        for operation in operations:

            @settings(
                max_examples=25,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def check(case: Any) -> None:
                response = case.call()
                case.validate_response(response, additional_checks=[not_a_server_error])
                if case.path == "/api/triage" and response.status_code == 200:
                    jsonschema.validate(response.json(), triage_schema)

            check()
