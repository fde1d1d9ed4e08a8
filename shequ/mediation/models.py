"""Dispute mediation (矛盾纠纷调解): who mediates, the disputes and their flow.

- **Who mediates**: people's mediation committees (人民调解委员会) per community, village
  or township with their members; mediators are kernel posts (``Role.MEDIATOR``); legal
  advisors (一村一法律顾问) assigned to villages and communities with their activity log;
  third-party bodies (trade union, youth league, women's federation, bar and consumer
  associations, resident units through 共驻共建, these pointing at ``people.ResidentUnit``).
- **Disputes**: registered, accepted or refused, mediated in sessions, ended with an
  agreement (written per 《人民调解法》第二十九条 or oral) or none, performance supervised by
  follow-up visits, closed and archived (一案一卷); transfers between people's,
  administrative, judicial and third-party mediation; judicial confirmation of agreements.
- **The law as data**: ``StatuteRule`` rows (committee size, the confirmation window, the
  court's days), each with its article and effective period.

Parties' ID numbers and phones are stored like the registry's: ciphertext, blind index,
masked copy.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, Post, User
from shequ.people.models import Gender, Resident, ResidentUnit

# --- the law as data ------------------------------------------------------------------


class RuleKey(models.TextChoices):
    COMMITTEE_SIZE = "committee_size", _("调解委员会组成人数")
    CONFIRMATION_WINDOW = "confirmation_window", _("申请司法确认期限")
    COURT_ACCEPT = "court_accept", _("法院受理司法确认申请期限")
    COURT_DECIDE = "court_decide", _("法院作出确认决定期限")
    MEMBER_TERM = "member_term", _("调解委员会委员任期")


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("日(期满逢法定休假日顺延)")
    WORKING = "working", _("工作日")
    YEARS = "years", _("年")
    PERSONS = "persons", _("人")


class StatuteRule(models.Model):
    """One statutory number in force over a period: a record is checked against the row
    in force on its date. ``confirmed`` is false for values not read in a primary text;
    the pages show them as settings to be checked."""

    key = models.CharField(_("规则"), max_length=24, choices=RuleKey.choices)
    minimum = models.PositiveIntegerField(_("下限"), null=True, blank=True)
    value = models.PositiveIntegerField(_("数值/上限"))
    kind = models.CharField(_("单位"), max_length=10, choices=DayKind.choices)
    article = models.CharField(_("依据条款"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    confirmed = models.BooleanField(_("已核对原文"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("调解法定规则")
        verbose_name_plural = _("调解法定规则")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="mediation_rule_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="mediation_rule_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.value}({self.article})"


# --- who mediates ---------------------------------------------------------------------


class Committee(models.Model):
    """A people's mediation committee (人民调解委员会) of a community, village or township."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    multi_ethnic = models.BooleanField(
        _("多民族聚居地区"), default=True, help_text=_("恩施为土家族苗族自治州,默认是")
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("设立时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="mediation_committee_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mediation:committee", args=[self.pk])


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    """A member of a committee, chosen by the residents' or villagers' meeting (第九条).

    ``resolution_id`` is the meeting's resolution in the governance app (read and checked
    through ``governance.figures``); ``resolution_ref`` is its label, or the number of a
    paper resolution taken before the platform."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("调解委员会"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=16, default="汉族")
    role = models.CharField(
        _("职务"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    post = models.ForeignKey(
        Post,
        verbose_name=_("调解员岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chosen_on = models.DateField(_("推选日期"))
    term_ends_on = models.DateField(_("任期届满"), null=True, blank=True)
    # Nullable on purpose: "not recorded" differs from "no resolution".
    resolution_ref = models.CharField(  # noqa: DJ001
        _("推选会议决议"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("平台上线前的纸质决议填其编号;平台上的决议记其名称"),
    )
    # An id, not a foreign key, so mediation and governance keep separate migration
    # histories (as building's 一事一议 projects do).
    resolution_id = models.BigIntegerField(_("推选会议决议(治理模块)"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解委员会委员")
        verbose_name_plural = _("调解委员会委员")
        ordering = ["committee", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name}({self.get_role_display()})"


class AdvisorAssignment(models.Model):
    """A legal advisor (法律顾问) assigned to a village or community (一村一法律顾问)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("服务村(社区)"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("法律顾问"), max_length=50)
    firm = models.CharField(_("律师事务所"), max_length=100)
    user = models.ForeignKey(
        User,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone_enc = models.TextField(_("手机(密文)"), blank=True)
    phone_masked = models.CharField(_("手机"), max_length=11, blank=True)
    started_on = models.DateField(_("聘任日期"))
    ended_on = models.DateField(_("解聘日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("法律顾问")
        verbose_name_plural = _("法律顾问")
        ordering = ["unit__path", "-started_on"]

    def __str__(self) -> str:
        return f"{self.name}({self.firm})"

    def get_absolute_url(self) -> str:
        return reverse("mediation:advisor", args=[self.pk])


class ActivityKind(models.TextChoices):
    PHONE = "phone", _("电话联系")
    ON_SITE = "on_site", _("到村(社区)服务")
    LECTURE = "lecture", _("法治讲座")
    CONSULTATION = "consultation", _("法律咨询")
    MEDIATION = "mediation", _("参与调解")
    DOCUMENT = "document", _("审核文书")


class AdvisorActivity(models.Model):
    """One thing a legal advisor did for the village (服务台账)."""

    assignment = models.ForeignKey(
        AdvisorAssignment,
        verbose_name=_("法律顾问"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("服务村(社区)"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("服务方式"), max_length=12, choices=ActivityKind.choices)
    on = models.DateField(_("日期"))
    note = models.CharField(_("内容"), max_length=300)
    dispute = models.ForeignKey(
        "Dispute",
        verbose_name=_("相关纠纷"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("法律顾问服务记录")
        verbose_name_plural = _("法律顾问服务记录")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["unit", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class BodyKind(models.TextChoices):
    TRADE_UNION = "trade_union", _("工会")
    YOUTH_LEAGUE = "youth_league", _("共青团")
    WOMENS_FEDERATION = "womens_federation", _("妇联")
    BAR_ASSOCIATION = "bar_association", _("律师协会")
    CONSUMER_ASSOCIATION = "consumer_association", _("消费者协会")
    RESIDENT_UNIT = "resident_unit", _("驻区单位(共驻共建)")
    OTHER = "other", _("其他社会组织")


class ThirdParty(models.Model):
    """A third-party body taking part in mediation (第三方调解)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=24, choices=BodyKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    resident_unit = models.ForeignKey(
        ResidentUnit,
        verbose_name=_("驻区单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_enc = models.TextField(_("联系电话(密文)"), blank=True)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=11, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("第三方调解组织")
        verbose_name_plural = _("第三方调解组织")
        ordering = ["unit__path", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="resident_unit") | Q(resident_unit__isnull=False),
                name="mediation_thirdparty_resident_unit_named",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- disputes -------------------------------------------------------------------------


class DisputeKind(models.TextChoices):
    MARRIAGE_FAMILY = "marriage_family", _("婚姻家庭")
    NEIGHBOUR = "neighbour", _("邻里")
    HOMESTEAD = "homestead", _("房屋宅基地")
    CONTRACT = "contract", _("合同")
    BUSINESS = "business", _("生产经营")
    DAMAGES = "damages", _("损害赔偿")
    FOREST_LAND = "forest_land", _("山林土地")
    EXPROPRIATION = "expropriation", _("征地拆迁")
    ENVIRONMENT = "environment", _("环境污染")
    LABOUR = "labour", _("劳动争议")
    CONSUMER = "consumer", _("消费")
    MEDICAL = "medical", _("医疗")
    TRAFFIC = "traffic", _("道路交通")
    PROPERTY_MGMT = "property_mgmt", _("物业")
    OTHER = "other", _("其它")


class Source(models.TextChoices):
    APPLICATION = "application", _("当事人申请")
    INITIATIVE = "initiative", _("主动调解")
    REFERRAL = "referral", _("委托移送")


class Referrer(models.TextChoices):
    COURT = "court", _("人民法院")
    POLICE = "police", _("公安机关")
    PETITION = "petition", _("信访部门")
    HOTLINE = "hotline", _("12345热线")
    GRID = "grid", _("网格员上报")
    OTHER = "other", _("其他单位")


class MediationType(models.TextChoices):
    PEOPLES = "peoples", _("人民调解")
    ADMINISTRATIVE = "administrative", _("行政调解")
    JUDICIAL = "judicial", _("司法调解")
    THIRD_PARTY = "third_party", _("第三方调解")


class DisputeStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    MEDIATING = "mediating", _("调解中")
    TRANSFERRED = "transferred", _("已移交")
    PERFORMING = "performing", _("履行监督")
    ENDED = "ended", _("调解终结")
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")


OPEN_STATUSES = (
    DisputeStatus.REGISTERED,
    DisputeStatus.ACCEPTED,
    DisputeStatus.MEDIATING,
    DisputeStatus.TRANSFERRED,
)
# While the time limit runs (overdue is a query over these).
TIMED_STATUSES = (DisputeStatus.ACCEPTED, DisputeStatus.MEDIATING)


class RefusalReason(models.TextChoices):
    COURT_ACCEPTED = "court_accepted", _("人民法院已受理")
    POLICE_ACCEPTED = "police_accepted", _("公安机关已受理")
    AGENCY_ACCEPTED = "agency_accepted", _("其他国家机关已受理")
    SPECIALISED = "specialised", _("法律规定由专门机关管辖")
    PARTY_REFUSES = "party_refuses", _("一方当事人明确拒绝调解")


class Outcome(models.TextChoices):
    AGREED = "agreed", _("调解成功")
    NO_AGREEMENT = "no_agreement", _("调解不成")
    TRANSFERRED = "transferred", _("移交处理")


class DisputeQuerySet(models.QuerySet["Dispute"]):
    def open(self) -> DisputeQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> DisputeQuerySet:
        return self.filter(status__in=TIMED_STATUSES, due_at__lt=now or timezone.now())


class Dispute(models.Model):
    """One dispute (矛盾纠纷) and its case file (一案一卷)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("纠纷发生地"), on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("调解委员会"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    number = models.CharField(_("案号"), max_length=24, blank=True, db_index=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    referrer = models.CharField(
        _("移送单位类别"), max_length=10, choices=Referrer.choices, blank=True
    )
    referrer_name = models.CharField(_("移送单位"), max_length=100, blank=True)
    referrer_ref = models.CharField(_("移送文号"), max_length=60, blank=True)
    kind = models.CharField(_("纠纷类型"), max_length=16, choices=DisputeKind.choices)
    summary = models.TextField(_("纠纷简要情况"))
    place = models.CharField(_("发生地点"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    risk_criminal = models.BooleanField(_("有民转刑风险"), default=False)
    risk_group = models.BooleanField(_("有群体性上访风险"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=DisputeStatus.choices,
        default=DisputeStatus.REGISTERED,
        db_index=True,
    )
    mediation_type = models.CharField(
        _("调解类型"), max_length=16, choices=MediationType.choices, default=MediationType.PEOPLES
    )
    handling_body = models.CharField(_("当前承办单位"), max_length=100, blank=True)
    third_party = models.ForeignKey(
        ThirdParty,
        verbose_name=_("第三方调解组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mediator = models.ForeignKey(
        User,
        verbose_name=_("主持调解员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    advisor = models.ForeignKey(
        AdvisorAssignment,
        verbose_name=_("参与的法律顾问"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "services.Case",
        verbose_name=_("求助办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("群众求助的现场响应办件(一刻钟到场)"),
    )
    received_at = models.DateTimeField(_("登记时间"), db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("调解期限"), null=True, blank=True, db_index=True)
    limit_days = models.PositiveSmallIntegerField(_("调解期限(工作日)"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("延长(工作日)"), default=0)
    reminded_for_due_at = models.DateTimeField(null=True, blank=True)
    escalated_for_due_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(
        _("不予受理理由"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    refusal_note = models.CharField(_("不予受理说明"), max_length=300, blank=True)
    outcome = models.CharField(_("调解结果"), max_length=14, choices=Outcome.choices, blank=True)
    ended_at = models.DateTimeField(_("调解结束时间"), null=True, blank=True)
    routes_told = models.CharField(_("告知的其他途径"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    archive_number = models.CharField(_("卷宗号"), max_length=30, blank=True)
    result_returned_at = models.DateTimeField(_("结果回复移送单位时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    reported_by = models.ForeignKey(
        User,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["committee", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="mediation_dispute_refusal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or self.pk} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:dispute", args=[self.pk])

    @property
    def agreement(self) -> Agreement | None:
        """The agreement in force (a refused confirmation and re-mediation supersede it)."""
        return self.agreements.filter(superseded=False).order_by("-pk").first()

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return (
            self.status in TIMED_STATUSES
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )


class Side(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")
    OTHER = "other", _("其他当事人")


class Party(models.Model):
    """A party: a resident from the registry or an outsider; numbers stored like the
    registry's (ciphertext, blind index, masked copy)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="parties"
    )
    side = models.CharField(_("当事人类别"), max_length=10, choices=Side.choices)
    resident = models.ForeignKey(
        Resident,
        verbose_name=_("登记居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名或名称"), max_length=100)
    gender = models.CharField(_("性别"), max_length=6, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=16, blank=True)
    id_number_enc = models.TextField(_("身份证号(密文)"), blank=True)
    id_number_index = models.CharField(_("身份证号索引"), max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone_enc = models.TextField(_("手机号(密文)"), blank=True)
    phone_index = models.CharField(_("手机号索引"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute", "side", "pk"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One mediation session (调解记录, 第二十七条)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=200)
    mediator = models.ForeignKey(
        User, verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.CharField(_("参加人员"), max_length=300)
    record = models.TextField(_("调解记录"))
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute", "held_at"]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.place}"


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议")


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", _("确认有效")
    REFUSED = "refused", _("驳回申请")


class Agreement(models.Model):
    """The mediation agreement (调解协议, 第二十八、二十九条) and its judicial confirmation
    (第三十三条 and the Civil Procedure Law)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="agreements"
    )
    superseded = models.BooleanField(
        _("已失效"), default=False, help_text=_("司法确认被驳回后重新调解的,原协议失效")
    )
    form = models.CharField(_("协议形式"), max_length=8, choices=AgreementForm.choices)
    facts = models.TextField(_("纠纷主要事实、争议事项"))
    liability = models.TextField(_("各方当事人的责任"), blank=True)
    terms = models.TextField(_("协议内容"))
    performance_manner = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("协议份数"), default=3)
    effective_on = models.DateField(_("生效日期"))
    confirmation_due_on = models.DateField(_("申请司法确认截止日"), null=True, blank=True)
    confirmation_rule = models.ForeignKey(
        StatuteRule,
        verbose_name=_("适用规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_for_due_on = models.DateField(null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=100, blank=True)
    applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    decision = models.CharField(_("法院裁定"), max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("裁定日期"), null=True, blank=True)
    decision_note = models.CharField(_("裁定说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")
        indexes = [models.Index(fields=["confirmation_due_on"])]

    def __str__(self) -> str:
        return f"{self.dispute} {self.get_form_display()}"


class FollowUpResult(models.TextChoices):
    PERFORMED = "performed", _("已履行")
    PARTLY = "partly", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")


class FollowUp(models.Model):
    """A follow-up visit (回访) supervising performance (第三十一条)."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    visited_on = models.DateField(_("回访日期"))
    visited_by = models.ForeignKey(
        User, verbose_name=_("回访人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(_("履行情况"), max_length=14, choices=FollowUpResult.choices)
    note = models.CharField(_("回访情况"), max_length=300)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["dispute", "visited_on", "pk"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_result_display()}"


class Transfer(models.Model):
    """A move between mediation types or bodies (三调联动, 诉调对接), with a receipt each
    way: the sender's number, and the receiver's acknowledgement."""

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("纠纷"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_type = models.CharField(_("移出类型"), max_length=16, choices=MediationType.choices)
    to_type = models.CharField(_("移入类型"), max_length=16, choices=MediationType.choices)
    from_body = models.CharField(_("移出单位"), max_length=100)
    to_body = models.CharField(_("接收单位"), max_length=100)
    to_committee = models.ForeignKey(
        Committee,
        verbose_name=_("接收调解委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("移交理由"), max_length=300)
    receipt_number = models.CharField(_("移交回执号"), max_length=30, unique=True)
    sent_at = models.DateTimeField(_("移交时间"))
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    received_by_name = models.CharField(_("接收人"), max_length=50, blank=True)
    returned = models.BooleanField(_("退回/回转"), default=False)
    result = models.CharField(_("处理结果"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("移交记录")
        verbose_name_plural = _("移交记录")
        ordering = ["dispute", "sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.from_body} → {self.to_body}"
