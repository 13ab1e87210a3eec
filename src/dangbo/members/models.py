"""The member registry (MEM-1..8): the profile and the member's life as dated events.

`state`, `away` and `suspended` are a cache of `rules.replay_status(events)`; only services write
them, always in the same transaction as the event that changes them.
"""

from django.db import models

from dangbo.members import rules
from dangbo.orgs.models import Organization

SEX_CHOICES = [("M", "Nam"), ("F", "Nữ")]


class Member(models.Model):
    STATE_CHOICES = [(s, rules.STATE_LABELS[s]) for s in rules.STATES]

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name="Chi bộ sinh hoạt"
    )
    org_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    full_name = models.CharField("Họ và tên", max_length=120)
    surname = models.CharField("Họ", max_length=40, editable=False, default="")
    middle_name = models.CharField("Tên đệm", max_length=60, editable=False, default="")
    given_name = models.CharField("Tên", max_length=40, editable=False, default="")
    name_folded = models.CharField(max_length=120, db_index=True, editable=False, default="")
    given_folded = models.CharField(max_length=40, db_index=True, editable=False, default="")
    name_sort = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sex = models.CharField("Giới tính", max_length=1, choices=SEX_CHOICES)
    birth_date = models.DateField("Ngày sinh", null=True, blank=True)
    place_of_birth = models.CharField("Nơi sinh", max_length=255, blank=True)
    home_town = models.CharField("Quê quán", max_length=255, blank=True)
    ethnicity = models.CharField("Dân tộc", max_length=40, blank=True, default="Kinh")
    religion = models.CharField("Tôn giáo", max_length=40, blank=True, default="Không")
    national_id = models.CharField("Số định danh cá nhân", max_length=12, null=True, blank=True, unique=True)
    card_number = models.CharField("Số thẻ đảng viên", max_length=20, blank=True)
    # rules.card_key(card_number): the card number as compared for uniqueness among current members (MEM-8)
    card_key = models.CharField(max_length=20, db_index=True, editable=False, default="")
    # MEM-1: two dates. Party age, badges, appraisal and congress count from the decision; the 12
    # months of probation and the recognition deadline from the ceremony.
    admission_date = models.DateField("Ngày quyết định kết nạp", null=True, blank=True)
    ceremony_date = models.DateField("Ngày tổ chức lễ kết nạp", null=True, blank=True)
    # Set when the ceremony date is not known (records from before the two dates were kept apart,
    # imported rolls): it was taken equal to the decision date and the office should check both.
    dates_to_check = models.BooleanField("Cần kiểm tra ngày kết nạp", default=False, db_index=True)
    official_date = models.DateField("Ngày chính thức", null=True, blank=True)
    education = models.CharField("Giáo dục phổ thông", max_length=20, blank=True)
    professional_level = models.CharField("Chuyên môn nghiệp vụ", max_length=60, blank=True)
    political_theory_level = models.CharField("Lý luận chính trị", max_length=40, blank=True)
    position = models.CharField("Chức vụ", max_length=120, blank=True)
    workplace = models.CharField("Đơn vị công tác", max_length=255, blank=True)
    state = models.CharField("Trạng thái", max_length=20, choices=STATE_CHOICES, db_index=True)
    away = models.BooleanField("Đang sinh hoạt tạm thời nơi khác", default=False)
    suspended = models.BooleanField("Đang bị đình chỉ sinh hoạt đảng", default=False)
    temp_host = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="temporary_members"
    )
    temp_host_name = models.CharField("Nơi sinh hoạt tạm thời", max_length=255, blank=True)
    # MEM-3, kept by members.badgedays with every admission, badge, discipline and state change: the
    # lowest badge tier still to award and the day it is reached (official members without a
    # discipline; None otherwise), and whether a discipline may hold the badge back (then "what is
    # due" computes the member exactly). Settings-free: valid whatever DANGBO_RULES says.
    badge_tier = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    badge_tier_on = models.DateField(null=True, blank=True, editable=False)
    badge_held = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name_sort", "id"]
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        indexes = [
            models.Index(fields=["org_path", "state"]),
            # orgs.selectors.org_tree: member counts per organisation without reading table rows
            models.Index(fields=["organization", "state", "org_path"], name="member_org_counts_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @classmethod
    def from_db(cls, db, field_names, values):
        """Loaded rows remember the columns their search keys are made of (`members.search.keys_sync`
        then skips re-reading the keys when a save leaves them unchanged)."""
        instance = super().from_db(db, field_names, values)
        from dangbo.members.search import keys_remember

        keys_remember(instance)
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        from dangbo.members.search import keys_remember

        keys_remember(self, kwargs.get("fields") or (args[1] if len(args) > 1 else None))

    def save(self, *args, **kwargs):
        """Save, then keep the member's search keys (`NameKey`) in step with its name and place."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        from dangbo.members.search import keys_sync

        keys_sync(self, adding=adding, update_fields=kwargs.get("update_fields"))

    @property
    def card_tail(self) -> str:
        """The party card number's last 4 characters, separators left out (`rules.card_key`), to tell
        namesakes apart in lists."""
        return (self.card_key or rules.card_key(self.card_number))[-4:]

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS.get(self.state, self.state)


class MemberEvent(models.Model):
    """One dated event of a member's life in the Party; `kind` is a key of rules.EVENT_LABELS."""

    KIND_CHOICES = [(k, rules.EVENT_LABELS[k]) for k in rules.EVENT_KINDS]

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("Sự kiện", max_length=24, choices=KIND_CHOICES)
    date = models.DateField("Ngày")
    end_date = models.DateField("Đến ngày", null=True, blank=True)
    from_org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    place = models.CharField("Nơi đến / nơi đi", max_length=255, blank=True)
    decision_number = models.CharField("Số, ký hiệu quyết định", max_length=40, blank=True)
    decision_date = models.DateField("Ngày quyết định", null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["date", "seq", "id"]

    @property
    def kind_label(self) -> str:
        return rules.EVENT_LABELS.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        """A discipline's level in Vietnamese ("Khiển trách"), never the code."""
        level = (self.details or {}).get("level", "")
        return rules.DISCIPLINE_LABELS.get(level, level)

    @property
    def ceremony_date(self):
        """An admission event's ceremony date (MEM-1), from its details."""
        from datetime import date

        raw = (self.details or {}).get("ceremony_date")
        try:
            return date.fromisoformat(raw) if raw else None
        except (TypeError, ValueError):
            return None


class NameKey(models.Model):
    """Search index of member names: one row per word start of the folded full name.

    "Nguyễn Văn Hùng" has the keys "nguyen van hung", "van hung" and "hung", so a "starts with"
    range on `key` finds the member by any contiguous run of words — surname, middle, given,
    middle + given, surname + middle, the full name — and by the start of the run's last word while
    it is being typed. `name_sort` and `org_path` are copies of the member's, so the covering index
    gives the order (official list order within a key) and the scope check without reading members.
    Written only by `members.search.keys_sync` (called by `Member.save`) and `keys_rebuild`.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=120)
    name_sort = models.CharField(max_length=255)
    org_path = models.CharField(max_length=255)

    class Meta:
        indexes = [models.Index(fields=["key", "name_sort", "member", "org_path"], name="member_namekey_idx")]

    def __str__(self) -> str:
        return self.key
