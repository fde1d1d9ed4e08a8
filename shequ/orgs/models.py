"""The org-unit tree, staff accounts and their posts, and the event log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class User(AbstractUser):
    """A person who signs in: staff of any level (and, later, residents)."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("orgs:staff", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UnitKind(models.TextChoices):
    PREFECTURE = "prefecture", _("州")
    COUNTY = "county", _("县市")
    TOWNSHIP = "township", _("乡镇街道")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    GRID = "grid", _("网格")


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    MANAGEMENT_AREA = "management_area", _("管理区(统计用)")


class CommunityType(models.TextChoices):
    URBAN = "urban", _("城市社区")
    TOWN = "town", _("集镇社区")
    RURAL = "rural", _("农村社区")


# Which kind of unit may sit under which: the prefecture's structure, enforced by actions.
ALLOWED_CHILD_KINDS: dict[str, frozenset[str]] = {
    UnitKind.PREFECTURE: frozenset({UnitKind.COUNTY}),
    UnitKind.COUNTY: frozenset({UnitKind.TOWNSHIP}),
    UnitKind.TOWNSHIP: frozenset({UnitKind.COMMUNITY}),
    UnitKind.COMMUNITY: frozenset({UnitKind.VILLAGE, UnitKind.GRID}),
    UnitKind.VILLAGE: frozenset({UnitKind.GRID}),
    UnitKind.GRID: frozenset(),
}


class OrgUnitQuerySet(MP_NodeQuerySet):
    def active(self, on: Any = None) -> OrgUnitQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_to__isnull=True) | Q(active_to__gte=day),
        )


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def active(self, on: Any = None) -> OrgUnitQuerySet:
        return self.get_queryset().active(on)


class OrgUnit(MP_Node):
    """One node of prefecture → county → township → community → (village) → grid.

    ``code`` is the National Bureau of Statistics 2023 code where the unit has one;
    rural communities built around villages and grids have none.
    """

    steplen = 4

    name = models.CharField(_("名称"), max_length=100)
    official_name = models.CharField(_("统计名称"), max_length=100, blank=True)
    kind = models.CharField(_("层级"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(_("统计代码"), max_length=12, unique=True, null=True, blank=True)
    township_kind = models.CharField(
        _("乡镇类别"), max_length=16, choices=TownshipKind.choices, blank=True
    )
    community_type = models.CharField(
        _("社区类型"), max_length=8, choices=CommunityType.choices, blank=True
    )
    statistical_only = models.BooleanField(
        _("仅统计用"),
        default=False,
        help_text=_("统计部门设置、民政区划中没有的单位(如风景管理处、开发区)"),
    )
    mca_code = models.CharField(_("民政区划代码"), max_length=12, blank=True)
    mca_name = models.CharField(_("民政区划名称"), max_length=100, blank=True)
    active_from = models.DateField(_("启用日期"), null=True, blank=True)
    active_to = models.DateField(_("停用日期"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("合并或更名后的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    # The office's contacts, printed on every paper a resident or a court keeps.
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        indexes = [models.Index(fields=["kind", "community_type"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="community") & ~Q(community_type=""))
                | (~Q(kind="community") & Q(community_type="")),
                name="orgunit_community_type_iff_community",
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="orgunit_active_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit", args=[self.pk])

    @property
    def short_code(self) -> str:
        """The code without trailing zero groups, as people quote it (恩施市 → 422801)."""
        if not self.code:
            return ""
        code = self.code
        for width in (6, 9):
            if code[width:] == "0" * (12 - width):
                return code[:width]
        return code

    def is_active(self, on: Any = None) -> bool:
        day = on or timezone.localdate()
        return (self.active_from is None or self.active_from <= day) and (
            self.active_to is None or self.active_to >= day
        )

    def children(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.filter(path__startswith=self.path, depth=self.depth + 1)

    def parent_unit(self) -> OrgUnit | None:
        if self.depth <= 1:
            return None
        return OrgUnit.objects.filter(path=self.path[: -self.steplen]).first()

    def ancestors(self) -> OrgUnitQuerySet:
        """From the root down to the parent."""
        paths = [self.path[:n] for n in range(self.steplen, len(self.path), self.steplen)]
        return OrgUnit.objects.filter(path__in=paths)

    def descendants(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.filter(path__startswith=self.path, depth__gt=self.depth)

    def contains(self, other: OrgUnit) -> bool:
        """True when ``other`` is this unit or below it."""
        return other.path.startswith(self.path)


class Role(models.TextChoices):
    PREFECTURE_OFFICER = "prefecture_officer", _("州民政干部")
    COUNTY_OFFICER = "county_officer", _("县市民政干部")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇街道干部")
    PARTY_SECRETARY = "party_secretary", _("社区党组织书记")
    DIRECTOR = "director", _("居(村)委会主任")
    CLERK = "clerk", _("窗口工作人员")
    AGENT = "agent", _("代办员")
    GRID_WORKER = "grid_worker", _("网格员")
    MEDIATOR = "mediator", _("调解员")
    LEGAL_ADVISOR = "legal_advisor", _("法律顾问")
    VOLUNTEER = "volunteer", _("志愿者")


# The unit kinds each role's post may sit on.
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.PREFECTURE_OFFICER: frozenset({UnitKind.PREFECTURE}),
    Role.COUNTY_OFFICER: frozenset({UnitKind.COUNTY}),
    Role.TOWNSHIP_OFFICER: frozenset({UnitKind.TOWNSHIP}),
    Role.PARTY_SECRETARY: frozenset({UnitKind.COMMUNITY}),
    Role.DIRECTOR: frozenset({UnitKind.COMMUNITY}),
    Role.CLERK: frozenset({UnitKind.COMMUNITY}),
    Role.AGENT: frozenset({UnitKind.COMMUNITY}),
    Role.GRID_WORKER: frozenset({UnitKind.GRID}),
    Role.MEDIATOR: frozenset({UnitKind.COMMUNITY, UnitKind.TOWNSHIP}),
    Role.LEGAL_ADVISOR: frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.TOWNSHIP}),
    Role.VOLUNTEER: frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.GRID}),
}


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class PostQuerySet(models.QuerySet["Post"]):
    def active(self, on: Any = None) -> PostQuerySet:
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Post(models.Model):
    """A post (岗位) a person holds in a unit; a person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="posts"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="posts"
    )
    role = models.CharField(_("岗位"), max_length=24, choices=Role.choices)
    employment = models.CharField(
        _("专兼职"), max_length=12, choices=Employment.choices, default=Employment.FULL_TIME
    )
    civil_servant = models.BooleanField(_("公务员"), default=False)
    title = models.CharField(_("职务说明"), max_length=100, blank=True)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    # A retried form submission carries the same token and gets the first post back.
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        indexes = [models.Index(fields=["role", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="post_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="post_unique_open_role_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.get_role_display()}"

    def is_active(self, on: Any = None) -> bool:
        day = on or timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class Event(models.Model):
    """One row per state change, written by actions and by admin edits."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=36, blank=True)
    client_ip = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        indexes = [
            models.Index(fields=["unit", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:event", args=[self.pk])


class ApiToken(models.Model):
    """A personal token for the JSON API (``Authorization: Bearer …``).

    Only a SHA-256 of the token is stored, with a short prefix the owner recognises it
    by; the token itself is shown once, when it is made. Requests made with it act as
    its user, so every scope rule applies unchanged.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(_("前缀"), max_length=16)
    secret_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    # A retried form submission carries the same token and gets the first row back.
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("国务院节假日安排(chinese-calendar)")
    NOTICE = "notice", _("国务院通知(管理员导入)")
    ADMIN = "admin", _("管理员维护")


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday rule: a holiday or an adjusted working day.

    Dates without a row follow the rule. The calendar is national, so it has no org unit
    (the one table outside the tree: it belongs to no unit's data).
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)
    source = models.CharField(
        _("来源"), max_length=8, choices=CalendarSource.choices, default=CalendarSource.ADMIN
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        state = _("上班") if self.is_working_day else _("休息")
        return f"{self.date.isoformat()} {state} {self.note}".strip()


class CalendarYear(models.Model):
    """A year whose holiday arrangement (放假安排) is known, and where it came from.

    Beyond the last known year only weekends are known: due dates computed there are
    provisional and flagged until the State Council's notice is loaded.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=8, choices=CalendarSource.choices)
    reference = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("如:国办发明电〔2026〕X号")
    )
    loaded_at = models.DateTimeField(_("导入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("已知年度日历")
        verbose_name_plural = _("已知年度日历")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class WorkerHeartbeat(models.Model):
    """One row per running worker, touched on every loop; /healthz reads its age."""

    name = models.CharField(_("进程"), max_length=100, primary_key=True)
    started_at = models.DateTimeField(_("启动时间"))
    beat_at = models.DateTimeField(_("最近心跳"), db_index=True)
    loops = models.BigIntegerField(_("循环次数"), default=0)

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return self.name
