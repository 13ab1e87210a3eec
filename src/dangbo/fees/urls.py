"""Routes of the party fee pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.fees import views

urlpatterns = [
    path("dang-phi/", views.fee_home, name="fees_home"),
    path("dang-phi/so/<int:fee_org_id>/", views.ledger, name="fees_ledger"),
    path("dang-phi/dang-vien/<int:fee_member_id>/", views.member_fees, name="fees_member"),
    path("dang-phi/bien-lai/<int:fee_payment_id>/", views.receipt, name="fees_receipt"),
    path("dang-phi/bien-lai/<int:fee_payment_id>.docx", views.receipt_docx, name="fees_receipt_docx"),
    path("dang-phi/dang-vien/<int:fee_member_id>/bien-lai.docx", views.member_receipt_docx,
         name="fees_member_receipt_docx"),
    path("dang-phi/bien-lai/<int:fee_payment_id>/huy/", views.payment_cancel, name="fees_payment_cancel"),
    path("dang-phi/nop-cap-tren/<int:fee_org_id>/", views.remittance_page, name="fees_remittances"),
    path("dang-phi/quyet-toan/<int:fee_org_id>/", views.settlement_page, name="fees_settlement"),
    path("dang-phi/quyet-toan/<int:fee_org_id>.xlsx", views.settlement_xlsx, name="fees_settlement_xlsx"),
    path("dang-phi/quyet-toan/<int:fee_org_id>.docx", views.settlement_docx, name="fees_settlement_docx"),
]
