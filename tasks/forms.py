"""Forms of the task pages."""

from __future__ import annotations

from django import forms

from tasks.models import DUE_DATE_MAX, DUE_DATE_MIN, Task


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ("title", "description", "status", "due_date")
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(
                attrs={"type": "date", "min": DUE_DATE_MIN, "max": DUE_DATE_MAX},
                format="%Y-%m-%d",
            ),
        }
        help_texts = {
            "description": "Notes, links, the next step.",
        }


class StatusForm(forms.Form):
    """The one field of a status change posted from the list or the detail page."""

    status = forms.ChoiceField(choices=Task.Status.choices)
