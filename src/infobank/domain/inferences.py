"""The inference catalogue (推定属性): what an offer's profiling (プロファイリング) may infer.

An offer that profiles declares what it infers as codes of this catalogue
(``profiling.infers``). Each code is ``general`` or ``sensitive``: a sensitive one is an
attribute that is 要配慮個人情報 (a health condition, a creed, …), which guideline v2.2 lets
profiling infer only under the person's explicit consent that discloses it, and which earlier
versions do not allow at all (``profiling.disclosed``, ``sensitive.excluded``).

Like the data catalogue it is data (``infobank/data/inferences.json``); this module gives it a
shape and answers questions about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from infobank.domain.catalogue import Sensitivity

__all__ = ["INFERENCE_CLASSES", "Inference", "Inferences"]

# An inferred attribute is either general or 要配慮個人情報; checkup-type is a class of data.
INFERENCE_CLASSES = frozenset({Sensitivity.GENERAL, Sensitivity.SENSITIVE})


@dataclass(frozen=True, slots=True)
class Inference:
    code: str
    name_ja: str
    name_en: str
    sensitivity: Sensitivity

    @property
    def sensitive(self) -> bool:
        return self.sensitivity is Sensitivity.SENSITIVE


class Inferences:
    """An immutable lookup over the inference catalogue, keyed by code."""

    def __init__(self, inferences: Iterable[Inference]) -> None:
        self._by_code: dict[str, Inference] = {}
        for inference in inferences:
            if inference.code in self._by_code:
                raise ValueError(f"duplicate inference code {inference.code!r}")
            if inference.sensitivity not in INFERENCE_CLASSES:
                raise ValueError(
                    f"inference {inference.code!r} must be general or sensitive, "
                    f"not {inference.sensitivity.value!r}"
                )
            self._by_code[inference.code] = inference
        self._sensitivity = {code: i.sensitivity for code, i in self._by_code.items()}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Inference]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Inference | None:
        return self._by_code.get(code)

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes that are not in the catalogue, in the order given."""
        return [code for code in codes if code not in self._by_code]

    def described(self, codes: Iterable[str]) -> list[dict[str, object]]:
        """Each code with its names and whether it is sensitive, as a person is shown it and
        as the consent artefact records it; a code no longer catalogued keeps its code."""
        shown: list[dict[str, object]] = []
        for code in codes:
            found = self._by_code.get(code)
            shown.append(
                {
                    "code": code,
                    "name_ja": found.name_ja if found else code,
                    "name_en": found.name_en if found else code,
                    "sensitive": found.sensitive if found else True,
                }
            )
        return shown

    def sensitivity_map(self) -> Mapping[str, Sensitivity]:
        """Code → class, built once (policy decisions read it on every call)."""
        return self._sensitivity
