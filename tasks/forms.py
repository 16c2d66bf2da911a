"""Forms of the task pages."""

from __future__ import annotations

from django import forms

from tasks.models import Task


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ("title", "description", "status", "due_date")
        widgets = {
            "title": forms.TextInput(attrs={"autofocus": True}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "description": "Notes, links, the next step.",
        }


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
