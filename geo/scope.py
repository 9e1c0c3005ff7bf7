"""Where a person may write (三级管理): a scope of sub-districts, communities and responsible units.

The campaign is managed at three levels. The district's command (指挥部)
writes everywhere; a sub-district leader (街道 / 包村领导) writes within
their sub-districts, a community or village committee (社区 / 村三委) within
their communities, a department assigned to places (包村科室) within the
places it is the responsible unit of. Everyone sees the whole campaign.

A `Scope` names the sub-districts, communities and units a person writes in.
It covers a place when any of them names the place (its `street`, its
`community` or its `unit`); the empty scope covers every place (the
district's level). A write must be covered before and after: nobody moves a
place out of their scope, or into it from somebody else's.

`Scope.level` is the level the scope stands for, named for people by
`level_label`. The inspector (督导员) is a role, not a scope: inspectors record
inspections anywhere (geo/accounts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from geo.errors import FieldError, GuatuError, ValidationError
from geo.messages import t

LEVELS = ("district", "street", "community", "unit")  # the empty scope is the district's
LEVEL_KEYS = {"district": "scope.level.district", "street": "scope.level.street",
              "community": "scope.level.community", "unit": "scope.level.unit"}
FIELDS = ("streets", "communities", "units")


class OutOfScope(GuatuError):
    """A write outside the writer's scope (403), naming the scope."""

    http_status = 403
    code = "forbidden"

    def __init__(self, message: str, *, scope: Scope) -> None:
        super().__init__(message)
        self.scope = scope

    def to_dict(self) -> dict:
        return {**super().to_dict(), "scope": self.scope.to_dict()}


def _names(value, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValidationError([FieldError(f"scope.{field}", t("scope.not_names"))])
    names = [v.strip() for v in value if v.strip()]
    return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Scope:
    """Sub-districts, communities and responsible units; all empty: the whole district."""

    streets: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    @property
    def everywhere(self) -> bool:
        return not (self.streets or self.communities or self.units)

    @property
    def level(self) -> str:
        """district, street, community or unit: the widest part the scope names."""
        if self.everywhere:
            return "district"
        if self.streets:
            return "street"
        if self.communities:
            return "community"
        return "unit"

    def covers(self, props: Mapping | None) -> bool:
        """Whether a place with these properties lies in the scope."""
        if self.everywhere:
            return True
        if not props:
            return False
        return (props.get("street") in self.streets or props.get("community") in self.communities
                or props.get("unit") in self.units)

    def describe(self) -> str:
        """The scope in words: 全区, or its names (大学路街道、金桥社区、区住建局)."""
        if self.everywhere:
            return t("scope.everywhere")
        return "、".join((*self.streets, *self.communities, *self.units))

    def to_dict(self) -> dict:
        return {"streets": list(self.streets), "communities": list(self.communities), "units": list(self.units)}

    @classmethod
    def from_dict(cls, raw: Mapping | None) -> Scope:
        """A scope from its JSON form; ValidationError naming the field for anything else."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise ValidationError([FieldError("scope", t("scope.not_object"))])
        unknown = sorted(set(raw) - set(FIELDS))
        if unknown:
            raise ValidationError([FieldError(f"scope.{k}", t("scope.unknown_field", fields="、".join(FIELDS)))
                                   for k in unknown])
        return cls(*(_names(raw.get(f), f) for f in FIELDS))

    def check_known(self, streets: Iterable[str], communities: Iterable[str], units: Iterable[str]) -> None:
        """ValidationError for a name the campaign does not know (a typo would lock a person out silently)."""
        known = {"streets": set(streets), "communities": set(communities), "units": set(units)}
        errors = [FieldError(f"scope.{f}", t("scope.unknown_name", name=name))
                  for f in FIELDS for name in getattr(self, f) if name not in known[f]]
        if errors:
            raise ValidationError(errors)


EVERYWHERE = Scope()


def level_label(level: str) -> str:
    """指挥部, 街道, 社区, 包村科室, or 督导员 for `inspector` (a role, named as roles are)."""
    if level == "inspector":
        return t("role.inspector")
    return t(LEVEL_KEYS[level])


def check_write(scope: Scope | None, before: Mapping | None, after: Mapping | None, fid: str) -> None:
    """OutOfScope unless `scope` covers the place as it was (`before`, None for a new place) and as it
    will be (`after`, None for a deletion)."""
    if scope is None or scope.everywhere:
        return
    for props in (before, after):
        if props is not None and not scope.covers(props):
            raise OutOfScope(t("scope.out_of_scope", fid=fid, place=(props.get("name") or fid),
                               scope=scope.describe()), scope=scope)
