"""Routes of the votes pages (included at the site root by `dangbo.web.urls`)."""

urlpatterns = []
