"""Small XML parts (workbook.xml, its relationships, core.xml) read straight with expat.

The elements wanted, their attributes and text, named as ElementTree names them
(`{namespace}local`). Entity declarations and external references are refused as defusedxml
refuses them (same errors); sniff.py has already refused any DOCTYPE in every member. Four times
quicker than building a defusedxml ElementTree for the few elements read (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NoReturn
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden


@dataclass
class Element:
    """One element read: its name, attributes and the text directly inside it."""

    tag: str
    attrib: dict[str, str]
    text: list[str] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return self.attrib.get(name, default)


def elements(data: bytes, tags: Collection[str]) -> list[Element]:
    """The elements named in `tags`, in document order; ParseError for XML that is not well formed."""
    found: list[Element] = []
    open_: list[Element | None] = []
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attributes: dict[str, str]) -> None:
        tag = _tag(name)
        element = Element(tag, {_tag(k): v for k, v in attributes.items()}) if tag in tags else None
        if element is not None:
            found.append(element)
        open_.append(element)

    def text(data: str) -> None:
        if open_ and open_[-1] is not None:
            open_[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: open_.pop()
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = _no_entities
    parser.UnparsedEntityDeclHandler = _no_unparsed
    parser.ExternalEntityRefHandler = _no_external
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ParseError(str(exc)) from exc
    return found


def _tag(name: str) -> str:
    return "{" + name if "}" in name else name


Text = str | None


def _no_entities(
    name: str, is_parameter: bool, value: Text, base: Text, sysid: Text, pubid: Text, notation: Text
) -> NoReturn:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _no_unparsed(name: str, base: Text, sysid: Text, pubid: Text, notation: Text) -> NoReturn:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _no_external(context: Text, base: Text, sysid: Text, pubid: Text) -> NoReturn:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)
