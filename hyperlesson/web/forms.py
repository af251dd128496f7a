"""Account forms as pages: the form again, with what was typed and one message."""

from __future__ import annotations

from flask import make_response, render_template, request

FIELD_LIMIT = 1024  # characters read from any account field: enough for every rule


def form_field(name: str) -> str:
    """A posted field, cut to FIELD_LIMIT: no rule needs more, and a hash of a longer
    password would only cost time."""
    return request.form.get(name, "")[:FIELD_LIMIT]


def render_form(template: str, form: dict, error: str | None = None, *,
                field: str | None = None, status: int = 200, **context):
    """`template` with `form` (the values to show again; never a password), the `error`
    and the `field` it belongs to (for aria-invalid and focus), with `status`."""
    return make_response(render_template(template, form=form, error=error, error_field=field,
                                          **context), status)
