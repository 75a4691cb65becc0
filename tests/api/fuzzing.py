"""Schema-driven fuzzing shared by the API tests: the schemathesis checks that must hold, calling the WSGI app while
keeping the test's database connection, and one property-based run of an operation."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import load_all_checks

load_all_checks()
from schemathesis.checks import CHECKS  # noqa: E402

CHECKED = [
    CHECKS.get_by_names([name])[0]
    for name in (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
]


@contextlib.contextmanager
def wsgi_keeps_connection() -> Iterator[Any]:
    """Calls go straight to the WSGI app, not through Django's test client: like the client, keep the test's database
    connection (and transaction) open across requests. Yields the application. The test client reconnects these
    signals after each of its requests, so enter this after the last client call."""
    from django.core import signals
    from django.db import close_old_connections

    from xanh.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(
    operation: Any,
    app: Any,
    *,
    headers: dict[str, str],
    examples: int,
    prepare: Callable[[Any], None] | None = None,
) -> None:
    """Generate ``examples`` cases of ``operation`` from the schema, call ``app`` and run every check on each answer.
    ``prepare`` may adjust a case before the call (e.g. point it at a real object)."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if prepare is not None:
            prepare(case)
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKED)

    run()
