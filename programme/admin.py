from django.contrib import admin

from programme.models import ProgrammeRole


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(admin.ModelAdmin):
    """Who holds which programme role (and a district officer's kabupaten). Targets, cohorts, mapping
    and nominations are edited in the programme dashboard, where their history is kept."""

    list_display = ["user", "kind", "kabupaten"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "kabupaten"]
