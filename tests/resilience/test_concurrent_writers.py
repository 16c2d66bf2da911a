"""Concurrent writers through HTTP, on gunicorn with several workers (SPEC §5).

Clients start together (a barrier), so their requests really overlap in the workers:
writers holding the same ETag get exactly one success and 412 for the rest; parallel
creates lose nothing; a user deleted while their tasks are listed never causes a 500.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import requests

from tests.resilience.conftest import TIMEOUT, api_account, page_login

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

WRITERS = 6
PASSWORD = "concurrent-password-1"


@pytest.fixture(scope="module")
def app(servers, shared_postgres, app_database):
    return servers.gunicorn(shared_postgres.url(app_database), WEB_CONCURRENCY="4")


def together(count: int, action) -> list:
    """Run `action(i)` for i in range(count) in threads released at the same moment."""
    barrier = threading.Barrier(count)

    def run(i: int):
        barrier.wait(TIMEOUT)
        return action(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def race(account, method: str, url: str) -> tuple[list[requests.Response], list]:
    """Send WRITERS updates of the task at `url` at once, all with its current ETag."""
    etag = account.get(url).headers["ETag"]
    bodies = [
        {
            "title": f"writer {i}",
            "description": f"written by writer {i}",
            "status": ["pending", "in_progress", "completed"][i % 3],
            "due_date": f"2027-01-{i + 1:02d}",
        }
        for i in range(WRITERS)
    ]
    responses = together(
        WRITERS,
        lambda i: account.request(
            method, url, json=bodies[i], headers={"If-Match": etag}
        ),
    )
    return responses, bodies


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_writers_with_the_same_etag_get_one_success_and_412s(app, method, verify_email):
    account = api_account(
        app.base_url,
        f"etag-{method.lower()}@example.com",
        PASSWORD,
        verify=verify_email,
    )
    for attempt in range(3):
        created = account.post(
            app.url("/api/v1/tasks/"), json={"title": f"shared {attempt}"}
        )
        assert created.status_code == HTTPStatus.CREATED
        url = app.url(f"/api/v1/tasks/{created.json()['id']}/")

        responses, bodies = race(account, method, url)

        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] + [412] * (WRITERS - 1), statuses
        winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
        stored = account.get(url).json()
        assert {k: stored[k] for k in bodies[winner]} == bodies[winner]


def test_concurrent_creates_lose_no_row(
    app, shared_postgres, app_database, verify_email
):
    account = api_account(
        app.base_url, "creator@example.com", PASSWORD, verify=verify_email
    )
    per_client = 15

    def create_many(i: int) -> list[int]:
        ids = []
        for n in range(per_client):
            response = account.post(
                app.url("/api/v1/tasks/"), json={"title": f"client {i} task {n}"}
            )
            assert response.status_code == HTTPStatus.CREATED, response.text
            ids.append(response.json()["id"])
        return ids

    ids = [i for batch in together(WRITERS, create_many) for i in batch]

    assert len(set(ids)) == WRITERS * per_client
    listed = account.get(app.url("/api/v1/tasks/?page_size=200")).json()
    assert listed["count"] == WRITERS * per_client
    with shared_postgres.connect(app_database) as conn:
        (stored,) = conn.execute(
            "SELECT count(*) FROM tasks WHERE id = ANY(%s)", [ids]
        ).fetchone()
    assert stored == WRITERS * per_client


def test_deleting_a_user_while_their_tasks_are_listed_never_fails(app, verify_email):
    email = "leaving@example.com"
    account = api_account(app.base_url, email, PASSWORD, verify=verify_email)
    for n in range(60):
        account.post(app.url("/api/v1/tasks/"), json={"title": f"leaving {n}"})
    browser = page_login(app.base_url, email, PASSWORD)
    stop = threading.Event()

    def list_until_stopped(i: int) -> list[int]:
        seen = []
        while not stop.is_set() and len(seen) < 200:
            if i % 2:
                response = account.get(app.url("/api/v1/tasks/?page_size=200"))
            else:
                response = browser.get(app.url("/tasks/"), allow_redirects=False)
            seen.append(response.status_code)
        return seen

    def delete_account() -> requests.Response:
        deleter = page_login(app.base_url, email, PASSWORD)
        return deleter.post(
            app.url("/accounts/delete/"),
            data={
                "password": PASSWORD,
                "csrfmiddlewaretoken": deleter.cookies["csrftoken"],
            },
            allow_redirects=False,
        )

    with ThreadPoolExecutor(5) as pool:
        listers = [pool.submit(list_until_stopped, i) for i in range(4)]
        deleted = pool.submit(delete_account).result(TIMEOUT)
        # Keep listing for a moment after the deletion, then stop.
        threading.Timer(1.0, stop.set).start()
        seen = [status for lister in listers for status in lister.result(TIMEOUT * 4)]

    assert deleted.status_code == HTTPStatus.FOUND
    assert seen
    assert not [s for s in seen if s >= 500], seen
    # Afterwards the token and the session are gone with the account.
    assert account.get(app.url("/api/v1/tasks/")).status_code == 401
    page = browser.get(app.url("/tasks/"), allow_redirects=False)
    assert page.status_code == HTTPStatus.FOUND
