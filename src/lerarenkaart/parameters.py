"""Check the types of ``--param NAME=VALUE`` against the notebooks' annotations.

Papermill infers each parameter's type and meaning from the annotation and comment in
the cell tagged ``parameters`` (``papermill --help-notebook`` prints them). A value of
the wrong type would reach the notebook and fail in a cell far from the cause, so it is
rejected before any kernel starts. Names are checked by ``provenance.check_parameters``
when the runner plans a year.
"""

from __future__ import annotations

from pathlib import Path

from lerarenkaart.layout import NOTEBOOKS
from lerarenkaart.provenance import ParameterError

# Python types that the command line may produce for each annotated type: "1" is
# parsed as an int, which is a valid float parameter.
_ACCEPTED_TYPES = {"int": (int,), "float": (int, float), "str": (str,)}


def inspect_parameters(notebooks_dir: str | Path) -> dict[str, dict]:
    """Return papermill's description of every parameter of the runner's notebooks.

    Each value has the keys ``inferred_type_name``, ``default`` and ``help``; a
    parameter that several notebooks declare is described by the first of them.
    """
    import papermill

    described: dict[str, dict] = {}
    for name in NOTEBOOKS:
        inspected = papermill.inspect_notebook(str(Path(notebooks_dir) / name))
        for key, info in inspected.items():
            described.setdefault(key, dict(info))
    return described


def _required_type(type_name: str) -> str:
    """Return X for ``Optional[X]``: None is a default, never a command-line value."""
    if type_name.startswith("Optional[") and type_name.endswith("]"):
        return type_name[len("Optional[") : -1]
    return type_name


def check_parameter_types(values: dict[str, object], notebooks_dir: str | Path) -> None:
    """Raise ParameterError for a value whose type differs from the annotation.

    Only int, float and str annotations are checked, also inside ``Optional[...]``.
    Names that no notebook declares are left to ``provenance.check_parameters``, which
    rejects them with the list of valid names.
    """
    if not values:
        return
    described = inspect_parameters(notebooks_dir)
    for name, value in values.items():
        info = described.get(name)
        if info is None:
            continue
        required = _required_type(info["inferred_type_name"])
        accepted = _ACCEPTED_TYPES.get(required)
        if accepted and not isinstance(value, accepted):
            raise ParameterError(
                f"invalid value {value!r} for parameter {name!r}: expected {required} "
                f"({info['help']}, default {info['default']})"
            )
