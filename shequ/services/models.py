"""Public services: the service catalogue (事项目录) and cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, User


class WindowType(models.Model):
    """A kind of window in a community's one-stop hall (劳动就业, 民政, 信访接待 …).

    Types are set by the prefecture (``unit``) for every hall below it; a county may add
    its own.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("设定单位"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口类型")
        verbose_name_plural = _("窗口类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceCategory(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("社会救助")
    SOCIAL_WELFARE = "social_welfare", _("社会福利与养老")
    DISABILITY = "disability", _("残疾人服务")
    EMPLOYMENT = "employment", _("就业创业")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险")
    FAMILY_PLANNING = "family_planning", _("计划生育")
    RESIDENCE = "residence", _("户籍居住")
    PETITION = "petition", _("信访求助")
    MEDIATION = "mediation", _("调解与法律服务")
    COMMUNITY = "community", _("社区事务与便民服务")


class HandlingLevel(models.TextChoices):
    COMMUNITY = "community", _("社区办结")
    TOWNSHIP = "township", _("报乡镇(街道)办理")
    COUNTY = "county", _("报县市部门办理")


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    COMMITMENT = "commitment", _("承诺件")
    ON_SITE = "on_site", _("现场响应")


class ServiceItem(models.Model):
    """One matter in the service catalogue (事项目录) and its guide (办事指南).

    Limits are in working days from acceptance; an immediate item has none (it is done
    within the quarter hour). ``unit`` is the unit that publishes the item: the prefecture
    for the common catalogue.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("事项编码"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=100)
    category = models.CharField(_("类别"), max_length=20, choices=ServiceCategory.choices)
    window_type = models.ForeignKey(
        WindowType, verbose_name=_("受理窗口"), on_delete=models.PROTECT, related_name="items"
    )
    handling_level = models.CharField(_("办理层级"), max_length=10, choices=HandlingLevel.choices)
    handled_by = models.CharField(
        _("办理部门"), max_length=100, blank=True, help_text=_("报上级办理时的承办部门")
    )
    kind = models.CharField(_("办件类型"), max_length=10, choices=ItemKind.choices)
    legal_limit_days = models.PositiveSmallIntegerField(_("法定时限(工作日)"), default=0)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限(工作日)"), default=0)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    fee_yuan = models.DecimalField(_("收费标准(元)"), max_digits=8, decimal_places=2, default=0)
    fee_note = models.CharField(_("收费说明"), max_length=200, blank=True)
    guide = models.TextField(_("办事指南"), blank=True)
    visits_needed = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    agency_allowed = models.BooleanField(_("可全程代理"), default=True)
    village_point_allowed = models.BooleanField(_("村级服务点可办"), default=False)
    public = models.BooleanField(_("可网上申请"), default=False)
    certificate_title = models.CharField(
        _("出具证明"),
        max_length=50,
        blank=True,
        help_text=_("办结时出具并打印的证明名称(如“居住情况证明”);不出具证明的事项留空"),
    )
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["sort_order", "code"]
        indexes = [models.Index(fields=["window_type", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=F("legal_limit_days")),
                name="serviceitem_promised_within_legal",
            ),
            models.CheckConstraint(
                condition=~Q(kind="immediate") | Q(legal_limit_days=0),
                name="serviceitem_immediate_has_no_limit",
            ),
            models.CheckConstraint(
                condition=Q(kind="immediate") | Q(legal_limit_days__gt=0),
                name="serviceitem_other_kinds_have_a_limit",
            ),
            models.CheckConstraint(
                condition=Q(fee_yuan__gte=0), name="serviceitem_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:item", args=[self.code])

    @property
    def sent_up(self) -> bool:
        return self.handling_level != HandlingLevel.COMMUNITY


class Requirement(models.TextChoices):
    REQUIRED = "required", _("必须提交")
    DEFERRABLE = "deferrable", _("容缺(可承诺后补)")


class ServiceMaterial(models.Model):
    """A material an item needs; a deferrable one may follow on a signed commitment."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials"
    )
    name = models.CharField(_("材料名称"), max_length=100)
    requirement = models.CharField(
        _("要求"), max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="servicematerial_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    HOTLINE = "hotline", _("服务热线")
    AGENCY = "agency", _("代理站点")
    VILLAGE_POINT = "village_point", _("村级服务点")
    ONLINE = "online", _("网上申请")
    PATROL = "patrol", _("网格员巡查")
    API = "api", _("接口")


class ApplicantKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    RESIDENT_UNIT = "resident_unit", _("驻区单位")
    CALLER = "caller", _("来电人")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    RETURNED = "returned", _("待补正")
    REFUSED = "refused", _("不予受理")
    IN_PROGRESS = "in_progress", _("办理中")
    SENT_UP = "sent_up", _("已报上级")
    COMPLETED = "completed", _("已办结")
    CLOSED = "closed", _("已归档")


# Statuses in which the case is still someone's work (the queue; "overdue" looks here).
OPEN_CASE_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.ACCEPTED,
    CaseStatus.RETURNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SENT_UP,
)
# Open statuses in which the case's clock runs: all but waiting for the applicant's
# correction (its clock stands). "Overdue" is one of these past ``due_at``.
RUNNING_CASE_STATUSES = tuple(s for s in OPEN_CASE_STATUSES if s != CaseStatus.RETURNED)
# The same, as the plain strings the partial indexes' conditions are written with.
_OPEN = [str(s.value) for s in OPEN_CASE_STATUSES]
_RUNNING = [str(s.value) for s in RUNNING_CASE_STATUSES]
# Statuses in which nothing more will be done on the case (an agency case waits for no
# more from it); of those, the ones where it was done (it may be rated).
FINAL_CASE_STATUSES = (CaseStatus.COMPLETED, CaseStatus.CLOSED, CaseStatus.REFUSED)
DONE_CASE_STATUSES = (CaseStatus.COMPLETED, CaseStatus.CLOSED)


# Channels where someone is waiting (at a window, a station, on the phone, on patrol).
QUARTER_HOUR_CHANNELS = ("window", "hotline", "agency", "village_point", "patrol")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_CASE_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> CaseQuerySet:
        """Open cases past their due time: a query on the indexed ``due_at``, not a flag.
        A case waiting for the applicant's correction is not overdue (its clock stands)."""
        return self.filter(status__in=RUNNING_CASE_STATUSES, due_at__lt=now or timezone.now())


class Case(models.Model):
    """A request (办件) from one applicant for one catalogue item.

    ``unit`` is the community (or village) that received it and owns it for scope;
    ``handling_unit`` is whose queue it is in (a township or county after it was sent up).
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("办件编号"), max_length=20, unique=True, null=True, blank=True)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases"
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    org_name = models.CharField(_("单位名称"), max_length=100, blank=True)
    org_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_enc = models.TextField(_("联系电话(密文)"), blank=True)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=11, blank=True)
    summary = models.TextField(_("诉求摘要"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("承诺办结时间"), null=True, blank=True, db_index=True)
    legal_due_at = models.DateTimeField(_("法定办结时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到达现场时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    deferred_materials = models.JSONField(_("容缺材料"), default=list, blank=True)
    materials_due_on = models.DateField(_("容缺材料补交期限"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    # The quarter-hour rule (一刻钟): the deadline, and the verdict once it is known. It
    # applies to requests presented in person or by phone, not to online or API filings.
    quarter_hour_applies = models.BooleanField(_("适用一刻钟"), default=True)
    quarter_hour_due_at = models.DateTimeField(_("一刻钟时限"), db_index=True)
    quarter_hour_met = models.BooleanField(_("一刻钟达标"), null=True, blank=True)
    quarter_hour_at = models.DateTimeField(_("一刻钟判定时间"), null=True, blank=True)
    # The due time the worker last reminded or escalated for (a moved due date re-arms it).
    reminded_for_due_at = models.DateTimeField(_("已提醒的到期时间"), null=True, blank=True)
    escalated_for_due_at = models.DateTimeField(_("已督办的到期时间"), null=True, blank=True)
    # A due date computed past the last year whose holidays are loaded (it may move when
    # the State Council's notice is imported; the worker then recomputes it).
    deadline_provisional = models.BooleanField(_("时限待节假日安排确认"), default=False)
    deadlines_at = models.DateTimeField(_("时限计算时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [
            models.Index(fields=["handling_unit", "status"]),
            models.Index(fields=["unit", "-received_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["received_at"], name="case_received_at_idx"),
            # The work in hand, a few thousand rows however many millions are closed: the
            # queue (a unit's open cases, newest first) and overdue (a unit's, or all,
            # past due). Queries match these conditions literally (``status__in`` the
            # same tuple), so that the planner may use them.
            models.Index(
                fields=["unit", "-received_at"],
                condition=Q(status__in=_OPEN),
                name="case_open_unit_received_idx",
            ),
            models.Index(
                fields=["unit", "due_at"],
                condition=Q(status__in=_RUNNING),
                name="case_running_unit_due_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=_RUNNING),
                name="case_running_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(applicant_kind="resident") & Q(resident__isnull=False))
                | (Q(applicant_kind="resident_unit") & ~Q(org_name=""))
                | (Q(applicant_kind="caller") & ~Q(contact_name="")),
                name="case_applicant_complete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.item.name}"

    def get_absolute_url(self) -> str:
        return reverse("services:case", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CASE_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_CASE_STATUSES

    @property
    def is_done(self) -> bool:
        """Completed or filed: the applicant may rate it."""
        return self.status in DONE_CASE_STATUSES

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """The same rule as ``CaseQuerySet.overdue``, for one case."""
        return (
            self.is_open
            and self.status != CaseStatus.RETURNED
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )

    @property
    def applicant_name(self) -> str:
        if self.applicant_kind == ApplicantKind.RESIDENT and self.resident is not None:
            return self.resident.name
        if self.applicant_kind == ApplicantKind.RESIDENT_UNIT:
            return self.org_name
        return self.contact_name


class CasePause(models.Model):
    """The clock stands while the applicant corrects materials (补正)."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="pauses"
    )
    started_at = models.DateTimeField(_("暂停时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    missing_materials = models.JSONField(_("需补正材料"), default=list)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="casepause_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_at:%Y-%m-%d}"


class CaseEvent(models.Model):
    """The case's timeline as clerk and applicant see it (the audit log has the rest)."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(_("环节"), max_length=32)
    status = models.CharField(_("状态"), max_length=12, choices=CaseStatus.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办件环节")
        verbose_name_plural = _("办件环节")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verb}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class CaseExtension(models.Model):
    """A request to extend a case's promised limit; a supervisor decides it (延期审批)."""

    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="caseextension_one_pending"
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="caseextension_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


# --- the one-stop hall (便民服务大厅): windows and the queue ---------------------------


class ServiceHall(models.Model):
    """A community's one-stop hall. Its devices (kiosk, screen, rating pads) are bound to
    it by ``device_key``, a secret in their URL issued (and rotated) by a community lead."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="service_hall"
    )
    name = models.CharField(_("名称"), max_length=100)
    opening_hours = models.CharField(
        _("办公时间"), max_length=200, default="周一至周五 8:30-12:00 14:00-17:30"
    )
    device_key = models.CharField(_("设备密钥"), max_length=64, unique=True)
    device_key_issued_at = models.DateTimeField(_("密钥签发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("便民服务大厅")
        verbose_name_plural = _("便民服务大厅")

    def __str__(self) -> str:
        return self.name


class HallWindow(models.Model):
    """A numbered window of a hall, of one window type, staffed by a post."""

    hall = models.ForeignKey(
        ServiceHall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("窗口号"))
    window_type = models.ForeignKey(
        WindowType, verbose_name=_("窗口类型"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        "orgs.Post",
        verbose_name=_("值守岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="hallwindow_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口 {self.window_type.name}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    DONE = "done", _("已办理")
    SKIPPED = "skipped", _("过号")


class Ticket(models.Model):
    """A queue number (排队号) taken at the kiosk. ``seq`` counts per hall and day.
    Waiting time is ``called_at - taken_at``; service time ``finished_at - called_at``."""

    hall = models.ForeignKey(
        ServiceHall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="tickets"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    window_type = models.ForeignKey(
        WindowType, verbose_name=_("业务类型"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    seq = models.PositiveIntegerField(_("序号"))
    status = models.CharField(
        _("状态"), max_length=8, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    # A transferred ticket waits for one window; otherwise any window of its type calls it.
    window = models.ForeignKey(
        HallWindow,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    taken_at = models.DateTimeField(_("取号时间"), default=timezone.now)
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("重呼时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    called_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.OneToOneField(
        Case,
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ticket",
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        indexes = [models.Index(fields=["hall", "status", "taken_at"])]
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "seq"], name="ticket_unique_seq")
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"A{self.seq:03d}"

    @property
    def waiting_seconds(self) -> int | None:
        if self.called_at is None:
            return None
        return int((self.called_at - self.taken_at).total_seconds())

    @property
    def service_seconds(self) -> int | None:
        if self.called_at is None or self.finished_at is None:
            return None
        return int((self.finished_at - self.called_at).total_seconds())


# --- ratings (好差评), rectification (整改), appeals ---------------------------------


class Grade(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# A good rating (好评) is 基本满意 or better; 不满意 and 非常不满意 are bad (差评).
GOOD_GRADE_MIN = 3
SECOND_GRADES = (Grade.SATISFIED, Grade.BASICALLY_SATISFIED, Grade.DISSATISFIED)


class RatingChannel(models.TextChoices):
    PAD = "pad", _("窗口评价器")
    LINK = "link", _("短信链接")
    PHONE = "phone", _("电话回访(工作人员代录)")


# The national criteria: on site (pad, phone) and online (message link).
ONSITE_CRITERIA = {
    "overall": _("总体评价"),
    "efficiency": _("办事效率"),
    "service_level": _("服务水平"),
    "attitude": _("服务态度"),
}
ONLINE_CRITERIA = {
    "overall": _("总体评价"),
    "efficiency": _("办事效率"),
    "guide_accuracy": _("办事指南准确性"),
    "convenience": _("办事便捷程度"),
    "usability": _("平台易用性"),
}


def criteria_for(channel: str) -> dict[str, Any]:
    return ONLINE_CRITERIA if channel == RatingChannel.LINK else ONSITE_CRITERIA


class Rating(models.Model):
    """The applicant's rating of a closed case: one per case (a case has one applicant).
    ``counted`` turns false when an appeal is upheld; the row stays on record."""

    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="rating"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("受理单位"), on_delete=models.PROTECT, related_name="+"
    )
    handling_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("办理单位"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("评价渠道"), max_length=8, choices=RatingChannel.choices)
    grade = models.PositiveSmallIntegerField(_("评价"), choices=Grade.choices)
    criteria = models.JSONField(_("分项评价"), default=dict, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    rated_at = models.DateTimeField(_("评价时间"), default=timezone.now)
    counted = models.BooleanField(_("计入统计"), default=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        indexes = [models.Index(fields=["unit", "rated_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="rating_grade")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_grade_display()}"

    @property
    def good(self) -> bool:
        return self.grade >= GOOD_GRADE_MIN


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    VERIFIED = "verified", _("已核实")
    FIXED = "fixed", _("已整改")
    REPLIED = "replied", _("已答复")
    DONE = "done", _("已回访")


OPEN_RECTIFICATION_STATUSES = (
    RectificationStatus.OPEN,
    RectificationStatus.VERIFIED,
    RectificationStatus.FIXED,
    RectificationStatus.REPLIED,
)


class RectificationQuerySet(models.QuerySet["Rectification"]):
    def open(self) -> RectificationQuerySet:
        return self.filter(status__in=OPEN_RECTIFICATION_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> RectificationQuerySet:
        return self.open().filter(due_at__lt=now or timezone.now())


class Rectification(models.Model):
    """整改 of a bad rating by the unit that handled the case: verify, fix, reply, return
    visit (回访) with the applicant's second rating."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="rectification"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    due_at = models.DateTimeField(_("整改期限"), db_index=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verify_note = models.TextField(_("核实情况"), blank=True)
    fixed_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    fix_note = models.TextField(_("整改措施"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_note = models.TextField(_("答复内容"), blank=True)
    followed_up_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    follow_up_note = models.TextField(_("回访情况"), blank=True)
    second_grade = models.PositiveSmallIntegerField(
        _("回访评价"), choices=Grade.choices, null=True, blank=True
    )
    escalated_for_due_at = models.DateTimeField(_("已督办的期限"), null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(second_grade__isnull=True) | Q(second_grade__in=[4, 3, 2]),
                name="rectification_second_grade",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating.case_id} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("services:rectification", args=[self.pk])


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待裁决")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉不成立")


class RatingAppeal(models.Model):
    """A staff member's appeal against a rating made in error (误评); a supervisor
    decides. An upheld appeal drops the rating from the figures; both stay on record."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(
        _("状态"), max_length=8, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, verbose_name=_("申诉人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("裁决人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("裁决时间"), null=True, blank=True)
    decision_note = models.TextField(_("裁决意见"), blank=True)

    class Meta:
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(status="pending"), name="ratingappeal_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.get_status_display()}"
