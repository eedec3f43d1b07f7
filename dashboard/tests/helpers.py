"""Build a dashboard form submission the way a browser would, from the page's own forms."""


def form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        data[form.add_prefix(name)] = value
    return data


def product_page_data(context, **overrides) -> dict:
    """The product form and every formset of a product dashboard page, with overrides by field name."""
    data = form_data(context["form"])
    for key in ("category_formset", "image_formset", "stockrecord_formset", "recommended_formset"):
        formset = context.get(key)
        if formset is None:
            continue
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            data.update({k: v for k, v in form_data(form).items() if not k.endswith("-original")})
    data = {key: value for key, value in data.items() if value is not None}
    data.update(overrides)
    return data
