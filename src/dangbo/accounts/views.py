"""Home page (a dashboard for staff and secretaries, what is theirs to do for a member) and logout
back to the platform's own login page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render

from dangbo.accounts.selectors import member_todo, scope_of
from dangbo.orgs.selectors import home_overview

#: Up to this many members in the scope, the home page lists "what is due" itself (≈ 0.1 s for a
#: committee of 2,800); above it (a province: seconds) the page asks for it once shown (htmx).
HOME_DIGEST_INLINE_MEMBERS = 20_000


@login_required
def home(request):
    scope = scope_of(request.user)
    if scope.member_id:
        return render(request, "accounts/member_home.html", member_todo(user=request.user))
    if not scope.sees_tree:
        return render(request, "web/denied.html", status=403)
    root, n_grassroots, grassroots = home_overview(user=request.user)
    digest = None  # "what is due": computed here for a committee, asked for after the page above that
    if root is None or root["official"] + root["probationary"] <= HOME_DIGEST_INLINE_MEMBERS:
        from dangbo.procedures.selectors import due_digest

        digest = due_digest(user=request.user)
    return render(request, "accounts/home.html", {"root": root, "n_grassroots": n_grassroots,
                                                  "grassroots": grassroots, "digest": digest})


class Logout(LogoutView):
    """POST: log out and land on the platform's login page saying so (never Django admin's
    "logged out" page). GET (a typed or old link): a page with the button, or the login page when
    nobody is logged in."""

    next_page = "login"
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "accounts/logout.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "Bạn đã đăng xuất. Hẹn gặp lại!")
        return response
