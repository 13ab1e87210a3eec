from django.contrib.auth import views as auth_views
from django.urls import path

from dangbo.accounts.views import home
from dangbo.appraisal import views as appraisal
from dangbo.audit.views import audit_log
from dangbo.congress import views as congress
from dangbo.members import views as members
from dangbo.orgs import views as orgs
from dangbo.registry import views as registry
from dangbo.web.views import rule_settings

urlpatterns = [
    path("", home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("to-chuc/", orgs.org_tree, name="org_tree"),
    path("to-chuc/them/", orgs.org_found, name="org_found"),
    path("to-chuc/hop-nhat/", orgs.org_merge, name="org_merge"),
    path("to-chuc/<int:org_id>/", orgs.org_detail, name="org_detail"),
    path("to-chuc/<int:org_id>/su-kien/", orgs.org_event, name="org_event"),
    path("dang-vien/", members.member_list, name="member_list"),
    path("dang-vien/them/", members.member_create, name="member_create"),
    path("dang-vien/<int:member_id>/", members.member_detail, name="member_detail"),
    path("dang-vien/<int:member_id>/sua/", members.member_edit, name="member_edit"),
    path("dang-vien/<int:member_id>/su-kien/", members.member_event, name="member_event"),
    path("dang-vien/xuat.csv", members.member_export, name="member_export"),
    path("dai-hoi/", congress.congress_list, name="congress_list"),
    path("dai-hoi/<int:congress_id>/", congress.congress_detail, name="congress_detail"),
    path("dai-hoi/<int:congress_id>/diem-danh/", congress.congress_check_in, name="congress_check_in"),
    path("dai-hoi/<int:congress_id>/diem-danh/huy/", congress.congress_check_in_undo, name="congress_check_in_undo"),
    path("dai-hoi/<int:congress_id>/tu-cach/", congress.congress_quorum, name="congress_quorum"),
    path("danh-gia/", appraisal.campaign_list, name="appraisal_campaigns"),
    path("danh-gia/<int:campaign_id>/", appraisal.campaign_detail, name="appraisal_campaign"),
    path("danh-gia/<int:campaign_id>/ty-le/", appraisal.campaign_quota, name="appraisal_quota"),
    path("danh-gia/<int:campaign_id>/de-xuat/<int:org_id>/", appraisal.cell_propose, name="appraisal_cell_propose"),
    path("danh-gia/<int:campaign_id>/quyet-dinh/<int:org_id>/", appraisal.unit_decide, name="appraisal_decide"),
    path("danh-gia/phieu/<int:review_id>/", appraisal.review_detail, name="appraisal_review"),
    path("nhat-ky/", audit_log, name="audit_log"),
    path("quy-dinh/", rule_settings, name="rule_settings"),
    path("nhap-danh-sach/", registry.batch_list, name="registry_batches"),
    path("nhap-danh-sach/<int:batch_id>/", registry.batch_detail, name="registry_batch"),
    path("nhap-danh-sach/cap/<int:pair_id>/hop-nhat/", registry.pair_merge, name="registry_pair_merge"),
    path("nhap-danh-sach/cap/<int:pair_id>/giu-rieng/", registry.pair_keep_apart, name="registry_pair_keep_apart"),
    path("nhap-danh-sach/cap/<int:pair_id>/hoan-tac/", registry.pair_undo, name="registry_pair_undo"),
]
