"""A quicker ``__init__`` for the frozen, slotted dataclasses a decision is built from.

``@dataclass(frozen=True)`` stores each field with ``object.__setattr__`` to get past the
frozen ``__setattr__``. A service builds a ``Facts`` and its parts for every decision (and
``open_offer`` for every eligible person), and those stores were most of the cost of a
decision's inputs. ``quick_init`` swaps in an ``__init__`` that stores each field through its
slot descriptor instead: the same signature, defaults, annotations and resulting object, about
twice as fast. The frozen ``__setattr__``, equality, hashing, ``repr`` and
``dataclasses.replace`` are the dataclass's own, untouched.

The new ``__init__`` is generated from the dataclass's field names, as ``dataclasses`` itself
generates its methods. A class with a ``__post_init__``, an ``init=False`` field or a default
factory keeps the dataclass's ``__init__``.
"""

from __future__ import annotations

import inspect
from dataclasses import MISSING, fields
from typing import Any, TypeVar

__all__ = ["quick_init"]

T = TypeVar("T", bound=type)


def quick_init(cls: T) -> T:
    """Give the frozen, slotted dataclass ``cls`` an ``__init__`` that sets its slots directly."""
    declared = fields(cls)
    if (
        not declared
        or hasattr(cls, "__post_init__")
        or any(not f.init or f.default_factory is not MISSING for f in declared)
    ):
        return cls
    original = vars(cls)["__init__"]  # the one @dataclass generated
    namespace: dict[str, Any] = {f"_set_{f.name}": cls.__dict__[f.name].__set__ for f in declared}
    arguments: list[str] = []
    for parameter in list(inspect.signature(original).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and "*" not in arguments:
            arguments.append("*")
        if parameter.default is parameter.empty:
            arguments.append(parameter.name)
        else:
            namespace[f"_default_{parameter.name}"] = parameter.default
            arguments.append(f"{parameter.name}=_default_{parameter.name}")
    body = "".join(f"    _set_{f.name}(self, {f.name})\n" for f in declared)
    exec(f"def __init__(self, {', '.join(arguments)}):\n{body}", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = dict(original.__annotations__)
    init.__doc__ = original.__doc__
    type.__setattr__(cls, "__init__", init)
    return cls
