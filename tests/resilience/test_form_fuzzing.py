"""Fuzzing the forms: whatever is typed, a page with field errors or a success.

Hypothesis posts any Unicode (control characters and NUL included), very long text and
odd dates to sign-up, log-in, and task create and edit. A 500 fails the test (the test
client re-raises it), and no stored task may break SPEC §2: title trimmed, not blank,
at most 200 characters; a valid status; no NUL anywhere.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.models import Task

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Surrogates cannot be encoded, so no browser can send them; everything else can.
any_char = st.characters(exclude_categories=["Cs"])
any_text = st.one_of(
    st.text(any_char, max_size=300),
    st.text(st.sampled_from(" \t\n\r\x00\x0b\x0c\u00a0\u2028\u3000\u200b"), max_size=8),
    st.builds(
        lambda c, n: c * n,
        st.text(any_char, min_size=1, max_size=3),
        st.integers(190, 20_000),
    ),
)
odd_dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "",
            "2026-02-30",
            "2026-13-01",
            "0000-01-01",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "-0001-01-01",
            "2026-1-1",
            "31/12/2026",
            "2026-12-31T25:00",
            "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff10\uff11",  # full-width digits
            "9" * 400,
        ]
    ),
    any_text,
)
statuses = st.one_of(st.sampled_from(Task.Status.values), any_text)


#: A task form as a browser or a forged request may post it: any field may be missing.
task_forms = st.fixed_dictionaries(
    {},
    optional={
        "title": any_text,
        "description": any_text,
        "status": statuses,
        "due_date": odd_dates,
    },
)
emails = st.one_of(st.emails(), any_text)


def assert_tasks_keep_the_rules() -> None:
    for task in Task.objects.all():
        assert task.title == task.title.strip()
        assert task.title.strip()
        assert len(task.title) <= 200
        assert task.status in Task.Status.values
        assert "\x00" not in task.title
        assert "\x00" not in (task.description or "")


@FUZZ
@given(data=task_forms)
def test_task_create_form_never_fails(client_logged_in, data):
    response = client_logged_in.post(reverse("tasks:create"), data)

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    if response.status_code == HTTPStatus.OK:
        assert response.context["form"].errors
    assert_tasks_keep_the_rules()


@FUZZ
@given(data=task_forms)
def test_task_edit_form_never_fails(client_logged_in, user, data):
    task = Task.objects.create(user=user, title="Before the fuzz")

    response = client_logged_in.post(
        reverse("tasks:update", kwargs={"pk": task.pk}), data
    )

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    if response.status_code == HTTPStatus.OK:
        assert response.context["form"].errors
        task.refresh_from_db()
        assert task.title == "Before the fuzz"
    assert_tasks_keep_the_rules()


@FUZZ
@given(email=emails, password=any_text, again=st.booleans())
def test_signup_form_never_fails(db, email, password, again):
    cache.clear()  # sign-up is rate-limited per client: each example starts afresh
    response = Client().post(
        reverse("accounts:signup"),
        {
            "email": email,
            "password1": password,
            "password2": password if again else password + "x",
        },
    )

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    if response.status_code == HTTPStatus.OK:
        assert response.context["form"].errors


@FUZZ
@given(data=st.fixed_dictionaries({}, optional={"login": emails, "password": any_text}))
def test_login_form_never_fails(user, data):
    cache.clear()  # lock-outs: each example starts with no failed log-in counted

    response = Client().post(reverse("accounts:login"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors


def test_task_form_with_bytes_that_are_not_utf8_never_fails(client_logged_in):
    response = client_logged_in.post(
        reverse("tasks:create"),
        b"title=%FF%FE%00caf%E9&status=pending&due_date=%C0%AF",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in {HTTPStatus.OK, HTTPStatus.FOUND}
    assert_tasks_keep_the_rules()
