from dashboard.selectors import product_visibility_q


def partner_product_visibility_q(user):
    """Oscar's hook for the products a non-staff user may see, keyed on the user's one pesantren."""
    return product_visibility_q(user=user)
