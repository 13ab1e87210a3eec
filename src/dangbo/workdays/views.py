"""The holiday calendar page (office staff): a year's days off and weekend days worked, seed a
year, add or remove a day. Reading it is open to office staff only; everyone's deadlines use it."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts.selectors import require_office
from dangbo.core.errors import InvalidInput
from dangbo.core.formerrors import add_errors
from dangbo.workdays import selectors, services
from dangbo.workdays.forms import DayForm, YearForm


def _year(request) -> int:
    text = request.GET.get("nam", "")
    if text.isdigit() and 1900 <= int(text) <= 2200:
        return int(text)
    return date.today().year


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    scope = require_office(request.user)
    year = _year(request)
    year_form, day_form = YearForm(initial={"year": year}), DayForm()
    if request.method == "POST":
        if "seed" in request.POST:
            year_form = YearForm(request.POST)
            if year_form.is_valid():
                year = year_form.cleaned_data["year"]
                try:
                    services.year_seed(actor=request.user, year=year, org_path=scope.org_path or "")
                except InvalidInput as exc:
                    add_errors(year_form, exc)
                else:
                    messages.success(request, f"Đã đưa năm {year} vào lịch.")
                    return redirect(f"{reverse('workdays_calendar')}?nam={year}")
        else:
            day_form = DayForm(request.POST)
            if day_form.is_valid():
                c = day_form.cleaned_data
                try:
                    services.day_add(actor=request.user, day=c["day"], kind=c["kind"], name=c["name"],
                                     org_path=scope.org_path or "")
                except InvalidInput as exc:
                    add_errors(day_form, exc)
                else:
                    messages.success(request, f"Đã thêm ngày {c['day']:%d/%m/%Y} vào lịch.")
                    return redirect(f"{reverse('workdays_calendar')}?nam={c['day'].year}")
    kept = selectors.years_kept()
    ctx = {"year": year, "kept": year in kept, "years": kept, "days": selectors.year_list(year),
           "package": sorted(selectors.package_days(year).items()) if year not in kept else [],
           "year_form": year_form, "day_form": day_form}
    failed = request.method == "POST"
    return render(request, "workdays/calendar.html", ctx, status=422 if failed else 200)


@login_required
@require_POST
def day_remove(request, calendar_day_id: int):
    scope = require_office(request.user)
    row = selectors.day_get(calendar_day_id)
    try:
        services.day_remove(actor=request.user, day_id=row.id, org_path=scope.org_path or "")
    except InvalidInput as exc:  # removed meanwhile by someone else
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã bỏ ngày {row.day:%d/%m/%Y} khỏi lịch.")
    return redirect(f"{reverse('workdays_calendar')}?nam={row.day.year}")
