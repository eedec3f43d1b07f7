"""Programme staff's event pages, under the programme dashboard."""

from django.urls import path

from events import staff_views

app_name = "events-programme"
urlpatterns = [
    path("", staff_views.EventListView.as_view(), name="list"),
    path("tambah/", staff_views.EventCreateView.as_view(), name="create"),
    path("<int:pk>/", staff_views.EventStaffDetailView.as_view(), name="detail"),
    path("<int:pk>/ubah/", staff_views.EventEditView.as_view(), name="edit"),
    path("<int:pk>/checkin/", staff_views.CheckInView.as_view(), name="checkin"),
    path("<int:pk>/pertemuan/", staff_views.MeetingsView.as_view(), name="meetings"),
    path("<int:pk>/pertemuan/<int:meeting_pk>/hapus/", staff_views.MeetingCancelView.as_view(), name="meeting-cancel"),
    path("<int:pk>/etalase/", staff_views.ShowcaseEditView.as_view(), name="showcase"),
]
