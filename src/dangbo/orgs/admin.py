"""Django admin for the organisation tree: a read-mostly back office view.

Writes belong to orgs.services (paths, decisions, audit), so the admin only lists and shows.
"""

from django.contrib import admin

from dangbo.members.admin import ReadOnlyAdmin
from dangbo.orgs.models import Organization, OrgEvent


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "path", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(OrgEvent)
class OrgEventAdmin(ReadOnlyAdmin):
    list_display = ["organization", "kind", "date", "decision_number"]
    list_filter = ["kind"]
    list_select_related = ["organization"]
