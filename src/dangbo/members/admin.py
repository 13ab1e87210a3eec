"""Django admin for the member registry: a read-mostly back office view.

Writes belong to members.services (events, audit, derived columns), so the admin only lists and
shows; `search_fields` gives the changelist search that bench/search_bench.py measures beside ours.
"""

from django.contrib import admin

from dangbo.members.models import Member, MemberEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "organization", "state", "birth_date"]
    list_filter = ["state", "sex"]
    search_fields = ["full_name"]
    list_select_related = ["organization"]
    show_full_result_count = True


@admin.register(MemberEvent)
class MemberEventAdmin(ReadOnlyAdmin):
    list_display = ["member", "kind", "date", "decision_number"]
    list_filter = ["kind"]
    list_select_related = ["member"]
    raw_id_fields = ["member", "from_org", "to_org"]
