""""What is due" and the badge list on a whole committee (issue 13): median time of
`procedures.selectors.due_list` and `badge_list` for the office user of the database in use.

Run on the demo (2,755 members):
    DANGBO_VAR=/path/to/var .venv/bin/dangbo demo
    DANGBO_VAR=/path/to/var DJANGO_SETTINGS_MODULE=dangbo.settings .venv/bin/python bench/due_list.py [--runs 7]
"""

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--user", default="vanphong")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from dangbo.members import rules as mr
    from dangbo.members.models import Member
    from dangbo.procedures.selectors import badge_list, due_list

    user = get_user_model().objects.get(username=args.user)
    from datetime import date

    occasion = mr.next_award_day(date.today())
    for name, call in (("due_list", lambda: due_list(user=user)),
                       ("badge_list", lambda: badge_list(user=user, occasion=occasion))):
        call()  # warm the holiday cache
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            n = len(call())
            times.append(time.perf_counter() - t0)
        print(f"{name}: {n} rows, median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs "
              f"({Member.objects.count()} members)")


if __name__ == "__main__":
    main()
