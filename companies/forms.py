from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Company, MembershipRole, PaymentTerms
from core.bounds import column_max
from core.money import parse_rupiah


class CompanyRegistrationForm(forms.ModelForm):
    # Formatted NPWPs (01.234.567.4-901.000) are longer than the 16 stored digits; the service normalises them.
    npwp = forms.CharField(label=Company._meta.get_field("npwp").verbose_name, max_length=24)

    class Meta:
        model = Company
        fields = ["legal_name", "npwp", "business_type", "address", "contact_name", "contact_phone", "contact_email"]

    def _post_clean(self):
        # Model validation happens in company_register, once the NPWP is normalised.
        pass


class RupiahField(forms.IntegerField):
    """Whole rupiah, typed as 5000000, 5.000.000 or Rp 5.000.000 (dots group thousands in Indonesian)."""

    # A number input would refuse the thousands dots people type.
    widget = forms.TextInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric"}

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            if "," in value:
                raise forms.ValidationError(_("Enter whole rupiah, without cents."), code="invalid")
            amount = parse_rupiah(value)
            if amount is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return amount
        return super().to_python(value)


class CompanyRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the company contact."),
    )


class CreditTermsForm(forms.Form):
    credit_limit = RupiahField(
        label=_("Credit limit (Rp)"),
        min_value=0,
        max_value=column_max(Company, "credit_limit"),
        help_text=_("0 means the company cannot pay by invoice."),
    )
    payment_terms_days = forms.TypedChoiceField(label=_("Payment terms"), choices=PaymentTerms.choices, coerce=int)


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.BUYER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class ApprovalThresholdForm(forms.Form):
    threshold = RupiahField(
        label=_("Approval threshold (Rp)"),
        required=False,
        min_value=0,
        max_value=column_max(Company, "approval_threshold"),
        help_text=_("Orders by buyers above this total wait for an approver. Leave empty if no approval is needed."),
    )


def add_validation_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
