"""Residents, households, the groups that get help, and the floating population.

ID numbers and phones are stored only encrypted (``*_enc``), with an HMAC blind index
(``*_index``) for exact lookup and a masked copy (``*_masked``) for display; see
``shequ.people.crypto``. Changes go through ``shequ.people.actions``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import OrgUnit, User

# The 56 nationalities as written on the ID card, most common in Enshi first.
ETHNICITIES = [
    "汉族", "土家族", "苗族", "侗族", "白族", "蒙古族", "回族", "藏族", "维吾尔族", "彝族",
    "壮族", "布依族", "朝鲜族", "满族", "瑶族", "哈尼族", "哈萨克族", "傣族", "黎族",
    "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族",
    "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族",
    "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族",
    "赫哲族", "门巴族", "珞巴族", "基诺族",
]  # fmt: skip


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class RegistrationType(models.TextChoices):
    REGISTERED = "registered", _("户籍")
    RESIDENT = "resident", _("常住")
    FLOATING = "floating", _("流动")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("在册")
    MOVED_OUT = "moved_out", _("迁出")
    DECEASED = "deceased", _("死亡")


class Resident(models.Model):
    """A person living in (or registered to) a community, optionally in one of its grids."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属网格或社区"),
        on_delete=models.PROTECT,
        related_name="residents",
        help_text=_("有网格时为网格,否则为社区;决定谁能看到此居民。"),
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=16, default="汉族")
    id_number_enc = models.TextField(_("身份证号(密文)"))
    id_number_index = models.CharField(_("身份证号索引"), max_length=64, unique=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    phone_enc = models.TextField(_("手机号(密文)"), blank=True)
    phone_index = models.CharField(_("手机号索引"), max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField(_("手机号"), max_length=11, blank=True)
    key_id = models.CharField(_("加密密钥编号"), max_length=12, db_index=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    registration_type = models.CharField(
        _("户籍类型"),
        max_length=12,
        choices=RegistrationType.choices,
        default=RegistrationType.REGISTERED,
    )
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    status = models.CharField(
        _("状态"), max_length=12, choices=ResidentStatus.choices, default=ResidentStatus.LIVING
    )
    status_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["unit", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="living") | Q(status_on__isnull=False),
                name="resident_status_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.id_number_masked})"

    def get_absolute_url(self) -> str:
        return reverse("people:resident", args=[self.pk])

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def grid(self) -> OrgUnit | None:
        return self.unit if self.unit_id != self.community_id else None


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("儿媳女婿")
    OTHER = "other", _("其他")


class Household(models.Model):
    """A household (户). Its head is the member whose relation is ``head``."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属网格或社区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("户号"), max_length=32, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                condition=~Q(number=""),
                name="household_number_unique_in_community",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.address or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("people:household", args=[self.pk])


class HouseholdMember(models.Model):
    """A resident's place in a household; a resident belongs to one household at most."""

    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="members"
    )
    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="membership"
    )
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head"),
                name="household_one_head",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.resident.name}"


class Category(models.Model):
    """A group that gets help (特困人员, 残疾人, ...). The prefecture may add more."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    has_level = models.BooleanField(_("需填写等级"), default=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("帮扶对象类别")
        verbose_name_plural = _("帮扶对象类别")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name


class DisabilityLevel(models.TextChoices):
    ONE = "1", _("一级")
    TWO = "2", _("二级")
    THREE = "3", _("三级")
    FOUR = "4", _("四级")


class CategoryMembershipQuerySet(models.QuerySet["CategoryMembership"]):
    def valid_on(self, day: Any = None) -> CategoryMembershipQuerySet:
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class CategoryMembership(models.Model):
    """A resident in a category for a period, with the evidence it rests on."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="memberships"
    )
    level = models.CharField(_("等级"), max_length=8, blank=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    evidence = models.CharField(
        _("认定依据"), max_length=200, help_text=_("如批复文号、证件类别;不要填写身份证号。")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = CategoryMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶对象认定")
        verbose_name_plural = _("帮扶对象认定")
        indexes = [models.Index(fields=["category", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="category_membership_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident.name} · {self.category.name}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class FloatingInfo(models.Model):
    """What the community records about a floating (流动) resident."""

    resident = models.OneToOneField(
        Resident, verbose_name=_("居民"), on_delete=models.CASCADE, related_name="floating"
    )
    origin = models.CharField(_("来源地"), max_length=100)
    arrived_on = models.DateField(_("来本地日期"))
    has_permit = models.BooleanField(_("已办居住证"), default=False)
    permit_expires_on = models.DateField(_("居住证有效期至"), null=True, blank=True)
    workplace = models.CharField(_("工作单位或地点"), max_length=100, blank=True)
    school_age_children = models.PositiveSmallIntegerField(_("随迁学龄子女人数"), default=0)
    children_note = models.CharField(_("子女就学情况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流动人口信息")
        verbose_name_plural = _("流动人口信息")

    def __str__(self) -> str:
        return f"{self.resident.name} · {self.origin}"


class ImportBatch(models.Model):
    """One spreadsheet upload: what it created and which rows it refused.

    ``errors`` holds line numbers, names, masked ID numbers and reasons, never plain numbers.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("导入到"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    skipped = models.PositiveIntegerField(_("已存在"), default=0)
    errors = models.JSONField(_("错误行"), default=list)
    created_at = models.DateTimeField(_("导入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("people:import_result", args=[self.pk])


# --- resident units (驻区单位) -------------------------------------------------------------


class Trade(models.TextChoices):
    """The 20 sections (门类) of GB/T 4754-2017, the national industry classification."""

    A = "A", _("农、林、牧、渔业")
    B = "B", _("采矿业")
    C = "C", _("制造业")
    D = "D", _("电力、热力、燃气及水生产和供应业")
    E = "E", _("建筑业")
    F = "F", _("批发和零售业")
    G = "G", _("交通运输、仓储和邮政业")
    H = "H", _("住宿和餐饮业")
    I = "I", _("信息传输、软件和信息技术服务业")  # noqa: E741
    J = "J", _("金融业")
    K = "K", _("房地产业")
    L = "L", _("租赁和商务服务业")
    M = "M", _("科学研究和技术服务业")
    N = "N", _("水利、环境和公共设施管理业")
    O = "O", _("居民服务、修理和其他服务业")  # noqa: E741
    P = "P", _("教育")
    Q = "Q", _("卫生和社会工作")
    R = "R", _("文化、体育和娱乐业")
    S = "S", _("公共管理、社会保障和社会组织")
    T = "T", _("国际组织")


class UnitSize(models.TextChoices):
    """The enterprise size classes (大中小微型企业划型); other bodies pick the nearest."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class ResidentUnitStatus(models.TextChoices):
    ACTIVE = "active", _("在驻")
    LEFT = "left", _("已迁离或注销")


# The first character of a unified social credit code names the registering authority
# (GB 32100-2015); read from the code, never typed.
REGISTRATION_AUTHORITIES = {
    "1": _("机构编制(机关、事业单位)"),
    "2": _("外交"),
    "3": _("司法行政(律师事务所等)"),
    "4": _("文化"),
    "5": _("民政(社会组织)"),
    "6": _("旅游"),
    "7": _("宗教"),
    "8": _("工会"),
    "9": _("市场监管(企业、个体工商户、农民专业合作社)"),
    "A": _("中央军委改革和编制"),
    "N": _("农业农村(农村集体经济组织)"),
    "Y": _("其他"),
}


class ResidentUnitQuerySet(models.QuerySet["ResidentUnit"]):
    def active(self) -> ResidentUnitQuerySet:
        return self.filter(status=ResidentUnitStatus.ACTIVE)


class ResidentUnit(models.Model):
    """An organisation located in a community (驻区单位): a company, a public body, a
    social organisation. Services' unit applicants, mediation's third parties and the
    jobs app's vacancy reports all point here. The contact's mobile is stored like a
    resident's: encrypted, with a blind index and a masked copy."""

    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属网格或社区"),
        on_delete=models.PROTECT,
        related_name="resident_units",
        help_text=_("有网格时为网格,否则为社区;决定谁能看到此单位。"),
    )
    community = models.ForeignKey(
        OrgUnit, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    trade = models.CharField(_("行业"), max_length=1, choices=Trade.choices)
    size = models.CharField(_("规模"), max_length=8, choices=UnitSize.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_enc = models.TextField(_("联系人手机(密文)"), blank=True)
    contact_phone_index = models.CharField(
        _("联系人手机索引"), max_length=64, blank=True, db_index=True
    )
    contact_phone_masked = models.CharField(_("联系人手机"), max_length=11, blank=True)
    key_id = models.CharField(_("加密密钥编号"), max_length=12, blank=True, db_index=True)
    co_building = models.BooleanField(
        _("参加共驻共建"), default=False, help_text=_("单位与社区签订共驻共建协议、参与社区建设。")
    )
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=ResidentUnitStatus.choices,
        default=ResidentUnitStatus.ACTIVE,
    )
    status_on = models.DateField(_("迁离或注销日期"), null=True, blank=True)
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = ResidentUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("驻区单位")
        verbose_name_plural = _("驻区单位")
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["unit", "name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active") | Q(status_on__isnull=False),
                name="residentunit_status_dated",
            ),
            models.CheckConstraint(
                condition=Q(trade__in=Trade.values), name="residentunit_trade_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:resident_unit", args=[self.pk])

    @property
    def registration_authority(self) -> str:
        """The registering authority read from the code's first character."""
        return str(REGISTRATION_AUTHORITIES.get(self.credit_code[:1], _("未知")))

    @property
    def grid(self) -> OrgUnit | None:
        return self.unit if self.unit_id != self.community_id else None
