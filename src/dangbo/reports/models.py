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
