"""Membership tallies (issue 14): what `reports.tallies` keeps exact for today's statistics."""

from django.db import models


class Tally(models.Model):
    """How many counted members (MEM-5) the SUBTREE of `organization` has with `value` in `dim`
    (`reports.tallies.DIMS`): kept in the transaction of every member change, rebuilt by
    `dangbo report tallies`. A row may hold 0 after members leave; readers skip those."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    dim = models.CharField(max_length=24)
    value = models.CharField(max_length=60, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "dim", "value"], name="reports_tally_key")]


class Snapshot(models.Model):
    """The tallies as they stood at the end of `day` (a month's last day), for the organisations whose
    subtree then had at least `min_members` counted members (`reports.snapshots`). Written once from the
    replay; afterwards only the corrections the replay itself would see are applied (profile edits,
    back-dated events, registry deletions and restorations, organisation moves)."""

    day = models.DateField(unique=True)
    min_members = models.IntegerField(default=0)
    built_at = models.DateTimeField(auto_now_add=True)


class SnapshotTally(models.Model):
    """`Tally`'s row as it stood on the snapshot's day. A row with `dim` "" marks an organisation the
    snapshot covers (the others are replayed: they were small)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    dim = models.CharField(max_length=24, blank=True)
    value = models.CharField(max_length=60, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "organization", "dim", "value"],
                                               name="reports_snapshot_tally_key")]


class SnapshotDayTally(models.Model):
    """A snapshot's day-exact counts (`reports.snapshots.kept_months`): how many members the subtree of
    `organization` counted on the snapshot's day with the birth (admission) date `value` ("YYYY-MM-DD",
    `dim` "birth_day" or "admission_day", `tallies.DAY_DIMS`), for the dates in the months where a band
    starts on a day of the snapshot's month or of the next. A table of its own: `SnapshotTally`'s rows
    are `Tally`'s dimensions, copied from one snapshot to the next; these are not."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    dim = models.CharField(max_length=24)
    value = models.CharField(max_length=10)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "organization", "dim", "value"],
                                               name="reports_snapshotday_tally_key")]
