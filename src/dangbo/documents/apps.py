from django.apps import AppConfig
from django.db.models.signals import post_save


class DocumentsConfig(AppConfig):
    name = "dangbo.documents"
    verbose_name = "Sổ văn bản"

    def ready(self):
        # documents cited by organisation events and congress papers enter the register in the same
        # transaction as the row that cites them (documents/citations.py says why)
        from dangbo.documents import citations

        post_save.connect(citations.on_org_event_saved, sender="orgs.OrgEvent", dispatch_uid="documents_org_event")
        post_save.connect(citations.on_congress_document_saved, sender="congress.CongressDocument",
                          dispatch_uid="documents_congress_document")
        # each document carries its holder's path (the register's scope filter): an organisation
        # moved under another parent takes its documents' copies along
        post_save.connect(citations.on_organization_saved, sender="orgs.Organization",
                          dispatch_uid="documents_org_path")
