"""Forms of the task pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from tasks import imports
from tasks.imports import MAX_IMPORT_BYTES
from tasks.models import (
    DUE_DATE_MAX,
    DUE_DATE_MIN,
    TAG_SEPARATORS,
    Preferences,
    Task,
    clean_tag_names,
    time_zone_names,
)

if TYPE_CHECKING:
    from accounts.models import User


class TaskForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate tags with commas, e.g. work, errands.",
    )

    class Meta:
        model = Task
        fields = ("title", "description", "status", "due_date", "repeat")
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(
                attrs={"type": "date", "min": DUE_DATE_MIN, "max": DUE_DATE_MAX},
                format="%Y-%m-%d",
            ),
        }
        help_texts = {
            "description": "Notes, links, the next step.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tag_names())

    def clean_tags(self) -> list[str]:
        text = self.cleaned_data["tags"]
        for separator in TAG_SEPARATORS:
            text = text.replace(separator, ",")
        return clean_tag_names(part for part in text.split(",") if part.strip())

    def save(self, commit: bool = True) -> Task:
        task = super().save(commit=commit)
        if commit:
            task.set_tags(self.cleaned_data["tags"])
        return task


class QuickTaskForm(forms.ModelForm):
    """The list's one-line form: a title and, optionally, a due date."""

    class Meta:
        model = Task
        fields = ("title", "due_date")
        widgets = {
            "title": forms.TextInput(
                attrs={
                    "placeholder": "Add a task…",
                    "autocomplete": "off",
                    "enterkeyhint": "done",
                }
            ),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, autofocus: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # On a page load only: htmx focuses an autofocus field it swaps in, which
        # would scroll the list back to the top after each action.
        self.fields["title"].widget.attrs["autofocus"] = autofocus


class StatusForm(forms.Form):
    """The one field of a status change posted from the list or the detail page."""

    status = forms.ChoiceField(choices=Task.Status.choices)


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=lambda: [(name, name) for name in sorted(time_zone_names())],
        help_text=Preferences._meta.get_field("time_zone").help_text,
    )

    class Meta:
        model = Preferences
        fields = ("digest_enabled", "time_zone")


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
