"""Routes of the elections pages (included at the site root by `dangbo.web.urls`)."""

urlpatterns = []
