"""A bare page with the chained selects, so the browser test exercises region-select.js alone."""

from django import forms
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from regions.forms import RegionChainMixin


class AddressForm(RegionChainMixin, forms.Form):
    postal_code = forms.CharField(max_length=5)


PAGE = """{% load static %}<!doctype html>
<html><head><meta charset="utf-8"><title>Regions</title></head><body>
<form method="post">{% csrf_token %}
{% include "regions/includes/region_fields.html" with form=form %}
{{ form.postal_code }}
<button type="submit">Save</button>
</form></body></html>"""


def address(request):
    form = AddressForm(request.POST or None)
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"form": form}, request))


urlpatterns = [
    path("address/", address),
    path("wilayah/", include("regions.urls")),
]
