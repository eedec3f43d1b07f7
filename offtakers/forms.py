from django import forms

from offtakers.models import Company


class CompanyRegistrationForm(forms.ModelForm):
    # Formatted NPWPs (01.234.567.8-901.000) are longer than the 16 stored digits; the service normalises them.
    npwp = forms.CharField(label=Company._meta.get_field("npwp").verbose_name, max_length=24)

    class Meta:
        model = Company
        fields = ["legal_name", "npwp", "business_type", "address", "contact_name", "contact_phone", "contact_email"]

    def _post_clean(self):
        # Model validation happens in company_register, once the NPWP is normalised.
        pass
