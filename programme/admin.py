from django.contrib import admin

from programme.models import ProgrammeTarget


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "target_count", "measure", "deadline"]
