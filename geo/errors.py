"""Domain errors that carry their HTTP meaning.

The web layer maps every `GuatuError` to one response shape (an RFC 9457
problem document, web/core/problems.py), so rules raise these and never build
responses themselves. Each class names its kind by `code`; its `http_status`
is the one geo/problems.py's table gives that kind, checked when the class is
defined, so no error can drift to a status of its own. Messages come from the
catalogue (geo/messages.py) in Chinese; the boundary renders them again in
the reader's language, so a message is built with `t`, `compose` or `join`,
never by string concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo.messages import compose, join, t
from geo.problems import KINDS


class GuatuError(Exception):
    """Base of every error a user can be shown."""

    http_status = 500
    code = "error"
    retry_after: int | None = None  # seconds, sent as Retry-After (a 503 that will pass)

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        kind = KINDS.get(cls.code)
        if kind is None or kind.status != cls.http_status:
            raise TypeError(f"{cls.__name__}: code {cls.code!r} with status {cls.http_status} is not a kind of "
                            "geo/problems.py's table (add it there, with its status, once)")

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"error": self.code, "message": self.message}


class NotFound(GuatuError):
    http_status = 404
    code = "not_found"


class Conflict(GuatuError):
    """A write named a version that is no longer the current one."""

    http_status = 409
    code = "conflict"

    def __init__(self, message: str, *, current: dict | None = None) -> None:
        super().__init__(message)
        self.current = current

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.current is not None:
            out["current"] = self.current
        return out


class TooLarge(GuatuError):
    """An upload or body larger than its limit (HTTP 413); nothing of it was kept."""

    http_status = 413
    code = "request_entity_too_large"


class UnsupportedMedia(GuatuError):
    """An upload of a kind we do not read (HTTP 415): not an image, or an image format we refuse."""

    http_status = 415
    code = "unsupported_media_type"


class BadParameter(GuatuError):
    """A query or print parameter that cannot be read or honoured; names it."""

    http_status = 400
    code = "bad_parameter"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(compose("{parameter}: {message}", parameter=parameter, message=message))
        self.parameter = parameter

    def to_dict(self) -> dict:
        return {**super().to_dict(), "parameter": self.parameter}


class PreconditionRequired(GuatuError):
    """A write that does not say which version it started from (HTTP 428)."""

    http_status = 428
    code = "precondition_required"


class StoreBusy(GuatuError):
    """The write lock could not be taken in time."""

    http_status = 503
    code = "busy"


class DiskFull(GuatuError):
    """The disk holding the campaign's files is full (or over quota): nothing of the write was kept (HTTP 507)."""

    http_status = 507
    code = "disk_full"


class BrokenLayer(GuatuError):
    """A layer file on disk cannot be read; writes to it are refused."""

    http_status = 503
    code = "broken_layer"


class BrokenBoundary(GuatuError):
    """A boundary file (district, sub-districts, communities) cannot be read: what needs its outlines answers 503
    with the reason; the wall and the editor go on without them (geo/boundaries.py)."""

    http_status = 503
    code = "broken_boundary"


class BrokenRecord(GuatuError):
    """A stored record (a day's inspection list, a notification's state…) cannot be read: what needs it answers
    503 naming it; `store check` lists every such record and `store repair` moves them aside."""

    http_status = 503
    code = "broken_record"
    finding = None  # how /api/health lists it (geo.store.base.Finding), where the record is checked there
    where = None  # the record, the file or the database, as the server's log and `store check` name it


class JournalDamaged(GuatuError):
    """The change journal has a line that cannot be read; every write is refused until `store repair`."""

    http_status = 503
    code = "journal_damaged"


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of one feature."""

    field: str
    message: str
    feature: str | None = None

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        """"feature: field: message", in the reader's language where rendered at the boundary."""
        if self.feature:
            return compose("{feature}: {field}: {message}", feature=self.feature, field=self.field, message=self.message)
        return compose("{field}: {message}", field=self.field, message=self.message)


class ValidationError(GuatuError):
    """Input that breaks a rule; lists every field at fault."""

    http_status = 422
    code = "invalid"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__(join("; ", [e.text() for e in errors]))

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["fields"] = [
            {"feature": e.feature, "field": e.field, "message": e.message} for e in self.errors
        ]
        return out


class BadParameters(ValidationError):
    """Query or path parameters that cannot be read (HTTP 400); names the first and lists every one in `fields`."""

    http_status = 400
    code = "bad_parameter"

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["parameter"] = self.errors[0].field if self.errors else ""
        return out


class MalformedRequest(ValidationError):
    """A body that cannot be read at all — not JSON, or missing where one is required (HTTP 400); `fields`
    names `body`."""

    http_status = 400
    code = "bad_request"


@dataclass
class ConfigError(Exception):
    """The campaign configuration is unusable; raised at start-up."""

    path: str
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = "\n  - ".join(self.problems)
        return t("config.invalid", path=self.path, count=len(self.problems)) + f"\n  - {lines}"
