"""Routes of the elections pages (included at the site root by `dangbo.web.urls`)."""

from django.urls import path

from dangbo.elections import views

E = "bau-cu/<int:election_id>/"

urlpatterns = [
    path("bau-cu/", views.election_list, name="election_list"),
    path("dai-hoi/<int:congress_id>/bau-cu/", views.congress_elections, name="congress_elections"),
    path(E, views.election_detail, name="election_detail"),
    path(E + "danh-sach/", views.election_candidates, name="election_candidates"),
    path(E + "co-so/", views.election_base, name="election_base"),
    path(E + "bat-dau/", views.election_open, name="election_open"),
    path(E + "niem-phong/", views.election_count_start, name="election_count_start"),
    path(E + "nhap-phieu-1/", views.ballot_entry, {"teller": 1}, name="ballot_entry_1"),
    path(E + "nhap-phieu-2/", views.ballot_entry, {"teller": 2}, name="ballot_entry_2"),
    path(E + "ban-kiem-phieu/", views.ballot_desk, name="ballot_desk"),
    path(E + "kiem-phieu/", views.election_tally, name="election_tally"),
    path(E + "khieu-nai/", views.election_complaints, name="election_complaints"),
    path(E + "lan-tiep/", views.election_next_round, name="election_next_round"),
    path(E + "trinh-chieu/", views.election_projector, name="election_projector"),
    path(E + "phieu-bau.docx", views.ballot_paper, name="election_ballot_paper"),
    path(E + "bien-ban.docx", views.counting_minutes, name="election_minutes"),
    path(E + "phieu.csv", views.ballots_csv, name="election_ballots_csv"),
    path(E + "ung-vien.csv", views.candidates_csv, name="election_candidates_csv"),
]
