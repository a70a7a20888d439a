from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from spil.access import policy

register = template.Library()


@register.filter
def names(persons) -> str:
    """The full names of persons, comma separated: how lists show who a melding or case is about."""
    return ", ".join(person.full_name for person in persons)


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.simple_tag
def error_list(*forms_):
    """(anchor, label, message) for every error in the given forms and formsets, for the error summary."""
    errors = []
    for form in forms_:
        if hasattr(form, "management_form"):  # a formset
            errors += [(None, "", message) for message in form.non_form_errors()]
            errors += error_list(*form.forms)
        elif hasattr(form, "fields"):
            for name, messages in form.errors.items():
                field = form.fields.get(name)
                anchor = form[name].auto_id if field and not field.widget.is_hidden else None
                label = field.label if field else ""
                errors += [(anchor, label, message) for message in messages]
    return errors


@register.simple_tag(takes_context=True)
def can(context, action, house) -> bool:
    return policy.can(context["request"].user, action, house)


@register.inclusion_tag("web/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str):
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    descending = active and current.startswith("-")
    return {
        "request": context["request"],
        "label": label,
        "next_sort": key if descending or not active else f"-{key}",
        "aria_sort": ("descending" if descending else "ascending") if active else "none",
    }


@register.filter
def select_options(widget) -> str:
    """The <option>s of a select widget's context, as Django's own option template renders them, but in Python: a
    template include per option made a list page with a few long selects (gemeenten, partners) cost more than its rows."""

    def attributes(attrs):
        return format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
                for name, value in attrs.items()
                if value is not False
            ),
        )

    def option(choice):
        return format_html(
            '<option value="{}"{}>{}</option>',
            choice["value"] if choice["value"] is not None else "",
            attributes(choice["attrs"]),
            choice["label"],
        )

    parts = []
    for group_name, choices, _index in widget["optgroups"]:
        rendered = mark_safe("".join(option(choice) for choice in choices))
        parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered)
    return mark_safe("".join(parts))
