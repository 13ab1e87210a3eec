"""Routes of the member procedures (included at the site root by `dangbo.web.urls`)."""

urlpatterns: list = []
