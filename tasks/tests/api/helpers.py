"""What the API tests of tasks share: the routes."""

from django.urls import reverse

LIST_URL = reverse("api:task-list")


def detail_url(pk: int) -> str:
    return reverse("api:task-detail", args=[pk])


def user_tasks_url(user_id: int) -> str:
    return reverse("api:user-tasks", args=[user_id])


def titles(response) -> list[str]:
    return [task["title"] for task in response.json()["results"]]
