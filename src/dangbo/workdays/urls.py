"""Routes of the holiday calendar (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.workdays import views

urlpatterns = [
    path("lich-nghi/", views.calendar, name="workdays_calendar"),
    path("lich-nghi/<int:calendar_day_id>/bo/", views.day_remove, name="workdays_day_remove"),
]
