"""The task pages of the signed-in user: list, create, view, edit, delete, status, the
trash, and the export and import of the account's tasks (linked from settings)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    ListView,
    UpdateView,
)

from tasks import trash
from tasks.display import task_displays
from tasks.exports import user_data, write_tasks_csv
from tasks.filters import TaskPageFilter
from tasks.forms import ImportForm, QuickTaskForm, StatusForm, TaskForm
from tasks.models import Tag, Task, TaskEvent, TrashedTask
from tasks.undo import offer_undo


def next_url(request: HttpRequest, fallback: str) -> str:
    """Return the page to go back to, posted as `next`, if it is on this site."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback


class OwnedTaskMixin(LoginRequiredMixin):
    """Limit every task page to the signed-in user's tasks (others are a 404)."""

    def get_queryset(self):
        return Task.objects.for_user(self.request.user)


class TaskListView(OwnedTaskMixin, ListView):
    paginate_by = 25
    template_name = "tasks/task_list.html"
    #: The part of the page htmx asks for after an action or a filter change.
    region_template_name = "tasks/task_list_region.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "task-region":
            return [self.region_template_name]
        return [self.template_name]

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The same URL answers a whole page or a part of it.
        patch_vary_headers(response, ("HX-Request", "HX-Target"))
        return response

    def get_queryset(self):
        self.filterset = TaskPageFilter(
            self.request.GET, queryset=super().get_queryset()
        )
        self.counts = self.filterset.status_counts()
        self.current_status = self.filterset.form.cleaned_data.get("status", "")
        return self.filterset.qs.with_tags()

    def paginate_queryset(self, queryset, page_size):
        """Paginate, turning a page number that is not a number or too big into one.

        The paginator is given the count of the current status tab: the listed tasks,
        counted already by the status counts' query, so the page needs no COUNT query.
        """
        paginator: Paginator = self.get_paginator(queryset, page_size)
        paginator.count = self.counts[self.current_status or "open"]
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["task_displays"] = task_displays(context["object_list"])
        context["filter"] = self.filterset
        context["due_select"] = self.filterset.select("due")
        context["sort_select"] = self.filterset.select("sort")
        tag_names = list(
            Tag.objects.for_user(self.request.user).values_list("name", flat=True)
        )
        context["tag_select"] = (
            self.filterset.tag_select(tag_names) if tag_names else None
        )
        context["counts"] = self.counts
        context["current_status"] = self.current_status
        context["statuses"] = Task.Status.choices
        cleaned_data = self.filterset.form.cleaned_data
        context["filtered"] = any(
            cleaned_data.get(name) for name in ("q", "due", "tag")
        )
        # The "Filter" panel starts open when something in it is set.
        context["panel_open"] = any(
            cleaned_data.get(name) for name in ("due", "sort", "tag")
        )
        context["quick_form"] = QuickTaskForm(autofocus=not self.request.htmx)
        return context


class TaskDetailView(OwnedTaskMixin, DetailView):
    template_name = "tasks/task_detail.html"

    #: The most recent changes shown on the page.
    HISTORY_SHOWN = 20

    def get_context_data(self, **kwargs):
        [display] = task_displays([self.object])
        history = TaskEvent.objects.for_task(self.object.pk)[: self.HISTORY_SHOWN]
        return super().get_context_data(display=display, history=history, **kwargs)


class TaskCreateView(LoginRequiredMixin, SuccessMessageMixin, CreateView):
    form_class = TaskForm
    template_name = "tasks/task_form.html"
    success_message = "Task “%(title)s” was created."

    def form_valid(self, form):
        form.instance.user = self.request.user
        return super().form_valid(form)


class TaskQuickAddView(LoginRequiredMixin, CreateView):
    """Add a task from the list's one-line form, then go back to the same list.

    Without JavaScript the browser follows the redirect to the list (with its filters)
    at the new task's row; with htmx the list is swapped in place from that same page.
    """

    form_class = QuickTaskForm
    http_method_names = ["post"]

    def form_valid(self, form):
        form.instance.user = self.request.user
        task = form.save()
        messages.success(self.request, f"Task “{task.title}” was added.")
        back = next_url(self.request, reverse("tasks:list"))
        return redirect(f"{back}#task-{task.pk}")

    def form_invalid(self, form):
        for errors in form.errors.values():
            messages.error(self.request, f"The task was not added: {errors[0]}")
            break
        return redirect(next_url(self.request, reverse("tasks:list")))


class TaskUpdateView(OwnedTaskMixin, SuccessMessageMixin, UpdateView):
    form_class = TaskForm
    template_name = "tasks/task_form.html"
    success_message = "Your changes to “%(title)s” were saved."


class TaskDeleteView(OwnedTaskMixin, DeleteView):
    """Ask (GET), then move the task to the trash (POST), with Undo in the message."""

    template_name = "tasks/task_confirm_delete.html"
    success_url = reverse_lazy("tasks:list")

    def form_valid(self, form):
        task = self.object
        trash.move_to_trash(
            tasks=self.get_queryset().filter(pk=task.pk), by=self.request.user
        )
        messages.success(self.request, f"Task “{task.title}” was moved to the trash.")
        offer_undo(
            self.request,
            action=reverse("tasks:restore", kwargs={"pk": task.pk}),
            fields={"next": str(self.success_url)},
            description=f"Undo: bring “{task.title}” back from the trash",
        )
        return redirect(self.success_url)


class TrashView(LoginRequiredMixin, ListView):
    """The user's deleted tasks, most recent first, to restore or delete for good."""

    paginate_by = 25
    template_name = "tasks/trash.html"
    context_object_name = "trashed_tasks"

    def get_queryset(self):
        return TrashedTask.objects.for_user(self.request.user).newest_first()


@login_required
@require_POST
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring a task of the user's trash back, then go back where they were."""
    trashed = get_object_or_404(TrashedTask.objects.for_user(request.user), pk=pk)
    [task] = trash.restore(trashed=TrashedTask.objects.filter(pk=trashed.pk))
    messages.success(request, f"Task “{task.title}” was restored.")
    return redirect(next_url(request, task.get_absolute_url()))


@login_required
@require_POST
def delete_forever(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a task of the user's trash, and its history, for good."""
    trashed = get_object_or_404(TrashedTask.objects.for_user(request.user), pk=pk)
    trash.delete_forever(trashed=TrashedTask.objects.filter(pk=trashed.pk))
    messages.success(request, f"Task “{trashed.title}” was deleted for good.")
    return redirect("tasks:trash")


class ImportView(LoginRequiredMixin, FormView):
    """Read back an exported file (JSON or CSV) as the user's tasks."""

    form_class = ImportForm
    template_name = "tasks/import.html"
    success_url = reverse_lazy("tasks:list")

    def form_valid(self, form):
        result = form.save(user=self.request.user)
        if result is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Imported {result.created} task(s); "
            f"{result.skipped} already there were skipped.",
        )
        return super().form_valid(form)


@login_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one of the user's tasks to another status, then go back where they were."""
    task = get_object_or_404(Task.objects.for_user(request.user), pk=pk)
    form = StatusForm(request.POST)
    back = next_url(request, "")
    if form.is_valid():
        previous = task.status
        status = form.cleaned_data["status"]
        task.set_status(status)
        if status == Task.Status.COMPLETED and task.repeat:
            # Done for this time: the task is pending again at its next due date.
            messages.success(
                request, f"“{task.title}” is done; it is due again on {task.due_date}."
            )
        else:
            messages.success(
                request, f"“{task.title}” is now {task.get_status_display().lower()}."
            )
            offer_undo(
                request,
                action=request.path,
                fields={"status": previous, "next": back or task.get_absolute_url()},
                description=f"Undo: move “{task.title}” back to "
                f"{Task.Status(previous).label.lower()}",
            )
    else:
        messages.error(request, "That status does not exist; the task was not changed.")
    if not back:
        return redirect(task.get_absolute_url())
    # Back at the task's row (without JavaScript the browser scrolls to it).
    return redirect(f"{back}#task-{task.pk}")


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    """Mark `response` as a download named after today's date."""
    filename = f"todo-export-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    """Download the account and all its tasks as one JSON document."""
    response = JsonResponse(
        user_data(user=request.user), json_dumps_params={"indent": 2}
    )
    return _attachment(response, "json")


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """Download all the account's tasks as CSV, one row per task."""
    buffer = io.StringIO()
    tasks = Task.objects.for_user(request.user).newest_first().with_tags()
    write_tasks_csv(tasks, buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, "csv")
