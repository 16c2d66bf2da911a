"""Task API: the OpenAPI schema, the offline docs, and CORS."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from django.urls import reverse

from tasks.tests.api.helpers import LIST_URL

pytestmark = pytest.mark.django_db


# Schema and docs ----------------------------------------------------------------------


def test_schema_describes_every_route(api_client):
    response = api_client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == HTTPStatus.OK
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/tokens/",
        "/api/v1/me/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{id}/",
        "/api/v1/users/{user_id}/tasks/",
    }
    list_params = {
        p["name"] for p in schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    }
    assert list_params >= {
        "page",
        "page_size",
        "status",
        "due_before",
        "due_after",
        "overdue",
        "search",
        "ordering",
    }
    patch = schema["paths"]["/api/v1/tasks/{id}/"]["patch"]
    assert {"200", "400", "401", "404", "412", "429"} <= set(patch["responses"])


def test_docs_page_loads_only_local_files_and_no_inline_code(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in html
    # Swagger UI's bundle and preset from the sidecar, then the start-up script.
    sources = [part.split('"')[1] for part in html.split("<script")[1:]]
    assert len(sources) == 3
    assert all(source.startswith("/") for source in sources), sources
    assert sources[0].startswith("/static/drf_spectacular_sidecar/")
    assert sources[2].startswith(reverse("api:docs"))
    assert "<script>" not in html
    assert "//cdn" not in html and "https://" not in html

    script = client.get(sources[2])
    assert script.status_code == HTTPStatus.OK
    assert "SwaggerUIBundle" in script.content.decode()


# CORS ---------------------------------------------------------------------------------


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]


def test_cors_preflight_from_an_allowed_origin_is_answered(client, cors):
    response = client.options(
        LIST_URL,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, if-match",
    )

    assert response.status_code == HTTPStatus.OK
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "if-match" in response["Access-Control-Allow-Headers"]


def test_cors_exposes_etag_and_location_to_allowed_origins(api_client_logged_in, cors):
    response = api_client_logged_in.get(LIST_URL, HTTP_ORIGIN="https://app.example.com")

    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "etag" in response["Access-Control-Expose-Headers"]


def test_cors_refuses_other_origins(client, cors):
    response = client.options(
        LIST_URL,
        HTTP_ORIGIN="https://evil.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )

    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_pages_and_admin_never_send_cors_headers(client, cors, path):
    response = client.get(path, HTTP_ORIGIN="https://app.example.com")
    preflight = client.options(
        path,
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight
