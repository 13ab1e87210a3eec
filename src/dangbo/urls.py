"""URL map: web pages (dangbo.web), JSON API under /api/ (dangbo.api), admin under /quan-tri/.
Error pages (400, 403, 404, 500) are Vietnamese (dangbo.web.errors)."""

from django.contrib import admin
from django.urls import include, path

from dangbo.api import api

urlpatterns = [
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("", include("dangbo.web.urls")),
]

handler400 = "dangbo.web.errors.bad_request"
handler403 = "dangbo.web.errors.permission_denied"
handler404 = "dangbo.web.errors.page_not_found"
handler500 = "dangbo.web.errors.server_error"
