"""The Content-Security-Policy header: django-csp's, the site's policy built once."""

from __future__ import annotations

import pytest
from csp import middleware as django_csp
from csp.constants import NONCE, NONE, SELF
from csp.exceptions import CSPNonceError
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from serving import csp

HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")


def answer(middleware_class, view=lambda request: HttpResponse("ok"), path="/tasks/"):
    """Return the request and the response of `view` through `middleware_class`."""
    request = RequestFactory().get(path)
    return request, middleware_class(view)(request)


def headers_of(response, request=None) -> dict[str, str]:
    """The response's policies; the request's nonce, if any, written `<nonce>`."""
    nonce = getattr(request, "_csp_nonce", None)
    return {
        name: response[name].replace(nonce, "<nonce>") if nonce else response[name]
        for name in HEADERS
        if name in response
    }


def decorated(**attributes):
    """A view whose response carries what django-csp's decorators set on it."""

    def view(request):
        response = HttpResponse("ok")
        for name, value in attributes.items():
            setattr(response, name, value)
        return response

    return view


def using_nonce(request):
    return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")


WITH_NONCE = {
    "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]},
}
REPORT_ONLY = {"DIRECTIVES": {"default-src": [NONE], "report-uri": "/csp-reports/"}}


@pytest.mark.parametrize(
    ("view", "overrides"),
    [
        pytest.param(decorated(), {}, id="the site's policy"),
        pytest.param(
            decorated(_csp_update={"img-src": ["https://images.example"]}),
            {},
            id="csp_update",
        ),
        pytest.param(
            decorated(_csp_replace={"script-src": None}), {}, id="csp_replace"
        ),
        pytest.param(
            decorated(_csp_config={"default-src": [NONE]}), {}, id="csp_override"
        ),
        pytest.param(decorated(_csp_exempt=True), {}, id="csp_exempt"),
        pytest.param(
            using_nonce, {"CONTENT_SECURITY_POLICY": WITH_NONCE}, id="a nonce used"
        ),
        pytest.param(
            decorated(),
            {"CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
            id="report-only too",
        ),
        pytest.param(
            decorated(),
            {
                "CONTENT_SECURITY_POLICY": {
                    **settings.CONTENT_SECURITY_POLICY,
                    "EXCLUDE_URL_PREFIXES": ["/tasks/"],
                }
            },
            id="an excluded prefix",
        ),
    ],
)
def test_every_response_gets_the_header_django_csp_would_give_it(view, overrides):
    with override_settings(**overrides):
        expected = headers_of(*reversed(answer(django_csp.CSPMiddleware, view)))
        response = headers_of(*reversed(answer(csp.CSPMiddleware, view)))

    assert response == expected
    if view is using_nonce:
        assert "'nonce-<nonce>'" in response["Content-Security-Policy"]


def test_the_sites_policy_is_built_once_per_process(monkeypatch):
    csp.site_policies.cache_clear()
    built = []
    original = csp.build_policy
    monkeypatch.setattr(
        csp, "build_policy", lambda **kwargs: built.append(kwargs) or original(**kwargs)
    )

    first = [headers_of(answer(csp.CSPMiddleware)[1]) for _ in range(3)]

    assert len(built) == 2  # the policy and the report-only one, once each
    assert first[0] == first[1] == first[2]
    assert "default-src 'self'" in first[0]["Content-Security-Policy"]


def test_changed_settings_change_the_header():
    _, before = answer(csp.CSPMiddleware)

    with override_settings(CONTENT_SECURITY_POLICY=REPORT_ONLY):
        _, during = answer(csp.CSPMiddleware)
    _, after = answer(csp.CSPMiddleware)

    policy = during["Content-Security-Policy"]
    assert policy == "default-src 'none'; report-uri /csp-reports/"
    assert headers_of(before) == headers_of(after) != headers_of(during)


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request, _ = answer(csp.CSPMiddleware)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@pytest.mark.django_db
def test_api_and_pages_send_the_sites_policy(client):
    policy = dict(csp.site_policies())["Content-Security-Policy"]

    for url in (reverse("account_login"), "/healthz", reverse("api:task-list")):
        assert client.get(url)["Content-Security-Policy"] == policy, url
