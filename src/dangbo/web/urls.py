from django.contrib.auth import views as auth_views
from django.urls import include, path

from dangbo.accounts.views import Logout, home
from dangbo.audit.views import audit_log
from dangbo.members import views as members
from dangbo.orgs import views as orgs
from dangbo.web.access import staff_page
from dangbo.web.views import rule_settings

TREE_ONLY = "Cây tổ chức và danh sách đảng viên dành cho cán bộ Văn phòng Đảng ủy và bí thư các tổ chức đảng."

urlpatterns = [
    path("", home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("dang-xuat/", Logout.as_view(), name="logout"),
    path("to-chuc/", staff_page(orgs.org_tree, message=TREE_ONLY), name="org_tree"),
    path("to-chuc/them/", staff_page(orgs.org_found, message=TREE_ONLY), name="org_found"),
    path("to-chuc/hop-nhat/", staff_page(orgs.org_merge, message=TREE_ONLY), name="org_merge"),
    path("to-chuc/<int:org_id>/", orgs.org_detail, name="org_detail"),
    path("to-chuc/<int:org_id>/su-kien/", orgs.org_event, name="org_event"),
    path("dang-vien/", staff_page(members.member_list, member_redirect="member_detail"), name="member_list"),
    path("dang-vien/them/", staff_page(members.member_create, message=TREE_ONLY), name="member_create"),
    path("dang-vien/<int:member_id>/", members.member_detail, name="member_detail"),
    path("dang-vien/<int:member_id>/sua/", members.member_edit, name="member_edit"),
    path("dang-vien/<int:member_id>/su-kien/", members.member_event, name="member_event"),
    path("dang-vien/xuat.csv", staff_page(members.member_export, message=TREE_ONLY), name="member_export"),
    path("nhat-ky/", audit_log, name="audit_log"),
    path("quy-dinh/", rule_settings, name="rule_settings"),
    path("", include("dangbo.congress.urls")),
    path("", include("dangbo.elections.urls")),
    path("", include("dangbo.votes.urls")),
    path("", include("dangbo.appraisal.urls")),
    path("", include("dangbo.registry.urls")),
    path("", include("dangbo.documents.urls")),
    path("", include("dangbo.workdays.urls")),
    path("", include("dangbo.procedures.urls")),
    path("", include("dangbo.reports.urls")),
    path("", include("dangbo.meetings.urls")),
    path("", include("dangbo.programme.urls")),
    path("", include("dangbo.fees.urls")),
]
