from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """The site-wide search box; Oscar's context processor renders it on every page."""

    q = forms.CharField(
        required=False,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Search pesantren products…"), "autocomplete": "off"}
        ),
    )

    def __init__(self, *args, **kwargs):
        # Oscar's context processor passes request.GET positionally; an empty GET is unbound.
        if args and not args[0]:
            args = (None, *args[1:])
        super().__init__(*args, **kwargs)

    @property
    def query(self) -> str:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["q"].strip()
        return ""
