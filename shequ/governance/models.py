"""Resident self-governance (居民自我管理): the law as data, meetings with their quorums,
requests to convene, representatives and groups, committees and their terms, charters
and conventions, supervision committees and democratic evaluation.

Thresholds live in ``Rule`` rows (statute, version, article, effective period); every
check reads the rows in force on the record's date (``shequ.governance.law``). Changes
go through ``shequ.governance.actions``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, User
from shequ.people.models import Household, Resident

# --- the law as data -----------------------------------------------------------------------


class Statute(models.TextChoices):
    VILLAGE = "village", _("《村民委员会组织法》")
    URBAN = "urban", _("《城市居民委员会组织法》")


class MeetingType(models.TextChoices):
    RESIDENTS = "residents", _("居民会议")
    RESIDENTS_REPS = "residents_reps", _("居民代表会议")
    VILLAGERS = "villagers", _("村民会议")
    VILLAGERS_REPS = "villagers_reps", _("村民代表会议")
    VILLAGER_GROUP = "villager_group", _("村民小组会议")
    RESIDENT_GROUP = "resident_group", _("居民小组会议")
    JOINT = "joint", _("两委联席会议")


class RuleKind(models.TextChoices):
    QUORUM = "quorum", _("出席人数(法定人数)")
    MAJORITY = "majority", _("表决通过")
    CONVENE_REQUEST = "convene_request", _("提议召集")
    NOTICE_DAYS = "notice_days", _("提前通知天数")
    REPS_SHARE = "reps_share", _("代表占组成人员比例")
    WOMEN_SHARE = "women_share", _("妇女代表比例")
    REP_MIN_HOUSEHOLDS = "rep_min_households", _("每名代表联系户数(下限)")
    REP_MAX_HOUSEHOLDS = "rep_max_households", _("每名代表联系户数(上限)")
    TERM_YEARS = "term_years", _("委员会任期(年)")
    RECALL_REQUEST = "recall_request", _("罢免提议")
    RECALL_VALID = "recall_valid", _("罢免投票有效")
    RECALL_PASS = "recall_pass", _("罢免通过")
    EVALUATION_UNFIT = "evaluation_unfit", _("评议不称职")
    REQUEST_ANSWER_DAYS = "request_answer_days", _("提议召集后应召开期限(天)")


class Basis(models.TextChoices):
    ADULTS = "adults", _("年满十八周岁的村(居)民")
    HOUSEHOLDS = "households", _("户的代表")
    REPRESENTATIVES = "representatives", _("村(居)民代表")
    GROUPS = "groups", _("村(居)民小组")
    MEMBERS = "members", _("会议组成人员")
    PRESENT = "present", _("到会人员")
    VOTERS = "voters", _("登记选民")
    VOTES_CAST = "votes_cast", _("投票人数")
    NONE = "none", _("(数值)")


class Rule(models.Model):
    """One statutory threshold: ``value`` (a fraction ``num/den`` of ``basis``, or a plain
    number of days/years when ``basis`` is none), strictly more than it when ``strict``.

    Several rows of one kind, meeting type and period are alternatives: any one met
    suffices (村民会议: more than half of the adults, or two thirds of the households).
    A row the reference could not confirm is ``confirmed = False``: it is a setting the
    prefecture may edit, shown as such wherever it is applied."""

    statute = models.CharField(_("法律"), max_length=8, choices=Statute.choices)
    version = models.CharField(_("版本"), max_length=40)
    meeting_type = models.CharField(
        _("会议类型"), max_length=16, choices=MeetingType.choices, blank=True
    )
    kind = models.CharField(_("门槛类别"), max_length=24, choices=RuleKind.choices)
    basis = models.CharField(_("计算基数"), max_length=16, choices=Basis.choices)
    num = models.PositiveIntegerField(_("分子"))
    den = models.PositiveIntegerField(_("分母"), default=1)
    strict = models.BooleanField(_("须超过(而非达到)"), default=False)
    article = models.CharField(_("条款"), max_length=80)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    confirmed = models.BooleanField(_("已核实原文"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("法定门槛")
        verbose_name_plural = _("法定门槛")
        ordering = ["statute", "effective_from", "meeting_type", "kind", "pk"]
        indexes = [models.Index(fields=["statute", "kind", "meeting_type"])]
        constraints = [
            models.CheckConstraint(condition=Q(den__gt=0), name="rule_den_positive"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rule_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_statute_display()}{self.version} {self.article} {self.describe()}"

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.num, self.den)

    def describe(self) -> str:
        if self.basis == Basis.NONE:
            return str(self.num)
        share = f"{self.num}/{self.den}" if self.den != 1 else str(self.num)
        return f"{'>' if self.strict else '≥'} {share} {self.get_basis_display()}"

    def met(self, count: int, base: int) -> bool:
        """``count`` out of ``base`` reaches the threshold (an empty base never does)."""
        if base <= 0:
            return False
        if self.strict:
            return count * self.den > self.num * base
        return count * self.den >= self.num * base

    def needed(self, base: int) -> int:
        """The smallest count that meets the threshold out of ``base``."""
        need = (self.num * base) // self.den
        if self.strict or need * self.den < self.num * base:
            need += 1
        return max(need, 1)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


# --- groups, representatives, committees ----------------------------------------------------


class GroupKind(models.TextChoices):
    VILLAGER = "villager", _("村民小组")
    RESIDENT = "resident", _("居民小组")


class Group(models.Model):
    """A 村民小组 / 居民小组 of a community; ``area`` is the village or grid it covers."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(_("名称"), max_length=50)
    area = models.ForeignKey(
        OrgUnit,
        verbose_name=_("覆盖的村或网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader = models.ForeignKey(
        Resident,
        verbose_name=_("组长"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    households = models.ManyToManyField(Household, verbose_name=_("所辖户"), blank=True)

    class Meta:
        verbose_name = _("村(居)民小组")
        verbose_name_plural = _("村(居)民小组")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Representative(models.Model):
    """A 居民代表 / 村民代表 with a term, for some households or a group."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("代表"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("所属小组"), null=True, blank=True, on_delete=models.PROTECT
    )
    households = models.PositiveIntegerField(_("联系户数"), default=0)
    term_from = models.DateField(_("任期起"))
    term_to = models.DateField(_("任期止"), db_index=True)
    # The term end the leads were last told about (``actions.remind_expiring_terms``).
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("村(居)民代表")
        verbose_name_plural = _("村(居)民代表")
        ordering = ["unit", "resident__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_to__gte=models.F("term_from")), name="rep_term_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.resident.name


class CommitteeKind(models.TextChoices):
    VILLAGE = "village", _("村民委员会")
    RESIDENTS = "residents", _("居民委员会")
    SUPERVISION = "supervision", _("村(居)务监督委员会")


class Committee(models.Model):
    """A committee's term: the village/residents' committee or the supervision committee."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("委员会"), max_length=12, choices=CommitteeKind.choices)
    elected_on = models.DateField(_("选举日期"))
    term_to = models.DateField(_("任期届满"), db_index=True)
    resolution = models.ForeignKey(
        "Resolution",
        verbose_name=_("选举决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("换届/终止日期"), null=True, blank=True)
    # The term end the leads were last told about (``actions.remind_expiring_terms``).
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("委员会届次")
        verbose_name_plural = _("委员会届次")
        ordering = ["unit", "kind", "-elected_on"]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.get_kind_display()}({self.elected_on:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("governance:committee", args=[self.pk])


class MemberPost(models.TextChoices):
    DIRECTOR = "director", _("主任")
    DEPUTY = "deputy", _("副主任")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    committee = models.ForeignKey(
        Committee, verbose_name=_("委员会"), on_delete=models.CASCADE, related_name="members"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("职务"), max_length=10, choices=MemberPost.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("平台账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("成员在平台有岗位时,罢免或评议不称职终止职务时一并终止其岗位。"),
    )
    accounting_skill = models.BooleanField(_("具备财会知识"), default=False)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("委员会成员")
        verbose_name_plural = _("委员会成员")
        ordering = ["committee", "post", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "resident"], name="committee_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident.name}({self.get_post_display()})"


class DeclaredRelation(models.Model):
    """A close kinship the registry's households do not show (e.g. a married daughter in
    another household), declared for the supervision committee's eligibility check."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    a = models.ForeignKey(
        Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="+"
    )
    b = models.ForeignKey(
        Resident, verbose_name=_("近亲属"), on_delete=models.CASCADE, related_name="+"
    )
    relation = models.CharField(_("关系"), max_length=30)

    class Meta:
        verbose_name = _("申报的近亲属关系")
        verbose_name_plural = _("申报的近亲属关系")

    def __str__(self) -> str:
        return f"{self.a.name} — {self.b.name}({self.relation})"


# --- requests to convene and meetings -------------------------------------------------------


class RequestStatus(models.TextChoices):
    VALID = "valid", _("有效,待召集")
    INSUFFICIENT = "insufficient", _("人数不足")
    CONVENED = "convened", _("已召集")


class ConveneRequest(models.Model):
    """Residents' or representatives' request that a meeting be convened (提议召集)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    meeting_type = models.CharField(_("会议类型"), max_length=16, choices=MeetingType.choices)
    basis = models.CharField(_("提议人身份"), max_length=16, choices=Basis.choices)
    subject = models.CharField(_("提议事项"), max_length=200)
    received_on = models.DateField(_("收到日期"))
    signatories = models.ManyToManyField(Resident, verbose_name=_("提议人"), related_name="+")
    signed = models.PositiveIntegerField(_("有效提议人数"), default=0)
    base = models.PositiveIntegerField(_("基数"), default=0)
    needed = models.PositiveIntegerField(_("所需人数"), default=0)
    article = models.CharField(_("条款"), max_length=80, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=RequestStatus.choices)
    due_on = models.DateField(_("应召开日期"), null=True, blank=True, db_index=True)
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("召集的会议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("提议召集")
        verbose_name_plural = _("提议召集")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} · {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("governance:request", args=[self.pk])

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == RequestStatus.VALID and self.due_on is not None and self.due_on < today
        )


class MeetingStatus(models.TextChoices):
    CONVENED = "convened", _("已发通知")
    IN_SESSION = "in_session", _("签到进行中")
    CLOSED = "closed", _("已结束")


class Meeting(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    meeting_type = models.CharField(_("会议类型"), max_length=16, choices=MeetingType.choices)
    group = models.ForeignKey(
        Group, verbose_name=_("小组"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"), db_index=True)
    starts_at = models.TimeField(_("开始时间"), default=dt.time(9, 0))
    place = models.CharField(_("地点"), max_length=200)
    notice_on = models.DateField(_("通知日期"))
    convened_by = models.CharField(_("召集人"), max_length=100)
    authorised_by = models.ForeignKey(
        "Resolution",
        verbose_name=_("授权决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorised_meetings",
        help_text=_("村民代表会议讨论第二十四条事项时,村民会议的授权决议。"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.CONVENED
    )
    # The registry's denominators on the meeting date, fixed when sign-in opens.
    adults_base = models.PositiveIntegerField(_("年满十八周岁人数"), default=0)
    households_base = models.PositiveIntegerField(_("户数"), default=0)
    members_base = models.PositiveIntegerField(_("组成人员数"), default=0)
    minutes = models.TextField(_("会议记录"), blank=True)
    recorder = models.CharField(_("记录人"), max_length=50, blank=True)
    chair = models.CharField(_("主持人"), max_length=50, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    quorate = models.BooleanField(_("达到法定人数"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["unit", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__gte=models.F("notice_on")), name="meeting_notice_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting", args=[self.pk])


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    matter = models.CharField(_("事项类别"), max_length=24)
    discussion = models.TextField(_("讨论情况"), blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class AttendanceKind(models.TextChoices):
    PERSON = "person", _("本人")
    HOUSEHOLD = "household", _("户代表")
    MEMBER = "member", _("组成人员")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="attendances"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("签到人"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("身份"), max_length=10, choices=AttendanceKind.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("所代表的户"), null=True, blank=True, on_delete=models.PROTECT
    )
    adult = models.BooleanField(_("年满十八周岁"), default=True)
    signed_at = models.DateTimeField(_("签到时间"), default=timezone.now)

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["meeting", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "resident"], name="attendance_unique"),
            models.UniqueConstraint(
                fields=["meeting", "household"],
                condition=Q(household__isnull=False),
                name="attendance_one_per_household",
            ),
        ]

    def __str__(self) -> str:
        return self.resident.name


class Matter(models.TextChoices):
    """What a resolution decides. The ``art24_*`` matters are reserved by 第二十四条 of the
    village law to the villagers' meeting (or an authorised representatives' meeting)."""

    ORDINARY = "ordinary", _("一般事项")
    ART24_ALLOWANCE = "art24_allowance", _("误工补贴人数及标准")
    ART24_INCOME = "art24_income", _("集体经济所得收益的使用")
    ART24_WELFARE = "art24_welfare", _("公益事业的兴办和筹资筹劳方案及建设承包方案")
    ART24_LAND_CONTRACT = "art24_land_contract", _("土地承包经营方案")
    ART24_PROJECT = "art24_project", _("集体经济项目的立项、承包方案")
    ART24_HOMESTEAD = "art24_homestead", _("宅基地的使用方案")
    ART24_COMPENSATION = "art24_compensation", _("征地补偿费的使用、分配方案")
    ART24_ASSETS = "art24_assets", _("以借贷、租赁或者其他方式处分村集体财产")
    ART24_OTHER = "art24_other", _("村民会议认为应当由村民会议讨论决定的其他事项")
    DELEGATION = "delegation", _("授权村民代表会议讨论决定")
    CHARTER = "charter", _("通过自治章程、村规民约或居民公约")
    SUPERVISION = "supervision", _("推选村(居)务监督委员会")
    MEDIATION = "mediation", _("推选人民调解委员会委员")
    WORK_REPORT = "work_report", _("审议年度工作报告")


ART24_MATTERS = frozenset(m for m in Matter.values if m.startswith("art24_"))


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "hands", _("举手表决(记票数)")
    ROLL_CALL = "roll_call", _("记名表决")


class ResolutionResult(models.TextChoices):
    PASSED = "passed", _("通过")
    REJECTED = "rejected", _("未通过")


class Resolution(models.Model):
    """An agenda item's decision, with the tallies and the rule it was taken under."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="resolutions"
    )
    item = models.OneToOneField(
        AgendaItem, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="resolution"
    )
    number = models.CharField(_("决议编号"), max_length=40)
    matter = models.CharField(_("事项类别"), max_length=24, choices=Matter.choices)
    text = models.TextField(_("决议内容"))
    method = models.CharField(_("表决方式"), max_length=10, choices=VoteMethod.choices)
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"))
    votes_abstain = models.PositiveIntegerField(_("弃权"))
    present = models.PositiveIntegerField(_("到会人数"))
    result = models.CharField(_("结果"), max_length=10, choices=ResolutionResult.choices)
    quorum_article = models.CharField(_("法定人数依据"), max_length=120, blank=True)
    majority_article = models.CharField(_("表决依据"), max_length=120, blank=True)
    rule = models.ForeignKey(
        Rule, verbose_name=_("表决规则"), null=True, blank=True, on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("表决时间"), default=timezone.now)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["unit", "matter"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="resolution_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:resolution", args=[self.pk])

    @property
    def passed(self) -> bool:
        return self.result == ResolutionResult.PASSED


class Choice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class RollCallVote(models.Model):
    """A named vote of a roll-call resolution (记名表决)."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("决议"), on_delete=models.CASCADE, related_name="roll_call"
    )
    attendance = models.ForeignKey(Attendance, verbose_name=_("表决人"), on_delete=models.PROTECT)
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("记名表决票")
        verbose_name_plural = _("记名表决票")
        constraints = [
            models.UniqueConstraint(fields=["resolution", "attendance"], name="roll_call_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attendance} {self.get_choice_display()}"


# --- charters and conventions --------------------------------------------------------------


class CharterKind(models.TextChoices):
    CHARTER = "charter", _("自治章程")
    CONVENTION = "convention", _("居民公约/村规民约")


class Charter(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=CharterKind.choices)
    title = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("章程公约")
        verbose_name_plural = _("章程公约")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="charter_one_per_kind"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:charter", args=[self.pk])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    COMMENT = "comment", _("公开征求意见")
    DISCUSSED = "discussed", _("代表会议已讨论")
    ADOPTED = "adopted", _("会议已表决通过")
    PUBLISHED = "published", _("已公布")
    FILED = "filed", _("已备案")


class CharterVersion(models.Model):
    charter = models.ForeignKey(
        Charter, verbose_name=_("章程公约"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("全文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    comment_from = models.DateField(_("征求意见起"), null=True, blank=True)
    comment_to = models.DateField(_("征求意见止"), null=True, blank=True)
    discussed_by = models.ForeignKey(
        Meeting,
        verbose_name=_("讨论的代表会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_by = models.ForeignKey(
        Resolution,
        verbose_name=_("通过的决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.CharField(_("备案机关"), max_length=100, blank=True)
    filing_receipt = models.CharField(_("备案回执号"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)

    class Meta:
        verbose_name = _("章程公约版本")
        verbose_name_plural = _("章程公约版本")
        ordering = ["charter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charter_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.charter.title} v{self.number}"


class CommentChannel(models.TextChoices):
    PAPER = "paper", _("书面(工作人员录入)")
    PORTAL = "portal", _("居民门户")


class CharterComment(models.Model):
    version = models.ForeignKey(
        CharterVersion, verbose_name=_("版本"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.CharField(_("意见人"), max_length=50)
    text = models.TextField(_("意见"))
    channel = models.CharField(_("渠道"), max_length=8, choices=CommentChannel.choices)
    received_on = models.DateField(_("收到日期"))
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["version", "received_on", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:30]}"


# --- recall -------------------------------------------------------------------------------


class RecallStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提议,待投票")
    INSUFFICIENT = "insufficient", _("提议人数不足")
    PASSED = "passed", _("罢免通过")
    FAILED = "failed", _("罢免未通过")


class Recall(models.Model):
    """A proposal to recall a committee member (第十六条) and its vote."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        CommitteeMember, verbose_name=_("被提议罢免的成员"), on_delete=models.PROTECT
    )
    basis = models.CharField(_("提议人身份"), max_length=16, choices=Basis.choices)
    proposers = models.PositiveIntegerField(_("提议人数"))
    base = models.PositiveIntegerField(_("基数"))
    reason = models.TextField(_("罢免理由"))
    proposed_on = models.DateField(_("提议日期"))
    voters = models.PositiveIntegerField(_("登记选民数"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("投票人数"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("赞成罢免"), null=True, blank=True)
    voted_on = models.DateField(_("投票日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=RecallStatus.choices)
    article = models.CharField(_("依据"), max_length=200, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("罢免")
        verbose_name_plural = _("罢免")
        ordering = ["-proposed_on", "-pk"]

    def __str__(self) -> str:
        return f"{_('罢免')} {self.member}"


# --- democratic evaluation -----------------------------------------------------------------


class Rating(models.TextChoices):
    FIT = "fit", _("称职")
    BASIC = "basic", _("基本称职")
    UNFIT = "unfit", _("不称职")


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已计票")


class Evaluation(models.Model):
    """A year's democratic evaluation (民主评议) of a committee, chaired by the supervision
    committee, at a meeting whose attendees vote."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    committee = models.ForeignKey(
        Committee, verbose_name=_("被评议的委员会"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("评议会议"), on_delete=models.PROTECT, related_name="+"
    )
    chair = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("主持人(监督委员会)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN
    )
    attending = models.PositiveIntegerField(_("参加评议人数"), default=0)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="evaluation_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year} {_('民主评议')}"

    def get_absolute_url(self) -> str:
        return reverse("governance:evaluation", args=[self.pk])


class EvaluationVoter(models.Model):
    """Who has voted (one ballot per eligible voter). No time, no ballot reference."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("民主评议"), on_delete=models.CASCADE, related_name="voters"
    )
    resident = models.ForeignKey(
        Resident, verbose_name=_("投票人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("已投票人")
        verbose_name_plural = _("已投票人")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "resident"], name="evaluation_vote_once"),
        ]

    def __str__(self) -> str:
        return self.resident.name


class Ballot(models.Model):
    """An anonymous ballot: a random id, the evaluation, nothing about the voter, no time
    (a timestamp or a sequential id would let one line ballots up with the voters)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("民主评议"), on_delete=models.CASCADE, related_name="ballots"
    )

    class Meta:
        verbose_name = _("评议票")
        verbose_name_plural = _("评议票")

    def __str__(self) -> str:
        return str(_("评议票"))


class BallotMark(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("评价"), max_length=8, choices=Rating.choices)

    class Meta:
        verbose_name = _("评议票评价")
        verbose_name_plural = _("评议票评价")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="ballot_mark_once"),
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


class EvaluationResult(models.Model):
    """A member's result once the ballots are counted, with the rule applied."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("民主评议"), on_delete=models.CASCADE, related_name="results"
    )
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="results")
    fit = models.PositiveIntegerField(_("称职票"))
    basic = models.PositiveIntegerField(_("基本称职票"))
    unfit = models.PositiveIntegerField(_("不称职票"))
    rating = models.CharField(_("评议结果"), max_length=8, choices=Rating.choices)
    article = models.CharField(_("依据"), max_length=200, blank=True)
    # Set when rated unfit twice in a row: the township confirms, then the post ends.
    dismissal_due = models.BooleanField(_("连续两次不称职"), default=False)
    confirmed_at = models.DateTimeField(_("乡镇确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="evaluation_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_rating_display()}"


# --- deliberation (协商议事): topics, consultations, outcomes, results ------------------------
# The procedure of 《关于加强城乡社区协商的意见》 as local practice applies it; the steps and
# their rules are in ``shequ.governance.deliberation_actions`` (docs/governance-deliberation.md).

from shequ.orgs.models import Post  # noqa: E402  (kept with the block it serves)
from shequ.people.models import ResidentUnit  # noqa: E402


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    COMMITTEE = "committee", _("村(居)民委员会")
    RESIDENT_UNIT = "resident_unit", _("驻区单位")
    TOWNSHIP = "township", _("乡镇(街道)")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出,待受理")
    DECLINED = "declined", _("不予受理")
    ACCEPTED = "accepted", _("已受理,待预告")
    NOTICED = "noticed", _("已预告,待协商")
    CONSULTED = "consulted", _("已协商,待形成结果")
    DECIDED = "decided", _("已形成协商结果")
    IMPLEMENTING = "implementing", _("组织实施中")
    FED_BACK = "fed_back", _("已向居民反馈")
    SUPERVISED = "supervised", _("已监督评议")


class Outcome(models.TextChoices):
    AGREED = "agreed", _("达成一致")
    NOT_AGREED = "not_agreed", _("未达成一致")
    REFERRED = "referred", _("提交上级或有关部门")


class ConsultationForm(models.TextChoices):
    TALK = "talk", _("民主恳谈")
    EXPERT = "expert", _("专家咨询")
    WRITTEN = "written", _("书面征询")
    VISIT = "visit", _("走访约谈")
    HEARING = "hearing", _("决策听证")
    ONLINE = "online", _("网上协商")


class Topic(models.Model):
    """A matter put to consultation (协商议题), from proposal to supervision."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("议题说明"))
    source = models.CharField(_("提出方"), max_length=16, choices=TopicSource.choices)
    proposer_name = models.CharField(_("提出人"), max_length=100)
    resident_unit = models.ForeignKey(
        ResidentUnit,
        verbose_name=_("驻区单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The resident's portal account, by its phone's blind index (governance does not know
    # portal accounts); the contact phone encrypted, for the messages about the topic.
    proposer_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_enc = models.TextField(_("联系电话(密文)"), blank=True)
    contact_masked = models.CharField(_("联系电话"), max_length=11, blank=True)
    filed_by = models.ForeignKey(
        User,
        verbose_name=_("代为登记"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    concerned = models.TextField(_("利益相关方"))
    major = models.BooleanField(_("重大事项"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=TopicStatus.choices, default=TopicStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now, db_index=True)
    decline_reason = models.TextField(_("不予受理的理由"), blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    notice_text = models.TextField(_("协商预告"), blank=True)
    notice_on = models.DateField(_("预告日期"), null=True, blank=True)
    outcome = models.CharField(_("协商结果"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("协商结果说明"), blank=True)
    referred_to = models.CharField(_("提交至"), max_length=100, blank=True)
    decided_on = models.DateField(_("形成结果日期"), null=True, blank=True, db_index=True)
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("会议决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    feedback_text = models.TextField(_("向居民反馈"), blank=True)
    fed_back_on = models.DateField(_("反馈日期"), null=True, blank=True)
    supervision_text = models.TextField(_("监督评议意见"), blank=True)
    supervised_on = models.DateField(_("监督日期"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:topic", args=[self.pk])


class TopicSupport(models.Model):
    """A resident's support of a topic: one per person (their phone's blind index)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("支持时间"), default=timezone.now)

    class Meta:
        verbose_name = _("议题支持")
        verbose_name_plural = _("议题支持")
        constraints = [
            models.UniqueConstraint(fields=["topic", "supporter_key"], name="topic_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} +1"


class TopicComment(models.Model):
    """A resident's comment; the committee may hide it, and the reason is kept."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("协商议题"), on_delete=models.CASCADE, related_name="comments"
    )
    author_name = models.CharField(_("评论人"), max_length=50)
    author_key = models.CharField(max_length=64, blank=True, editable=False)
    text = models.TextField(_("评论"))
    created_at = models.DateTimeField(_("评论时间"), default=timezone.now)
    hidden = models.BooleanField(_("已隐藏"), default=False)
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(_("隐藏时间"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("议题评论")
        verbose_name_plural = _("议题评论")
        ordering = ["topic", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""), name="comment_hidden_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:30]}"


class Consultation(models.Model):
    """One consultation held on a topic, in a recognised form, with its record."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("协商议题"), on_delete=models.PROTECT, related_name="consultations"
    )
    form = models.CharField(_("协商形式"), max_length=10, choices=ConsultationForm.choices)
    held_on = models.DateField(_("协商日期"), db_index=True)
    place = models.CharField(_("地点或方式"), max_length=200)
    record = models.TextField(_("协商记录"))
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("协商记录")
        verbose_name_plural = _("协商记录")
        ordering = ["topic", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.held_on:%Y-%m-%d}"


class Participant(models.Model):
    """Who took part in a consultation, in what capacity, and the position they took."""

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("协商记录"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    name = models.CharField(_("参与人"), max_length=50)
    capacity = models.CharField(_("身份"), max_length=50)
    position = models.TextField(_("意见立场"), blank=True)
    contact_enc = models.TextField(_("联系电话(密文)"), blank=True)
    contact_masked = models.CharField(_("联系电话"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("协商参与人")
        verbose_name_plural = _("协商参与人")
        ordering = ["consultation", "pk"]

    def __str__(self) -> str:
        return f"{self.name}({self.capacity})"


class Result(models.Model):
    """A result of an agreed outcome residents can follow (Decidim's accountability):
    who is responsible, by when, how far (0–100 %). Overdue is a query: not done and
    ``due_on`` before today."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("协商议题"), on_delete=models.PROTECT, related_name="results"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级成果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    title = models.CharField(_("落实事项"), max_length=200)
    responsible = models.CharField(_("责任岗位"), max_length=100)
    post = models.ForeignKey(
        Post,
        verbose_name=_("责任人岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("完成期限"), db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("落实成果")
        verbose_name_plural = _("落实成果")
        ordering = ["topic", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="result_progress_max"),
            models.CheckConstraint(
                condition=Q(progress=100, completed_on__isnull=False)
                | Q(progress__lt=100, completed_on__isnull=True),
                name="result_completed_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.progress < 100 and self.due_on < today

    @property
    def on_time(self) -> bool | None:
        """Done by its deadline; ``None`` while not done."""
        return None if self.completed_on is None else self.completed_on <= self.due_on


class Milestone(models.Model):
    """A dated step of a result, with the progress it reached and a photo."""

    result = models.ForeignKey(
        Result, verbose_name=_("落实成果"), on_delete=models.PROTECT, related_name="milestones"
    )
    happened_on = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"))
    photo = models.FileField(_("照片"), upload_to="governance/milestones/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("进展节点")
        verbose_name_plural = _("进展节点")
        ordering = ["result", "happened_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="milestone_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on:%Y-%m-%d} {self.progress}%"


# --- affairs disclosure (居务 / 村务公开) ---------------------------------------------------
# The catalogue, each community's calendar settings, the stored due dates, the disclosures
# with their review and evidence, residents' questions and complaints to the township.
# Rules: ``disclosure_calendar`` (due days, statuses at a date) and ``disclosure_actions``.


class DisclosureCadence(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    EVENT = "event", _("随时公布")


class DisclosureCategory(models.TextChoices):
    """ "1+4+X": one board, four fixed categories, X items a community chooses."""

    PARTY = "party", _("党务公开")
    AFFAIRS = "affairs", _("村(居)务公开")
    FINANCE = "finance", _("财务公开")
    SERVICE = "service", _("服务公开")
    CHOSEN = "chosen", _("自选公开(X)")


class DisclosureAppliesTo(models.TextChoices):
    RURAL = "rural", _("村(农村社区)")
    URBAN = "urban", _("城市社区和集镇社区")
    ALL = "all", _("所有社区")


class DisclosureTrigger(models.TextChoices):
    NONE = "", _("按周期")
    ART24 = "art24", _("村(居)民会议、代表会议决定第二十三、二十四条事项")
    MAJOR = "major", _("村(居)民会议、代表会议决定的重大事项")


class DisclosureItem(models.Model):
    """One catalogue item: what is disclosed, how often, and the day each period's
    disclosure is due. ``unit`` empty: the standard catalogue for ``applies_to``; set: an
    item a community chose for itself (the "X")."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("自选社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空为标准目录;填写则为该社区自选的公开事项。"),
    )
    applies_to = models.CharField(
        _("适用社区"), max_length=8, choices=DisclosureAppliesTo.choices, default="all"
    )
    category = models.CharField(_("类别"), max_length=8, choices=DisclosureCategory.choices)
    code = models.SlugField(_("代码"), max_length=40)
    title = models.CharField(_("公开事项"), max_length=120)
    cadence = models.CharField(_("公开周期"), max_length=12, choices=DisclosureCadence.choices)
    cadence_frequent = models.CharField(
        _("集体财务往来较多时的周期"),
        max_length=12,
        choices=DisclosureCadence.choices,
        blank=True,
        help_text=_("第三十条:集体财务往来较多的,财务收支情况应当每月公布一次。"),
    )
    due_day = models.PositiveSmallIntegerField(
        _("截止日(几号)"), default=20, help_text=_("每期公开须在该月的这一天之前完成。")
    )
    due_in_period = models.BooleanField(
        _("在本期首月公开"),
        default=False,
        help_text=_("勾选:截止日在本期的第一个月(如年度方案);不勾选:在下一期的第一个月。"),
    )
    event_days = models.PositiveSmallIntegerField(
        _("随时公布的期限(天)"), default=5, help_text=_("决定作出后多少天内公布。")
    )
    roll_to_workday = models.BooleanField(_("截止日遇节假日顺延"), default=True)
    trigger = models.CharField(
        _("触发"), max_length=8, choices=DisclosureTrigger.choices, blank=True, default=""
    )
    article = models.CharField(_("依据"), max_length=120)
    confirmed = models.BooleanField(_("已核实原文"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("公开目录事项")
        verbose_name_plural = _("公开目录")
        ordering = ["applies_to", "category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(unit__isnull=True), name="disclosure_item_code"
            ),
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=Q(unit__isnull=False),
                name="disclosure_item_unit_code",
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1, due_day__lte=31), name="disclosure_item_due_day"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisclosureSetting(models.Model):
    """A community on the disclosure calendar: from when, where its board stands, whether
    its collective transactions are frequent (finances then monthly) and how many days
    the committee has to answer a question."""

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("社区(村)"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField(_("纳入公开日历日期"))
    frequent_finance = models.BooleanField(_("集体财务往来较多"), default=False)
    board_location = models.CharField(_("公开栏位置"), max_length=200, blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("答复质询期限(天)"),
        default=10,
        help_text=_("10天见于地方规定,国家法律未规定(未经核实的设置)。"),
    )
    remind_days = models.PositiveSmallIntegerField(_("截止前几天提醒"), default=5)

    class Meta:
        verbose_name = _("居务公开设置")
        verbose_name_plural = _("居务公开设置")

    def __str__(self) -> str:
        return str(self.unit)


class DisclosureDue(models.Model):
    """A disclosure the calendar asks for: one item's period (or one decision) in one
    community, with the day it is due. Whether it was published on time, late or not at
    all is a query (``disclosure_calendar``); nothing here changes when the day passes
    but the worker's markers of whom it told."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区(村)"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(DisclosureItem, verbose_name=_("公开事项"), on_delete=models.PROTECT)
    key = models.CharField(_("期次"), max_length=20)
    period_start = models.DateField(_("期间起"))
    period_end = models.DateField(_("期间止"))
    due_on = models.DateField(_("应公开日期"), db_index=True)
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    escalated_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("应公开事项")
        verbose_name_plural = _("应公开事项")
        ordering = ["unit", "due_on", "item__order", "pk"]
        indexes = [models.Index(fields=["unit", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "item", "key"], name="disclosure_due_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item.title} {self.key}"


class DisclosureStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待监督委员会审核")
    RETURNED = "returned", _("监督委员会退回修改")
    APPROVED = "approved", _("审核通过,待公布")
    PUBLISHED = "published", _("已公布")


class Disclosure(models.Model):
    """One disclosure: its text, table and attachments, the supervision committee's
    review, its publication (portal board and printed poster) and the photo of the
    posted board."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区(村)"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(DisclosureItem, verbose_name=_("公开事项"), on_delete=models.PROTECT)
    due = models.ForeignKey(
        DisclosureDue,
        verbose_name=_("对应期次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("公开内容"))
    table = models.JSONField(_("表格"), default=list, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DisclosureStatus.choices,
        default=DisclosureStatus.SUBMITTED,
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        CommitteeMember,
        verbose_name=_("审核人(监督委员会)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    review_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("公开")
        verbose_name_plural = _("公开")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status", "published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="disclosure_published_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:disclosure", args=[self.pk])


class DisclosureFileKind(models.TextChoices):
    ATTACHMENT = "attachment", _("附件")
    BOARD_PHOTO = "board_photo", _("公开栏张贴照片")


class DisclosureFile(models.Model):
    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("公开"), on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=DisclosureFileKind.choices)
    file = models.FileField(_("文件"), upload_to="governance/disclosure/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    taken_on = models.DateField(_("拍摄/张贴日期"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("公开附件")
        verbose_name_plural = _("公开附件")
        ordering = ["disclosure", "kind", "pk"]

    def __str__(self) -> str:
        return self.name


class QuestionChannel(models.TextChoices):
    PORTAL = "portal", _("居民门户")
    PAPER = "paper", _("书面或口头(工作人员录入)")


class DisclosureQuestion(models.Model):
    """A resident questions a disclosure (第三十条: 接受村民的查询); the committee answers
    by ``answer_due_on``. Unanswered past it is overdue (a query), shown to the township."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区(村)"), on_delete=models.PROTECT, related_name="+"
    )
    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("公开"), on_delete=models.PROTECT, related_name="questions"
    )
    asker = models.CharField(_("质询人"), max_length=50)
    # Who asked on the portal ("portal:<account id>"), so the portal shows them their own.
    asker_ref = models.CharField(max_length=40, blank=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=8, choices=QuestionChannel.choices)
    text = models.TextField(_("质询内容"))
    asked_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    answer_due_on = models.DateField(_("应答复日期"), db_index=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("公开质询")
        verbose_name_plural = _("公开质询")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.asker}: {self.text[:30]}"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("乡镇(街道)调查中")
    CLOSED = "closed", _("已调查处理")


class DisclosureComplaint(models.Model):
    """第三十一条: a resident reports to the township that a matter was not disclosed in
    time (or not truthfully); the township investigates and orders disclosure."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("被举报社区(村)"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        OrgUnit, verbose_name=_("受理乡镇(街道)"), on_delete=models.PROTECT, related_name="+"
    )
    due = models.ForeignKey(
        DisclosureDue,
        verbose_name=_("未公开的期次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.ForeignKey(
        DisclosureQuestion,
        verbose_name=_("未答复的质询"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    complainant = models.CharField(_("举报人"), max_length=50)
    text = models.TextField(_("举报内容"))
    received_on = models.DateField(_("收到日期"))
    status = models.CharField(
        _("状态"), max_length=8, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    outcome = models.TextField(_("调查核实结果"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("未公开举报(第三十一条)")
        verbose_name_plural = _("未公开举报(第三十一条)")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.received_on}"
