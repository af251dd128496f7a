"""Account forms as pages: the form again, with what was typed and one message."""

from __future__ import annotations

from flask import make_response, render_template


def render_form(template: str, form: dict, error: str | None = None, *,
                field: str | None = None, status: int = 200, **context):
    """`template` with `form` (the values to show again; never a password), the `error`
    and the `field` it belongs to (for aria-invalid and focus), with `status`."""
    return make_response(render_template(template, form=form, error=error, error_field=field,
                                          **context), status)
