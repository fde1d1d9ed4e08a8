"""Community building (社区建设): the funding ledger, projects and 一事一议, facility
standards and their checks, leading groups, policy documents and pledges (十件实事).

The ledger is append-only: a correction is a reversing entry. Triggers refuse UPDATE
and DELETE on its table in the database itself (migration 0002, SQLite and PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import CommunityType, OrgUnit, Post, User

ZERO = Decimal("0.00")


# --- the funding ledger ----------------------------------------------------------------


class FiscalLevel(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCIAL = "provincial", _("省级")
    PREFECTURE = "prefecture", _("州级")
    COUNTY = "county", _("县市级")
    TOWNSHIP = "township", _("乡镇级")
    COMMUNITY = "community", _("社区(村)")


class FundSource(models.TextChoices):
    REWARD_SUBSIDY = "reward_subsidy", _("州以奖代补资金")
    PROJECT_SUBSIDY = "project_subsidy", _("中央和省项目补助")
    COUNTY_FUND = "county_fund", _("县市投入资金")
    RURAL_FISCAL = "rural_fiscal", _("财政统筹强农惠农资金")
    DEPARTMENT_AID = "department_aid", _("部门帮扶")
    SOCIAL_DONATION = "social_donation", _("社会捐助")
    CASE_SELF_RAISED = "case_self_raised", _("一事一议自筹")
    PARTY_FEE = "party_fee", _("党费支持")
    COMMUNITY_SELF_RAISED = "community_self_raised", _("社区自筹")
    OTHER = "other", _("其他")


class SixBits(models.TextChoices):
    """The seed's "six bits" (六个一点): where each yuan came from, in its words."""

    FISCAL = "fiscal", _("财政安排一点")
    SELF_RAISED = "self_raised", _("社区自筹一点")
    PARTY_FEE = "party_fee", _("党费支持一点")
    DEPARTMENT = "department", _("部门赞助一点")
    HIGHER_HELP = "higher_help", _("各级帮助一点")
    DONATION = "donation", _("社会捐助一点")


class EntryKind(models.TextChoices):
    ALLOCATED = "allocated", _("下达(到位)")
    DISBURSED = "disbursed", _("拨付")
    SPENT = "spent", _("支出")


class LedgerEntry(models.Model):
    """One line of the funding ledger, in yuan. Never changed, never deleted: a mistake
    is undone by a reversing entry (``reverses``, the negated amount)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("收款单位"), on_delete=models.PROTECT, related_name="+"
    )
    entry_date = models.DateField(_("日期"))
    year = models.PositiveSmallIntegerField(_("资金年度"))
    level = models.CharField(_("财政层级"), max_length=16, choices=FiscalLevel.choices)
    source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    six_bits = models.CharField(_("六个一点"), max_length=16, choices=SixBits.choices)
    kind = models.CharField(_("类别"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2)
    project = models.ForeignKey(
        "Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    document_ref = models.CharField(_("文件依据"), max_length=100, blank=True)
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("冲销的流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("资金流水")
        verbose_name_plural = _("资金流水")
        ordering = ["entry_date", "pk"]
        indexes = [
            models.Index(fields=["entry_date"]),
            models.Index(fields=["source", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="ledgerentry_positive_or_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date} {self.get_source_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse("building:entry", args=[self.pk])

    @property
    def amount_wan(self) -> Decimal:
        return (self.amount / Decimal(10000)).quantize(Decimal("0.01"))


# --- projects and 一事一议 -----------------------------------------------------------------


class ProjectKind(models.TextChoices):
    CENTRE = "centre", _("社区服务中心建设")
    HALL = "hall", _("便民服务大厅")
    ROAD = "road", _("道路")
    WATER = "water", _("饮水")
    OTHER = "other", _("其他公益设施")


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("一般项目")
    CASE_BY_CASE = "case_by_case", _("一事一议")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    APPLIED = "applied", _("村(社区)已申请")
    REVIEWED = "reviewed", _("乡镇已审核")
    APPROVED = "approved", _("县市已批准")
    REFUSED = "refused", _("未获批准")
    BUILDING = "building", _("在建")
    COMPLETED = "completed", _("已竣工")


class SubsidyRule(models.Model):
    """How 一事一议 subsidies are shared, by effective period (a setting: the shares seen in
    provincial practice vary, see docs/building.md). A project is checked against the rule
    in force on the day its subsidy is paid."""

    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200)
    villagers_share_min = models.DecimalField(_("村民自筹最低比例"), max_digits=4, decimal_places=3)
    subsidy_share_max = models.DecimalField(_("财政奖补最高比例"), max_digits=4, decimal_places=3)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    confirmed = models.BooleanField(_("已核实原文"), default=False)

    class Meta:
        verbose_name = _("一事一议奖补规则")
        verbose_name_plural = _("一事一议奖补规则")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(villagers_share_min__gte=0, villagers_share_min__lte=1)
                & Q(subsidy_share_max__gte=0, subsidy_share_max__lte=1),
                name="subsidyrule_shares_are_fractions",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A construction project of a community or village, with its budget and plan."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("实施单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("项目名称"), max_length=100)
    kind = models.CharField(_("项目类型"), max_length=12, choices=ProjectKind.choices)
    procedure = models.CharField(_("程序"), max_length=16, choices=Procedure.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    budget = models.DecimalField(_("预算(元)"), max_digits=14, decimal_places=2)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    # The villagers' meeting resolution (村民会议决议) that decided a 一事一议 project:
    # ``resolution_id`` is a governance resolution, checked and read through
    # ``governance.figures`` (an id, not a foreign key, so the two apps keep separate
    # migration histories); ``resolution_ref`` is its label, or the document reference of
    # a resolution taken before the platform (docs/building.md).
    resolution_ref = models.CharField(_("村民会议决议文号"), max_length=100, blank=True)
    resolution_id = models.BigIntegerField(_("村民会议决议(治理模块)"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("建设项目")
        verbose_name_plural = _("建设项目")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="project_progress_at_most_100"
            ),
            models.CheckConstraint(condition=Q(budget__gt=0), name="project_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("building:project", args=[self.pk])

    @property
    def is_case_by_case(self) -> bool:
        return self.procedure == Procedure.CASE_BY_CASE


class FundingPlanLine(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="plan"
    )
    source = models.CharField(_("资金来源"), max_length=24, choices=FundSource.choices)
    amount = models.DecimalField(_("计划金额(元)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("资金计划")
        verbose_name_plural = _("资金计划")
        constraints = [
            models.UniqueConstraint(fields=["project", "source"], name="plan_one_line_per_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="plan_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_source_display()}"


class ProjectProgress(models.Model):
    """A progress report with its photo (history: the project keeps the latest percent)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports"
    )
    progress = models.PositiveSmallIntegerField(_("进度(%)"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    photo = models.FileField(_("现场照片"), upload_to="building/projects/%Y/", blank=True)
    reported_on = models.DateField(_("日期"))
    reported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("项目进度")
        verbose_name_plural = _("项目进度")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.progress}%"


# --- communities as they stood, and facility standards -------------------------------------


class CommunityStanding(models.Model):
    """A community as civil affairs counted it over a period, with its type then.

    The org tree keys on NBS 2023 units; the seed counts 132 communities in 2015. When a
    community has standing rows, it counted on a day only if a row covers that day, with
    that row's type; without rows, the tree's own active period and type apply
    (data/README.md)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    community_type = models.CharField(_("社区类型"), max_length=8, choices=CommunityType.choices)
    valid_from = models.DateField(_("起"))
    valid_to = models.DateField(_("止"), null=True, blank=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("社区认定")
        verbose_name_plural = _("社区认定")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="standing_one_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="standing_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_community_type_display()} {self.valid_from}"


class ItemGroup(models.TextChoices):
    THIRTEEN_ONES = "thirteen_ones", _("城镇社区“13个一”")
    RURAL = "rural", _("农村社区设施")


class FacilityItem(models.Model):
    """One item of a facility standard: the "13个一" of urban and town communities or the
    rural list. A configurable catalogue; ``from_seed`` marks the items the seed names,
    the others are assumptions written down in ``note``."""

    group = models.CharField(_("标准"), max_length=16, choices=ItemGroup.choices)
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    from_seed = models.BooleanField(_("报告原文列出"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("设施标准项")
        verbose_name_plural = _("设施标准项")
        ordering = ["group", "sort", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="facilityitem_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class AreaStandard(models.Model):
    """The minimum floor area of an urban or town community service centre, by period."""

    min_area_m2 = models.DecimalField(_("最小面积(平方米)"), max_digits=8, decimal_places=2)
    basis = models.CharField(_("依据"), max_length=200)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("服务中心面积标准")
        verbose_name_plural = _("服务中心面积标准")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"≥ {self.min_area_m2} m²"


class FacilityEvidence(models.Model):
    """A photo or document a community uploads for an item (or the centre's area)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        FacilityItem,
        verbose_name=_("设施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("照片或文件"), upload_to="building/evidence/%Y/")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("设施佐证")
        verbose_name_plural = _("设施佐证")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file.name or ""


class FacilityCheck(models.Model):
    """A township's check of one item in one community on a day (history: the latest
    check on or before a day is the item's state on that day)."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        FacilityItem, verbose_name=_("设施"), on_delete=models.PROTECT, related_name="checks"
    )
    present = models.BooleanField(_("达标"))
    checked_on = models.DateField(_("核查日期"))
    checked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(
        FacilityEvidence,
        verbose_name=_("佐证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("设施核查")
        verbose_name_plural = _("设施核查")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["unit", "item", "checked_on"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.item} {self.checked_on}"


class AreaCheck(models.Model):
    """The floor area of a community's service centre as checked on a day."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    area_m2 = models.DecimalField(_("面积(平方米)"), max_digits=8, decimal_places=2)
    checked_on = models.DateField(_("核查日期"))
    checked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.ForeignKey(
        FacilityEvidence,
        verbose_name=_("佐证"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务中心面积核查")
        verbose_name_plural = _("服务中心面积核查")
        ordering = ["-checked_on", "-pk"]
        indexes = [models.Index(fields=["unit", "checked_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="areacheck_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.area_m2} m²"


# --- the four forces: leading groups, documents, pledges --------------------------------------


class GroupKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组")
    WORKING_TEAM = "working_team", _("工作专班")
    COMMITTEE = "committee", _("社区建设工作委员会")


class PolicyDocument(models.Model):
    """A policy document (title, number, issuer, date, file) and what it governs."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=100)
    issued_on = models.DateField(_("发文日期"))
    file = models.FileField(_("文件"), upload_to="building/documents/%Y/", blank=True)
    projects = models.ManyToManyField(
        Project, verbose_name=_("相关项目"), blank=True, related_name="documents"
    )
    items = models.ManyToManyField(
        FacilityItem, verbose_name=_("相关设施标准"), blank=True, related_name="documents"
    )
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}({self.number})" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("building:document", args=[self.pk])


class LeadingGroup(models.Model):
    """A leading group (领导小组) or working team (工作专班) of a prefecture or county, or a
    community's community-building working committee."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=GroupKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("成立日期"))
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("成立文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["unit__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("building:group", args=[self.pk])


class MemberRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER_UNIT = "member_unit", _("成员单位")
    MEMBER = "member", _("成员")
    CHAIR = "chair", _("主任")
    VICE_CHAIR = "vice_chair", _("副主任")


class Walk(models.TextChoices):
    """Where a working-committee member comes from (the seed's "many walks")."""

    SECRETARY = "secretary", _("社区党组织书记")
    DIRECTOR = "director", _("居(村)委会主任")
    NPC = "npc", _("人大代表")
    CPPCC = "cppcc", _("政协委员")
    RESIDENT_REP = "resident_rep", _("居民代表")
    RETIRED_CADRE = "retired_cadre", _("离退休干部")
    SECURITY_HOUSEHOLD = "security_household", _("治安中心户长")
    BUSINESS_LEADER = "business_leader", _("企业负责人")
    VOLUNTEER_HEAD = "volunteer_head", _("志愿者协会负责人")
    UNIT_REP = "unit_rep", _("驻区单位代表")
    OFFICIAL = "official", _("党政领导")
    DEPARTMENT = "department", _("部门")


class GroupMember(models.Model):
    """A member of a group: a person (from a post where the person has one) or a member
    unit with its duties."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("小组"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(_("职务"), max_length=16, choices=MemberRole.choices)
    walk = models.CharField(_("身份"), max_length=20, choices=Walk.choices, blank=True)
    name = models.CharField(_("姓名或单位"), max_length=100)
    position = models.CharField(_("职务说明"), max_length=100, blank=True)
    post = models.ForeignKey(
        Post,
        verbose_name=_("平台岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    duties = models.TextField(_("职责"), blank=True)
    since = models.DateField(_("起"))
    until = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        ordering = ["group", "role", "pk"]

    def __str__(self) -> str:
        return self.name


class PledgeMeasure(models.TextChoices):
    STANDARDS_MET = "standards_met", _("城镇社区达标数(个)")
    HALLS_OPENED = "halls_opened", _("农村社区设立服务大厅数(个)")
    FUNDS_DISBURSED = "funds_disbursed", _("拨付资金(万元)")
    MANUAL = "manual", _("按佐证登记")


class Pledge(models.Model):
    """One of a government's yearly "ten practical things" (十件实事) with its target."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("承诺政府"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("实事"), max_length=200)
    measure = models.CharField(_("计量"), max_length=16, choices=PledgeMeasure.choices)
    target = models.DecimalField(_("目标"), max_digits=14, decimal_places=2)
    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("十件实事")
        verbose_name_plural = _("十件实事")
        ordering = ["-year", "unit__path", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="pledge_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("building:pledge", args=[self.pk])

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)


class PledgeProgress(models.Model):
    """Progress entered with evidence, for a pledge the platform cannot count itself."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("实事"), on_delete=models.CASCADE, related_name="reports"
    )
    value = models.DecimalField(_("累计完成"), max_digits=14, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200)
    evidence = models.FileField(_("佐证"), upload_to="building/pledges/%Y/", blank=True)
    reported_on = models.DateField(_("日期"))
    reported_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("实事进展")
        verbose_name_plural = _("实事进展")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pledge} {self.value}"
