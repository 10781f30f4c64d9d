"""The liveness check for load balancers: /healthz."""

from django.test import Client


def test_healthz_answers_ok_without_the_database():
    # No `db` fixture: pytest-django fails any query this request would make.
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_healthz_goes_through_the_same_middleware_as_pages():
    response = Client().get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response
