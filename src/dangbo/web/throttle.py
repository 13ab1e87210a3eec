"""Login throttling by address as well as by username (django-axes handler).

django-axes counts failures per lockout parameter set and compares the largest count with one limit
(AXES_FAILURE_LIMIT). The platform keeps axes' username+address lock (5 failures) and adds a lock of
the address itself after DANGBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS failures (20) within the cool-off
window, whatever usernames were tried — one address spraying many usernames is stopped. Axes has no
per-parameter limit, so this handler reports a locked address to axes as "the pair's limit reached".
Only the pair is reset by a successful login (AXES_LOCKOUT_PARAMETERS), so logging into one account
does not clear the address's count.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(ip_address: str | None, request) -> int:
    """Failed logins from one address within the cool-off window, over every username."""
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)  # the username+address pair
        limit = settings.DANGBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS
        if limit > 0 and address_failures(request.axes_ip_address, request) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures
