"""Posting admin forms the way a browser would: start from what the page rendered."""


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bool):
        return "on" if value else ""
    return value


def form_fields(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        value = _value(value)
        if value == "" and field.widget.__class__.__name__ == "CheckboxInput":
            continue
        data[form.add_prefix(name)] = value
    return data


def change_form_data(client, url, **changes) -> dict:
    """The data an unchanged submit of the admin page at `url` would post, plus `changes`."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    context = response.context
    data = form_fields(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): value for name, value in management.initial.items()}
        )
        for form in formset.initial_forms:
            data.update(form_fields(form))
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
