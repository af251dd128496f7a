"""/image by Accept, and /image/png|jpeg|webp|svg: the same small checkerboard in each
format (pictures.py makes them), so a learner can watch content negotiation work."""

from __future__ import annotations

from flask import Blueprint, Response, request

from . import pictures
from .pictures import IMAGE_TYPES
from .status import status_response

bp = Blueprint("images", __name__)

PICTURES = {
    "image/png": pictures.png(),
    "image/jpeg": pictures.jpeg(),
    "image/webp": pictures.webp(),
    "image/svg+xml": pictures.svg(),
}


def picture(mimetype: str) -> Response:
    return Response(PICTURES[mimetype], content_type=mimetype)  # no charset: not text


@bp.get("/image")
def image():
    """The first of webp, svg, jpeg, png that Accept names (image/* and no Accept: png);
    anything else is httpbin's 406, which lists the types."""
    accept = request.headers.get("Accept")
    if accept is None:
        return picture("image/png")
    accept = accept.lower()
    for mimetype in IMAGE_TYPES[:-1]:
        if mimetype in accept:
            return picture(mimetype)
    if "image/*" in accept:
        return picture("image/png")
    return status_response(406)


@bp.get("/image/png")
def png():
    return picture("image/png")


@bp.get("/image/jpeg")
def jpeg():
    return picture("image/jpeg")


@bp.get("/image/webp")
def webp():
    return picture("image/webp")


@bp.get("/image/svg")
def svg():
    return picture("image/svg+xml")
