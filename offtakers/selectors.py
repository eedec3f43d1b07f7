from offtakers.models import Company, CompanyMembership, PriceTier


def verified_company_for_user(user) -> Company | None:
    """The verified company `user` buys for, or None (consumers, anonymous users, unverified companies)."""
    if user is None or not user.is_authenticated:
        return None
    return Company.objects.verified().filter(memberships__user=user).order_by("pk").first()


def tier_for_quantity(*, stockrecord, quantity: int) -> PriceTier | None:
    return (
        PriceTier.objects.filter(stockrecord=stockrecord, min_quantity__lte=quantity).order_by("-min_quantity").first()
    )


def memberships_for_user(user):
    return CompanyMembership.objects.filter(user=user).select_related("company").order_by("company__legal_name")
