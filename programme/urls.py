from django.urls import path

from programme import people_views, views, work_views

app_name = "programme"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("wilayah/", views.MappingView.as_view(), name="mapping"),
    path("wilayah/<str:code>/", views.KabupatenDetailView.as_view(), name="kabupaten"),
    path("wilayah/<str:code>/pesantren/", work_views.MappedListView.as_view(), name="mapped-list"),
    path("wilayah/<str:code>/pesantren/tambah/", work_views.MappedCreateView.as_view(), name="mapped-create"),
    path("wilayah/<str:code>/pesantren/impor/", work_views.MappedImportView.as_view(), name="mapped-import"),
    path("pemetaan/templat.csv", work_views.ImportTemplateView.as_view(), name="mapped-template"),
    path("pemetaan/<int:pk>/", work_views.MappedDetailView.as_view(), name="mapped-detail"),
    path("pemetaan/<int:pk>/ubah/", work_views.MappedEditView.as_view(), name="mapped-edit"),
    path("pemetaan/<int:pk>/nominasi/", work_views.NominateView.as_view(), name="nominate"),
    path("pemetaan/<int:pk>/undang/", work_views.InviteView.as_view(), name="invite"),
    path("nominasi/<int:pk>/tarik/", work_views.NominationWithdrawView.as_view(), name="nomination-withdraw"),
    path("kohort/", work_views.CohortListView.as_view(), name="cohorts"),
    path("kohort/<int:pk>/", work_views.CohortDetailView.as_view(), name="cohort"),
    path("kohort/<int:pk>/tahap/", work_views.CohortStagesView.as_view(), name="cohort-stages"),
    path("kohort/<int:pk>/peserta/", work_views.EnrolView.as_view(), name="enrol"),
    path("kohort/<int:pk>/target/", work_views.TargetCreateView.as_view(), name="target-create"),
    path("target/<int:pk>/", work_views.TargetEditView.as_view(), name="target-edit"),
    path("peserta/<int:pk>/", work_views.ParticipantView.as_view(), name="participant"),
    path("mentor/", work_views.MentorHomeView.as_view(), name="mentor-home"),
    path("mentor/<int:pk>/kunjungan/", work_views.MentorVisitView.as_view(), name="mentor-visits"),
    path("mentor/tindakan/<int:pk>/selesai/", work_views.ActionItemDoneView.as_view(), name="mentor-action-done"),
    path("kunjungan/foto/<int:pk>/", work_views.VisitPhotoView.as_view(), name="visit-photo"),
    path("peran/", people_views.RolesView.as_view(), name="roles"),
    path("peran/<int:pk>/cabut/", people_views.RoleRevokeView.as_view(), name="role-revoke"),
    path("pendampingan/", people_views.AssignmentsView.as_view(), name="assignments"),
    path("pendampingan/<int:pk>/akhiri/", people_views.AssignmentEndView.as_view(), name="assignment-end"),
    path("peta/jumlah.json", views.MapCountsView.as_view(), name="map-counts"),
    path("peta/batas-<slug:level>.geojson", views.BoundariesView.as_view(), name="boundaries"),
    path("pesantren/", views.DirectoryView.as_view(), name="directory"),
    path("ekspor/<slug:kind>.csv", views.ExportView.as_view(), name="export"),
]
