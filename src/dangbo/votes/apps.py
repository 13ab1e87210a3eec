from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "dangbo.votes"
    verbose_name = "Biểu quyết"
