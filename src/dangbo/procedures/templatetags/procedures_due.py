"""`{% due_digest %}`: the first items of "what is due" on the staff home page (issue 13)."""

from django import template

from dangbo.procedures.selectors import due_list

register = template.Library()

DIGEST_ITEMS = 5


@register.inclusion_tag("procedures/_digest.html", takes_context=True)
def due_digest(context):
    items = due_list(user=context["request"].user)
    return {"items": items[:DIGEST_ITEMS], "more": max(0, len(items) - DIGEST_ITEMS)}
