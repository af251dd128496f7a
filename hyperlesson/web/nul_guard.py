"""No NUL character gets past the door: PostgreSQL refuses one in any text value (a 500
wherever a typed field is stored or looked up), and no field of ours needs one."""

from __future__ import annotations

from flask import Flask, abort, request

NUL_REFUSED = ("What was sent contains a NUL character (U+0000), which no field here "
               "takes. Remove it (it often comes from pasting binary text) and send it "
               "again.")
# The try-it panel checks its own fields and says which one holds the NUL
# (tryit/request.py); the sandbox is an app of its own, not guarded here.
OWN_CHECKS = {"tryit"}


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul():
        if request.blueprint in OWN_CHECKS:
            return
        for values in (request.args, request.form):
            if any("\x00" in value for _name, value in values.items(multi=True)):
                abort(400, NUL_REFUSED)
