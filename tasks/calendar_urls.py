"""The calendar feed's route, at the site root (/calendar/<secret>.ics)."""

from django.urls import path

from tasks import calendar

app_name = "calendar"

urlpatterns = [
    # `token`: the request log masks URL parameters of that name.
    path("<str:token>.ics", calendar.feed, name="feed"),
]
