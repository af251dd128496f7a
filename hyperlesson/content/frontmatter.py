"""Split a lesson file into its YAML front matter and Markdown body, with line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from .model import Problem


@dataclass
class FrontMatter:
    data: dict[str, Any]
    key_lines: dict[str, int]  # key -> 1-based line in the file
    body: str
    body_offset: int  # the body's first line is file line body_offset + 1


# libyaml's parser where PyYAML was built with it (its wheels are), which is ten times
# faster: a catalog of 200 lessons parses its front matter at start-up.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_mapping(text: str, path: str, first_line: int, problems: list[Problem]):
    """Parse YAML that must be a mapping. Returns (data, key_lines) or None with a problem.

    `first_line` is the 1-based file line of the text's first line.
    """
    loader = _Loader(text)
    try:  # parsed once: the node gives each key's line, the data is built from it
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(Problem(path, line, f"bad YAML: {reason}"))
        return None
    finally:
        loader.dispose()
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        problems.append(Problem(path, first_line, "expected 'key: value' lines"))
        return None
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            key_lines[str(key_node.value)] = first_line + key_node.start_mark.line
    return data, key_lines


def split_front_matter(text: str, path: str, problems: list[Problem]) -> FrontMatter | None:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(path, 1, "missing front matter: start the file with a '---' line, "
                             "then title, order and summary, then another '---' line")
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem(path, 1, "front matter is not closed: add a '---' line after it"))
        return None
    parsed = read_yaml_mapping("\n".join(lines[1:end]), path, 2, problems)
    if parsed is None:
        return None
    data, key_lines = parsed
    return FrontMatter(data, key_lines, "\n".join(lines[end + 1 :]), end + 1)


def check_keys(data: dict, key_lines: dict[str, int], allowed: tuple[str, ...],
               required: tuple[str, ...], path: str, problems: list[Problem]) -> None:
    for key in data:
        if key not in allowed:
            problems.append(Problem(path, key_lines.get(str(key), 1),
                                    f"unknown key '{key}' (allowed: {', '.join(allowed)})"))
    for key in required:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(path, key_lines.get(key, 1), f"missing {key}"))
