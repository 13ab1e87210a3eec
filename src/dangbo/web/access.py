"""Pages for office staff and secretaries only: a member's account (or one without a scope) gets a
page saying so instead of an empty table (UI.md "Each role sees the menu it can use")."""

from functools import wraps

from django.shortcuts import redirect, render

from dangbo.accounts.selectors import scope_of


def staff_page(view, *, message: str = "", member_redirect: str = ""):
    """Wrap `view` (a page of the organisation tree) so that only office staff and secretaries reach
    it. A member is sent to `member_redirect` (a URL name taking their member id) when given, else
    shown the explanation; the view itself still checks its scope."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            scope = scope_of(request.user)
            if not scope.sees_tree:
                if scope.member_id and member_redirect and request.method == "GET":
                    return redirect(member_redirect, scope.member_id)
                return render(request, "web/denied.html", {"message": message}, status=403)
        return view(request, *args, **kwargs)

    return wrapped
