from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.models import MAX_RATING, MIN_RATING, ReviewStatus

STAR_CHOICES = [(value, str(value)) for value in range(MAX_RATING, MIN_RATING - 1, -1)]


class ReviewForm(forms.Form):
    product_rating = forms.TypedChoiceField(
        label=_("How is the product?"), choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    seller_rating = forms.TypedChoiceField(
        label=_("How was the pesantren's service?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Packing, speed and communication."),
    )
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    body = forms.CharField(
        label=_("Your review"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ModerationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All reviews")), *ReviewStatus.choices], required=False
    )
    q = forms.CharField(label=_("Search"), required=False)
