"""Forms of the task pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from tasks import imports
from tasks.imports import MAX_IMPORT_BYTES
from tasks.models import Task

if TYPE_CHECKING:
    from accounts.models import User


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ("title", "description", "status", "due_date")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "description": "Notes, links, the next step.",
        }


class StatusForm(forms.Form):
    """The one field of a status change posted from the list or the detail page."""

    status = forms.ChoiceField(choices=Task.Status.choices)


class ImportForm(forms.Form):
    """An exported file (JSON or CSV) to read back as the user's tasks."""

    file = forms.FileField(
        label="Exported file",
        help_text="A JSON or CSV file downloaded from this page.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(imports.too_large_message())
        try:
            self.rows = imports.read_file(upload.read())
        except imports.ImportFailed as failure:
            raise forms.ValidationError(failure.messages) from failure
        return upload

    def save(self, *, user: User) -> imports.ImportResult | None:
        """Import the rows for `user`; on bad rows add their errors and return None."""
        try:
            return imports.import_tasks(user=user, rows=self.rows)
        except imports.ImportFailed as failure:
            self.add_error("file", failure.messages)
            return None
