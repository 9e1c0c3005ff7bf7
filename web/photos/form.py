"""An upload's form fields as geo.photos.add_photo takes them (which checks them before it reads the image).

Text fields pass as they are (role, problem, inspection, taken_at, caption); `lon` and `lat` become the
device's position; `client_id`, which a phone makes up to send the same photo again safely, must be a plain
token. Anything wrong is a 422 naming its field, and nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from geo.errors import FieldError, ValidationError
from geo.messages import t

CLIENT_ID_MAX = 64
_CLIENT_ID = re.compile(rf"^[A-Za-z0-9._:-]{{1,{CLIENT_ID_MAX}}}$")
TEXT_FIELDS = ("role", "problem", "inspection", "taken_at", "caption")


def upload_fields(form: Mapping[str, str], *, problem: str | None = None) -> dict:
    """add_photo's keyword arguments from `form`; `problem` when the URL names the problem."""
    out: dict = {name: (form.get(name) or "").strip() or None for name in TEXT_FIELDS}
    out["caption"] = (form.get("caption") or "").strip()
    if problem is not None:
        out["problem"] = problem
    lon, lat = (form.get(name, "").strip() for name in ("lon", "lat"))
    out["location"] = {"lon": lon or None, "lat": lat or None} if lon or lat else None  # add_photo checks both
    client_id = (form.get("client_id") or "").strip() or None
    if client_id is not None and not _CLIENT_ID.match(client_id):
        raise ValidationError([FieldError("client_id", t("photos.bad_client_id", limit=CLIENT_ID_MAX))])
    out["client_id"] = client_id
    return out
