"""The signed-in user's tags: list them with their task counts, rename, delete.

Renaming or deleting a tag changes every task that carries it at once: tasks point to
the tag, they do not copy its name.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy
from django.views.generic import DeleteView, ListView, UpdateView

from tasks.models import Tag


class OwnedTagMixin(LoginRequiredMixin):
    """Limit every tag page to the signed-in user's tags (others are a 404)."""

    def get_queryset(self):
        return Tag.objects.for_user(self.request.user)


class TagListView(OwnedTagMixin, ListView):
    template_name = "tasks/tag_list.html"

    def get_queryset(self):
        return super().get_queryset().with_task_counts()


class TagUpdateView(OwnedTagMixin, SuccessMessageMixin, UpdateView):
    fields = ("name",)
    template_name = "tasks/tag_form.html"
    success_url = reverse_lazy("tasks:tags")
    success_message = "The tag is now called “%(name)s” on all its tasks."


class TagDeleteView(OwnedTagMixin, SuccessMessageMixin, DeleteView):
    template_name = "tasks/tag_confirm_delete.html"
    success_url = reverse_lazy("tasks:tags")

    def get_success_message(self, cleaned_data):
        return f"The tag “{self.object.name}” was deleted; its tasks remain."
