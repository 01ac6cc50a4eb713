"""A framework as data: practices (or kinds) with definitions, indicators and examples.

A framework file is TOML::

    name = "publieke_bricoleurs"
    description = "..."

    [[practices]]
    code = "P1"
    name = "Situaties in kaart brengen"
    definition = "..."
    indicators = ["in kaart brengen", "vraag achter de vraag"]
    counter_indicators = ["subsidie"]
    examples = ["Een korte anekdote ...", "..."]

    [none]
    examples = ["Een anekdote waarin geen werkpraktijk zichtbaar is ..."]
    indicators = ["krijgt energie van"]

Optional keys: ``[[practices]].negated_as`` (the code a negated indicator counts for, used by
the kinds: "niet tevreden" is a bottleneck) and a top-level ``hedge_as`` (the code that hedged
or modal phrases such as "zou … kunnen" count for).

    >>> fw = load_framework()
    >>> [p.code for p in fw.practices]
    ['P1', 'P2', 'P3', 'P4', 'P5']
    >>> fw.practice("P2").name
    'Werken aan relaties'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BUILTIN_FRAMEWORKS", "Framework", "Practice", "load_framework"]

#: Framework files shipped with the package, by name.
BUILTIN_FRAMEWORKS: tuple[str, ...] = ("publieke_bricoleurs", "wij_werken", "tweebenig", "kinds")

NONE = "none"


@dataclass(frozen=True)
class Practice:
    """One practice (or kind) of a framework."""

    code: str
    name: str
    definition: str
    indicators: tuple[str, ...] = ()
    counter_indicators: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    negated_as: str | None = None


@dataclass(frozen=True)
class Framework:
    """A named set of practices, plus examples of anecdotes that fit none of them."""

    name: str
    description: str
    practices: tuple[Practice, ...]
    none_examples: tuple[str, ...] = ()
    none_indicators: tuple[str, ...] = ()
    hedge_as: str | None = None
    source: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """The practice codes, in file order (``none`` not included)."""
        return tuple(p.code for p in self.practices)

    def practice(self, code: str) -> Practice:
        """The practice with this code; ConfigError naming the framework if there is none."""
        for p in self.practices:
            if p.code == code:
                return p
        raise ConfigError(f"framework {self.name!r} has no practice {code!r} (has {self.codes})")

    def to_frame(self) -> pd.DataFrame:
        """One row per practice: code, name, definition.

        >>> load_framework("tweebenig").to_frame()["code"].tolist()
        ['buiten', 'binnen']
        """
        import pandas as pd

        return pd.DataFrame(
            [{"code": p.code, "name": p.name, "definition": p.definition} for p in self.practices],
            columns=["code", "name", "definition"],
        )


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key!r} must be a list of strings")
    return tuple(v.strip() for v in value if v.strip())


def _text(table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: key {key!r} is missing or not a non-empty string")
    return " ".join(value.split())


def framework_from_mapping(data: dict[str, Any], source: str = "<mapping>") -> Framework:
    """Build and check a :class:`Framework` from parsed TOML; errors name ``source`` and key."""
    name = _text(data, "name", source)
    description = _text(data, "description", source, required=False)
    raw = data.get("practices")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{source}: key 'practices' must be a non-empty array of tables")
    practices = []
    for i, table in enumerate(raw):
        where = f"{source}: practices[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where} must be a table")
        unknown = set(table) - {
            "code",
            "name",
            "definition",
            "indicators",
            "counter_indicators",
            "examples",
            "negated_as",
        }
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}")
        code = _text(table, "code", where)
        practices.append(
            Practice(
                code=code,
                name=_text(table, "name", where),
                definition=_text(table, "definition", where),
                indicators=_strings(table.get("indicators"), where, "indicators"),
                counter_indicators=_strings(
                    table.get("counter_indicators"), where, "counter_indicators"
                ),
                examples=_strings(table.get("examples"), where, "examples"),
                negated_as=table.get("negated_as") or None,
            )
        )
    codes = [p.code for p in practices]
    if len(set(codes)) != len(codes) or NONE in codes:
        raise ConfigError(f"{source}: practice codes must be unique and not {NONE!r}: {codes}")
    for p in practices:
        if p.negated_as is not None and p.negated_as not in codes:
            raise ConfigError(f"{source}: practice {p.code}: negated_as {p.negated_as!r} unknown")
    hedge_as = data.get("hedge_as") or None
    if hedge_as is not None and hedge_as not in codes:
        raise ConfigError(f"{source}: key 'hedge_as' names unknown code {hedge_as!r}")
    none = data.get(NONE, {})
    if not isinstance(none, dict):
        raise ConfigError(f"{source}: key 'none' must be a table with 'examples'")
    return Framework(
        name=name,
        description=description,
        practices=tuple(practices),
        none_examples=_strings(none.get("examples"), f"{source}: none", "examples"),
        none_indicators=_strings(none.get("indicators"), f"{source}: none", "indicators"),
        hedge_as=hedge_as,
        source=source,
    )


def load_framework(name_or_path: str | Path = "publieke_bricoleurs") -> Framework:
    """A built-in framework by name (see :data:`BUILTIN_FRAMEWORKS`) or one from a TOML file.

    >>> load_framework("wij_werken").name
    'wij_werken'
    """
    text: str
    if isinstance(name_or_path, str) and name_or_path in BUILTIN_FRAMEWORKS:
        source = f"{name_or_path}.toml"
        text = (resources.files(__package__) / source).read_text(encoding="utf-8")
    else:
        path = Path(name_or_path)
        source = str(path)
        if not path.is_file():
            raise ConfigError(
                f"{source}: no such framework file; give a TOML file or one of "
                f"{', '.join(BUILTIN_FRAMEWORKS)}"
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read the framework file ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from exc
    return framework_from_mapping(data, source)
