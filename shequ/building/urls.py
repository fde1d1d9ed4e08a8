from django.urls import path

from shequ.building import views

app_name = "building"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("figures/", views.figures, name="figures"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("ledger/new/", views.entry_new, name="entry_new"),
    path("ledger/<int:entry_id>/", views.entry_detail, name="entry"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/sheet/", views.approval_sheet, name="approval_sheet"),
    path("projects/reports/<int:report_id>/photo/", views.project_photo, name="project_photo"),
    path("standards/", views.compliance, name="compliance"),
    path("standards/community/<int:unit_id>/", views.community, name="community"),
    path("standards/evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/members/<int:member_id>/end/", views.member_end, name="member_end"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/file/", views.document_file, name="document_file"),
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/<int:pledge_id>/", views.pledge_detail, name="pledge"),
    path(
        "pledges/reports/<int:report_id>/evidence/", views.pledge_evidence, name="pledge_evidence"
    ),
]
