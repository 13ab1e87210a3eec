"""URL map: web pages (dangbo.web), JSON API under /api/ (dangbo.api), admin under /quan-tri/."""

from django.contrib import admin
from django.urls import include, path

from dangbo.api import api

urlpatterns = [
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("", include("dangbo.web.urls")),
]
