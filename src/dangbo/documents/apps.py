from django.apps import AppConfig
from django.db.models.signals import post_save


class DocumentsConfig(AppConfig):
    name = "dangbo.documents"
    verbose_name = "Sổ văn bản"

    def ready(self):
        from dangbo.core.paths import follow_moves

        follow_moves("documents", "Document")  # core/paths.py: path copies follow org moves
        # documents cited by organisation events and congress papers enter the register in the same
        # transaction as the row that cites them (documents/citations.py says why)
        from dangbo.documents import citations

        post_save.connect(citations.on_org_event_saved, sender="orgs.OrgEvent", dispatch_uid="documents_org_event")
        post_save.connect(citations.on_congress_document_saved, sender="congress.CongressDocument",
                          dispatch_uid="documents_congress_document")
