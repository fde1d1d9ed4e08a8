"""Jobs and group services: resident units' vacancy reports, job seekers, zero-employment
households, local-first referrals and placements, skills training, and the floating
population's "home" (services brought to them, help with their children's schooling).

Resident units themselves are the registry's (``people.ResidentUnit``). Every row carries
the org unit that decides who sees it (``unit``) and its community. Changes go through
``shequ.jobs.actions``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, User
from shequ.people.models import Household, Resident, ResidentUnit, Trade
from shequ.services.models import Case

# --- the rule in force (law as data) ------------------------------------------------------


class AssistanceRule(models.Model):
    """The zero-employment household rule in force for households identified in its
    period: 《就业促进法》第五十六条 (at least one member offered suitable work) and the
    practice rule seen in 充分就业社区 assessment (placed within the quarter of
    identification, a pledge of days, exit after refusals or months without contact).
    The practice figures are unconfirmed from a primary text, so they are data here."""

    source = models.CharField(_("依据"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    pledge_days = models.PositiveSmallIntegerField(_("承诺援助天数"), default=30)
    place_within_quarter = models.BooleanField(_("须在认定当季安置一人"), default=True)
    max_refusals = models.PositiveSmallIntegerField(_("无正当理由拒绝推荐次数上限"), default=3)
    no_contact_months = models.PositiveSmallIntegerField(_("失去联系月数上限"), default=3)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("零就业家庭援助规则")
        verbose_name_plural = _("零就业家庭援助规则")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="jobs_rule_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}({self.effective_from:%Y-%m-%d})"


class DifficultyCategory(models.Model):
    """A category of 就业困难人员. 《就业促进法》第五十二条 leaves the scope to the
    province, so the list is data an administrator keeps."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = models.CharField(_("认定条件"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("就业困难人员类别")
        verbose_name_plural = _("就业困难人员类别")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name


# --- vacancy reports ----------------------------------------------------------------------


class ReportChannel(models.TextChoices):
    CLERK = "clerk", _("社区代录")
    UNIT_LINK = "unit_link", _("单位在线报告")
    API = "api", _("接口")


class VacancyReport(models.Model):
    """A resident unit's report of its vacancies for one month (驻区单位空岗报告), made
    at the end of the month before. A report with no vacancies is a report too."""

    resident_unit = models.ForeignKey(
        ResidentUnit, verbose_name=_("驻区单位"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("报告月份"), help_text=_("所报空岗所属月份的第一天。"))
    reported_on = models.DateField(_("报告日期"))
    channel = models.CharField(_("报告方式"), max_length=12, choices=ReportChannel.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("空岗报告")
        verbose_name_plural = _("空岗报告")
        indexes = [models.Index(fields=["community", "month"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resident_unit", "month"], name="jobs_one_report_per_unit_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_unit.name} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:report", args=[self.pk])


class ReportReminder(models.Model):
    """The worker reminded a unit, once, that its report for ``month`` is due."""

    resident_unit = models.ForeignKey(
        ResidentUnit, verbose_name=_("驻区单位"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("报告月份"))
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("空岗报告提醒")
        verbose_name_plural = _("空岗报告提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["resident_unit", "month"], name="jobs_remind_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_unit_id} {self.month:%Y-%m}"


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("招聘中")
    FILLED = "filled", _("已招满")
    CLOSED = "closed", _("已关闭")


class Vacancy(models.Model):
    """One post of a report: headcount, trade, requirements, target groups, pay."""

    report = models.ForeignKey(
        VacancyReport,
        verbose_name=_("空岗报告"),
        on_delete=models.CASCADE,
        related_name="vacancies",
    )
    resident_unit = models.ForeignKey(
        ResidentUnit, verbose_name=_("驻区单位"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("岗位"), max_length=50)
    headcount = models.PositiveSmallIntegerField(_("人数"))
    trade = models.CharField(_("行业"), max_length=1, choices=Trade.choices)
    skills = models.CharField(
        _("技能要求"), max_length=200, blank=True, help_text=_("用顿号或逗号分隔,如:电工、焊工")
    )
    requirements = models.CharField(_("其他要求"), max_length=300, blank=True)
    target_groups = models.ManyToManyField(
        DifficultyCategory, verbose_name=_("面向人群"), blank=True, related_name="+"
    )
    for_zero_households = models.BooleanField(_("优先零就业家庭"), default=False)
    pay_min = models.DecimalField(_("月薪下限(元)"), max_digits=8, decimal_places=2)
    pay_max = models.DecimalField(_("月薪上限(元)"), max_digits=8, decimal_places=2)
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=8, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    hired = models.PositiveSmallIntegerField(_("已录用"), default=0)
    hired_local = models.PositiveSmallIntegerField(_("其中本社区居民"), default=0)
    opened_on = models.DateField(_("发布日期"))
    filled_on = models.DateField(_("招满日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("空岗")
        verbose_name_plural = _("空岗")
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["opened_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="jobs_vacancy_headcount"),
            models.CheckConstraint(
                condition=Q(pay_max__gte=models.F("pay_min")), name="jobs_vacancy_pay_ordered"
            ),
            models.CheckConstraint(
                condition=Q(hired__lte=models.F("headcount")), name="jobs_vacancy_not_overfilled"
            ),
            models.CheckConstraint(
                condition=Q(hired_local__lte=models.F("hired")), name="jobs_vacancy_local_le_hired"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_unit.name} · {self.post}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:vacancy", args=[self.pk])

    @property
    def open_places(self) -> int:
        return self.headcount - self.hired

    def skill_list(self) -> list[str]:
        return split_tags(self.skills)


def split_tags(text: str) -> list[str]:
    for sep in ",,;;/ ":
        text = text.replace(sep, "、")
    return [t for t in (p.strip() for p in text.split("、")) if t]


# --- job seekers ----------------------------------------------------------------------------


class SeekerKind(models.TextChoices):
    UNEMPLOYED = "unemployed", _("登记失业")
    LOOKING = "looking", _("求职登记(在业或未登记失业)")


class SeekerStatus(models.TextChoices):
    ACTIVE = "active", _("求职中")
    EMPLOYED = "employed", _("已就业")
    ENDED = "ended", _("已注销")


class JobSeeker(models.Model):
    """A resident registered as unemployed (登记失业) or looking for work. One open
    registration per resident; a new one may follow when the last has ended."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("登记类型"), max_length=12, choices=SeekerKind.choices)
    registered_on = models.DateField(_("登记日期"))
    skills = models.CharField(_("技能"), max_length=200, blank=True)
    wishes = models.CharField(_("求职意向"), max_length=200, blank=True)
    wished_trades = models.JSONField(_("意向行业"), default=list, blank=True)
    availability = models.CharField(_("可工作时间"), max_length=100, blank=True)
    categories = models.ManyToManyField(
        DifficultyCategory, verbose_name=_("就业困难人员类别"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SeekerStatus.choices, default=SeekerStatus.ACTIVE
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=100, blank=True)
    last_contact_on = models.DateField(_("最近联系日期"))
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("求职人员")
        verbose_name_plural = _("求职人员")
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status="active"),
                name="jobs_one_active_seeker_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(status="active") | Q(ended_on__isnull=False),
                name="jobs_seeker_end_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident.name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:seeker", args=[self.pk])

    def skill_list(self) -> list[str]:
        return split_tags(self.skills)


# --- zero-employment households -------------------------------------------------------------


class ZeroStatus(models.TextChoices):
    ASSISTING = "assisting", _("援助中")
    CLEARED = "cleared", _("已清零")
    EXITED = "exited", _("已退出")


class ZeroExit(models.TextChoices):
    PLACED = "placed", _("一人已就业")
    REFUSED = "refused", _("多次拒绝推荐")
    NO_CONTACT = "no_contact", _("长期失去联系")
    NO_LONGER = "no_longer", _("家庭情况变化(不再符合)")


class ZeroHousehold(models.Model):
    """One spell of a household being a 零就业家庭 and its assistance. Opened and closed
    by ``actions.refresh_zero_household`` from the registry and the job seekers, never by
    hand: a household is one when it has working-age members and every one of them is
    registered unemployed."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        AssistanceRule, verbose_name=_("适用规则"), on_delete=models.PROTECT, related_name="+"
    )
    identified_on = models.DateField(_("认定日期"))
    pledge_due = models.DateField(_("承诺援助期限"), db_index=True)
    quarter_due = models.DateField(_("当季安置期限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ZeroStatus.choices, default=ZeroStatus.ASSISTING
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    exit_reason = models.CharField(
        _("结束原因"), max_length=12, choices=ZeroExit.choices, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("零就业家庭")
        verbose_name_plural = _("零就业家庭")
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="assisting"),
                name="jobs_one_open_zero_spell",
            ),
            models.CheckConstraint(
                condition=Q(status="assisting") | Q(ended_on__isnull=False),
                name="jobs_zero_end_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.identified_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:zero", args=[self.pk])

    @property
    def cleared_in_time(self) -> bool:
        return (
            self.status == ZeroStatus.CLEARED
            and self.ended_on is not None
            and self.ended_on <= self.quarter_due
        )


# --- referrals and placements ----------------------------------------------------------------


class Tier(models.IntegerChoices):
    COMMUNITY = 0, _("本社区")
    TOWNSHIP = 1, _("本街道(乡镇)")
    COUNTY = 2, _("本县市")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("已推荐")
    HIRED = "hired", _("已录用")
    REFUSED_BY_PERSON = "refused_by_person", _("本人拒绝")
    REFUSED_BY_UNIT = "refused_by_unit", _("单位未录用")
    NO_SHOW = "no_show", _("未到面试")


OUTCOMES = [s for s in ReferralStatus.values if s != ReferralStatus.REFERRED]


class Referral(models.Model):
    """A job seeker recommended for a vacancy, the tier and reasons of the suggestion,
    and the outcome the unit confirms."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="referrals"
    )
    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("求职人员"), on_delete=models.PROTECT, related_name="referrals"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(_("就近层级"), choices=Tier.choices)
    local = models.BooleanField(_("本社区居民"))
    reasons = models.JSONField(_("推荐理由"), default=list)
    referred_on = models.DateField(_("推荐日期"))
    status = models.CharField(
        _("结果"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("单位确认人"), max_length=50, blank=True)
    outcome_channel = models.CharField(
        _("确认方式"), max_length=12, choices=ReportChannel.choices, blank=True
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "seeker"], name="jobs_refer_once"),
            models.CheckConstraint(
                condition=Q(status="referred") | Q(outcome_on__isnull=False),
                name="jobs_referral_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker.resident.name} → {self.vacancy}"


class PlacementSource(models.TextChoices):
    REFERRAL = "referral", _("社区推荐")
    SELF = "self", _("自主就业")
    PUBLIC_POST = "public_post", _("公益性岗位")
    OTHER = "other", _("其他渠道")


class Placement(models.Model):
    """A job seeker in work: through a referral (the unit's confirmation) or otherwise."""

    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("求职人员"), on_delete=models.PROTECT, related_name="placements"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("推荐"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placement",
    )
    employer = models.CharField(_("就业单位"), max_length=100)
    post = models.CharField(_("岗位"), max_length=50, blank=True)
    source = models.CharField(_("就业渠道"), max_length=12, choices=PlacementSource.choices)
    started_on = models.DateField(_("上岗日期"), db_index=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("就业登记")
        verbose_name_plural = _("就业登记")

    def __str__(self) -> str:
        return f"{self.seeker.resident.name} · {self.employer}"


# --- training ---------------------------------------------------------------------------------


class TrainingSession(models.Model):
    """A skills training class for the unemployed (技能培训)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("举办社区或街道"), on_delete=models.PROTECT, related_name="+"
    )
    skill = models.CharField(_("培训工种"), max_length=50)
    provider = models.CharField(_("培训机构"), max_length=100)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    place = models.CharField(_("地点"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("名额"))
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="jobs_training_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="jobs_training_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.skill}({self.starts_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:training", args=[self.pk])

    def days(self) -> list[dt.date]:
        n = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + dt.timedelta(days=i) for i in range(n)]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("在训")
    COMPLETED = "completed", _("已结业")
    FAILED = "failed", _("未结业")


class Enrolment(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("培训班"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("学员"), on_delete=models.PROTECT, related_name="enrolments"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("学员所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    certificate_no = models.CharField(_("结业证书编号"), max_length=32, blank=True)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    followed_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    follow_up_note = models.CharField(_("回访情况"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        constraints = [
            models.UniqueConstraint(fields=["session", "seeker"], name="jobs_enrol_once"),
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="jobs_certificate_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seeker.resident.name} · {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:certificate", args=[self.pk])


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("日期"))
    present = models.BooleanField(_("出勤"))

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="jobs_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} {self.day}"


# --- a home for the floating population -----------------------------------------------------


class ActivityType(models.Model):
    """Kinds of service brought to the floating population (科技, 药品, 政策, 健康 …)."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("流动人口服务类型")
        verbose_name_plural = _("流动人口服务类型")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name


class FloatingActivity(models.Model):
    """A service session brought to the floating population, with the people reached."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("举办社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(
        ActivityType, verbose_name=_("服务类型"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    provider = models.CharField(_("服务提供方"), max_length=100, blank=True)
    reached = models.ManyToManyField(
        Resident, verbose_name=_("服务对象"), blank=True, related_name="+"
    )
    others_reached = models.PositiveIntegerField(_("未登记的其他参加人数"), default=0)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("流动人口服务活动")
        verbose_name_plural = _("流动人口服务活动")

    def __str__(self) -> str:
        return self.title


class SchoolStage(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")


class SchoolHelp(models.Model):
    """Help with a floating resident's child's school enrolment, tracked as a services
    case (the case's status is the help's status)."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("家长"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.OneToOneField(
        Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="+"
    )
    child_name = models.CharField(_("子女姓名"), max_length=50)
    stage = models.CharField(_("学段"), max_length=12, choices=SchoolStage.choices)
    wished_school = models.CharField(_("意向学校"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("随迁子女入学协助")
        verbose_name_plural = _("随迁子女入学协助")

    def __str__(self) -> str:
        return f"{self.resident.name} · {self.child_name}"
