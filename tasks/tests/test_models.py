"""The shared task rules: visibility, list semantics, ordering, status changes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tasks.models import Task
from tasks.tests.factories import TaskFactory, UserFactory

TODAY = date(2026, 11, 27)

pytestmark = pytest.mark.django_db


def titles(queryset) -> set[str]:
    return set(queryset.values_list("title", flat=True))


def test_for_user_returns_only_that_users_tasks(user, other_user):
    TaskFactory(user=user, title="mine")
    TaskFactory(user=other_user, title="theirs")

    assert titles(Task.objects.for_user(user)) == {"mine"}
    assert titles(Task.objects.for_user(other_user)) == {"theirs"}


def test_overdue_is_past_due_and_not_completed(user):
    TaskFactory(user=user, title="yesterday", due_date=TODAY - timedelta(days=1))
    TaskFactory(
        user=user,
        title="yesterday in progress",
        due_date=TODAY - timedelta(days=1),
        status=Task.Status.IN_PROGRESS,
    )
    TaskFactory(
        user=user,
        title="yesterday done",
        due_date=TODAY - timedelta(days=1),
        status=Task.Status.COMPLETED,
    )
    TaskFactory(user=user, title="today", due_date=TODAY)
    TaskFactory(user=user, title="no date")

    assert titles(Task.objects.overdue(TODAY)) == {"yesterday", "yesterday in progress"}


def test_due_today_includes_only_today(user):
    TaskFactory(user=user, title="yesterday", due_date=TODAY - timedelta(days=1))
    TaskFactory(user=user, title="today", due_date=TODAY)
    TaskFactory(
        user=user, title="today done", due_date=TODAY, status=Task.Status.COMPLETED
    )
    TaskFactory(user=user, title="tomorrow", due_date=TODAY + timedelta(days=1))

    assert titles(Task.objects.due_today(TODAY)) == {"today", "today done"}


def test_due_within_week_is_today_to_six_days_later(user):
    for offset in (-1, 0, 6, 7):
        TaskFactory(
            user=user, title=f"day {offset}", due_date=TODAY + timedelta(days=offset)
        )

    assert titles(Task.objects.due_within_week(TODAY)) == {"day 0", "day 6"}


def test_without_due_date(user):
    TaskFactory(user=user, title="dated", due_date=TODAY)
    TaskFactory(user=user, title="undated")

    assert titles(Task.objects.without_due_date()) == {"undated"}


def test_with_status_accepts_several(user):
    TaskFactory(user=user, title="p", status=Task.Status.PENDING)
    TaskFactory(user=user, title="i", status=Task.Status.IN_PROGRESS)
    TaskFactory(user=user, title="c", status=Task.Status.COMPLETED)

    assert titles(Task.objects.with_status("pending", "completed")) == {"p", "c"}


def test_search_matches_every_word_in_title_or_description_ignoring_case(user):
    TaskFactory(user=user, title="Pay RENT", description="before the 1st")
    TaskFactory(user=user, title="Groceries", description="milk, bread, rent-a-car")
    TaskFactory(user=user, title="Call landlord", description="about the rent")
    TaskFactory(user=user, title="Unrelated")

    assert titles(Task.objects.search("rent")) == {
        "Pay RENT",
        "Groceries",
        "Call landlord",
    }
    assert titles(Task.objects.search("  rent   landlord ")) == {"Call landlord"}
    assert titles(Task.objects.search("")) == {
        "Pay RENT",
        "Groceries",
        "Call landlord",
        "Unrelated",
    }


def test_search_treats_sql_wildcards_literally(user):
    TaskFactory(user=user, title="100% done")
    TaskFactory(user=user, title="1000 done")

    assert titles(Task.objects.search("100%")) == {"100% done"}


def test_status_counts_counts_each_status_in_one_query(
    user, other_user, django_assert_num_queries
):
    TaskFactory.create_batch(3, user=user, status=Task.Status.PENDING)
    TaskFactory.create_batch(2, user=user, status=Task.Status.COMPLETED)
    TaskFactory(user=other_user, status=Task.Status.IN_PROGRESS)

    with django_assert_num_queries(1):
        counts = Task.objects.for_user(user).status_counts()

    assert counts == {"all": 5, "pending": 3, "in_progress": 0, "completed": 2}


def test_default_order_is_newest_first_and_stable(user):
    same_time = timezone.now()
    first = TaskFactory(user=user, created_at=same_time)
    second = TaskFactory(user=user, created_at=same_time)
    older = TaskFactory(user=user, created_at=same_time - timedelta(hours=1))

    assert list(Task.objects.for_user(user)) == [second, first, older]
    assert list(Task.objects.for_user(user).newest_first()) == [second, first, older]


def test_ordered_by_due_date_puts_undated_last_in_both_directions(user):
    undated = TaskFactory(user=user)
    early = TaskFactory(user=user, due_date=TODAY)
    late = TaskFactory(user=user, due_date=TODAY + timedelta(days=3))

    assert list(Task.objects.ordered_by("due_date")) == [early, late, undated]
    assert list(Task.objects.ordered_by("-due_date")) == [late, early, undated]


def test_ordered_by_title_and_unknown_field(user):
    b = TaskFactory(user=user, title="b")
    a = TaskFactory(user=user, title="a")

    assert list(Task.objects.ordered_by("title")) == [a, b]
    with pytest.raises(ValueError):
        Task.objects.ordered_by("password")


def test_title_order_ignores_letter_case_and_accents_on_every_database(user):
    """Zebra after apple, École among the e's: alike on SQLite and PostgreSQL."""
    for title in ["Zebra", "éclair", "apple", "Eclipse", "Banana", "École", "ärger"]:
        TaskFactory(user=user, title=title)

    ascending = [task.title for task in Task.objects.ordered_by("title")]
    descending = [task.title for task in Task.objects.ordered_by("-title")]

    assert ascending == [
        "apple",
        "ärger",
        "Banana",
        "éclair",
        "Eclipse",
        "École",
        "Zebra",
    ]
    assert descending == list(reversed(ascending))


def test_titles_equal_but_for_case_and_accents_keep_a_stable_order_by_id(user):
    first = TaskFactory(user=user, title="Resume")
    second = TaskFactory(user=user, title="résumé")

    assert list(Task.objects.ordered_by("title")) == [first, second]
    assert list(Task.objects.ordered_by("-title")) == [second, first]


def test_open_excludes_completed_tasks(user):
    TaskFactory(user=user, title="todo")
    TaskFactory(user=user, title="doing", status=Task.Status.IN_PROGRESS)
    TaskFactory(user=user, title="done", status=Task.Status.COMPLETED)

    assert titles(Task.objects.open()) == {"todo", "doing"}


def test_list_order_is_open_first_then_by_due_date_undated_last(user):
    same_time = timezone.now()
    undated_old = TaskFactory(user=user, created_at=same_time - timedelta(hours=1))
    undated_new = TaskFactory(user=user, created_at=same_time)
    later = TaskFactory(user=user, due_date=TODAY + timedelta(days=3))
    overdue = TaskFactory(user=user, due_date=TODAY - timedelta(days=5))
    today = TaskFactory(user=user, due_date=TODAY, status=Task.Status.IN_PROGRESS)
    done_early = TaskFactory(
        user=user, due_date=TODAY - timedelta(days=9), status=Task.Status.COMPLETED
    )
    done_undated = TaskFactory(user=user, status=Task.Status.COMPLETED)

    assert list(Task.objects.in_list_order()) == [
        overdue,
        today,
        later,
        undated_new,
        undated_old,
        done_early,
        done_undated,
    ]


def test_single_status_change_moves_updated_at_and_saves_only_status(user):
    task = TaskFactory(user=user, title="original")
    before = task.updated_at
    Task.objects.filter(pk=task.pk).update(title="changed elsewhere")

    task.set_status(Task.Status.COMPLETED)

    task.refresh_from_db()
    assert task.status == Task.Status.COMPLETED
    assert task.updated_at > before
    assert task.title == "changed elsewhere"  # only status and updated_at were written


def test_single_status_change_refuses_unknown_status(user):
    task = TaskFactory(user=user)
    with pytest.raises(ValueError):
        task.set_status("archived")


def test_bulk_status_change_moves_updated_at_of_every_row(user):
    tasks = TaskFactory.create_batch(3, user=user)
    untouched = TaskFactory(user=user)
    before = {t.pk: t.updated_at for t in tasks}

    changed = Task.objects.filter(pk__in=before).set_status(Task.Status.IN_PROGRESS)

    assert changed == 3
    for task in Task.objects.filter(pk__in=before):
        assert task.status == Task.Status.IN_PROGRESS
        assert task.updated_at > before[task.pk]
    untouched.refresh_from_db()
    assert untouched.status == Task.Status.PENDING


def test_bulk_status_change_refuses_unknown_status(user):
    TaskFactory(user=user)
    with pytest.raises(ValueError):
        Task.objects.all().set_status("bogus")
    assert not Task.objects.exclude(status=Task.Status.PENDING).exists()


def test_save_moves_updated_at_and_keeps_created_at(user):
    task = TaskFactory(user=user)
    created, updated = task.created_at, task.updated_at

    task.title = "renamed"
    task.save()

    task.refresh_from_db()
    assert task.created_at == created
    assert task.updated_at > updated


def test_new_task_defaults(user):
    task = Task.objects.create(user=user, title="Pay rent")
    task.refresh_from_db()

    assert task.status == Task.Status.PENDING
    assert task.description is None
    assert task.due_date is None
    assert task.created_at == task.updated_at


def test_is_overdue(user):
    assert TaskFactory(user=user, due_date=TODAY - timedelta(days=1)).is_overdue(TODAY)
    assert not TaskFactory(user=user, due_date=TODAY).is_overdue(TODAY)
    assert not TaskFactory(user=user).is_overdue(TODAY)
    assert not TaskFactory(
        user=user, due_date=TODAY - timedelta(days=1), status=Task.Status.COMPLETED
    ).is_overdue(TODAY)


@pytest.mark.parametrize("title", ["", "   ", "\t\n"])
def test_blank_title_fails_validation(user, title):
    task = Task(user=user, title=title)
    with pytest.raises(ValidationError) as excinfo:
        task.full_clean()
    assert "title" in excinfo.value.message_dict


def test_title_over_200_characters_fails_validation(user):
    with pytest.raises(ValidationError) as excinfo:
        Task(user=user, title="x" * 201).full_clean()
    assert "title" in excinfo.value.message_dict


def test_unknown_status_fails_validation(user):
    with pytest.raises(ValidationError) as excinfo:
        Task(user=user, title="t", status="bogus").full_clean()
    assert "status" in excinfo.value.message_dict


def test_database_refuses_blank_title_and_unknown_status(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(user=user, title="   ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(user=user, title="ok", status="bogus")
    assert not Task.objects.exists()


def test_deleting_a_user_deletes_their_tasks_only(user, other_user):
    TaskFactory.create_batch(2, user=user)
    kept = TaskFactory(user=other_user)

    user.delete()

    assert list(Task.objects.all()) == [kept]


def test_str_is_the_title(user):
    task = TaskFactory(user=user, title="Pay rent")
    assert str(task) == "Pay rent"


def test_factories_make_distinct_users():
    assert UserFactory().email != UserFactory().email
