import oscar.apps.customer.apps as apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app, forked for sign-in and registration with same-site redirects and rate
    limits (`customer/views.py`)."""

    name = "customer"
