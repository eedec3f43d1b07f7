"""The invited pesantren's registration: the public application, pre-filled from its mapped record."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from core.ratelimit import rate_limit
from programme import services
from programme.models import PesantrenInvitation
from sellers.forms import ApplicantAccountForm, SellerApplicationForm
from sellers.selectors import open_application_for_user
from sellers.services import seller_apply


@method_decorator(rate_limit("pesantren-application"), name="post")
class InvitationApplyView(View):
    template_name = "programme/invitation_apply.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = (
            PesantrenInvitation.objects.select_related("pesantren__kecamatan", "pesantren__kabupaten")
            .filter(token=kwargs["token"])
            .first()
        )
        if self.invitation is None:
            raise Http404
        if not self.invitation.is_open or self.invitation.pesantren.seller_id:
            return render(request, "programme/invitation_closed.html", {"invitation": self.invitation}, status=410)
        if request.user.is_authenticated and open_application_for_user(user=request.user):
            return redirect("sellers:application-status")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        initial = services.application_initial(self.invitation.pesantren)
        account = ApplicantAccountForm(prefix="account", initial={"account_email": self.invitation.email})
        return self.render(account, SellerApplicationForm(initial=initial))

    def post(self, request, token):
        needs_account = not request.user.is_authenticated
        account_form = ApplicantAccountForm(request.POST, prefix="account") if needs_account else None
        form = SellerApplicationForm(request.POST, request.FILES)
        if form.is_region_refresh():
            account_initial = {"account_email": request.POST.get("account-account_email", "")}
            return self.render(ApplicantAccountForm(initial=account_initial, prefix="account"), form)
        if not form.is_valid() or (account_form is not None and not account_form.is_valid()):
            return self.render(account_form, form, status=400)
        user = request.user
        try:
            with transaction.atomic():
                if needs_account:
                    email = account_form.cleaned_data["account_email"]
                    user = get_user_model().objects.create_user(
                        username=email[:150], email=email, password=account_form.cleaned_data["password1"]
                    )
                seller = seller_apply(owner=user, data=form.seller_data(), documents=form.documents())
                services.invitation_accepted(invitation=self.invitation, seller=seller, user=user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(account_form, form, status=400)
        if needs_account:
            login(request, user, backend="customer.auth_backends.ModelBackend")
        messages.success(request, _("Your application has been received. We will email you when it is reviewed."))
        return redirect("sellers:application-status")

    def render(self, account_form, form, status=200):
        context = {
            "account_form": account_form if not self.request.user.is_authenticated else None,
            "form": form,
            "invitation": self.invitation,
        }
        return render(self.request, self.template_name, context, status=status)
