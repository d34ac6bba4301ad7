"""The checkup items (健診項目) this bank knows, keyed by LOINC code and by the keys of plain
records, with the guide ranges the pages show where a checkup gives none, and the checkup's
own Japanese terms (judgements, questionnaire) with the English an English page shows.

The guide ranges are this bank's assumption for display, following the health guidance
thresholds used for 特定健診 (the simulator judges by the same figures); they are not a
diagnosis, and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from infobank.entrypoints.web.i18n import N_
from infobank.entrypoints.web.person.record_values import Words

__all__ = [
    "FLAGS",
    "INTERPRETATION",
    "LOINC",
    "MEASURE",
    "MEASURES",
    "NEGATIVE",
    "QUALITATIVE",
    "UNITS",
    "WAIST",
    "Measure",
    "source_text",
]

LOINC = "http://loinc.org"


@dataclass(frozen=True, slots=True)
class Measure:
    """A checkup item this bank knows: values at or above ``below`` read as high, values
    under ``at_least`` as low (``waist``: the limit depends on sex)."""

    loinc: str
    plain: tuple[str, ...]
    label: str
    unit: str
    below: float | None = None
    at_least: float | None = None
    waist: bool = False


MEASURES = (
    Measure("8302-2", ("height_cm", "height"), N_("Height"), "cm"),
    Measure("29463-7", ("weight_kg", "weight"), N_("Weight"), "kg"),
    Measure("39156-5", ("bmi",), N_("BMI"), "kg/m²", below=25),
    Measure("8280-0", ("waist_cm", "waist"), N_("Waist"), "cm", waist=True),
    Measure("8480-6", ("systolic_bp", "systolic"), N_("Blood pressure (systolic)"), "mmHg", 130),
    Measure("8462-4", ("diastolic_bp", "diastolic"), N_("Blood pressure (diastolic)"), "mmHg", 85),
    Measure("2571-8", ("triglycerides",), N_("Triglycerides"), "mg/dL", below=150),
    Measure("2085-9", ("hdl",), N_("HDL cholesterol"), "mg/dL", at_least=40),
    Measure("13457-7", ("ldl",), N_("LDL cholesterol"), "mg/dL", below=120),
    Measure("1920-8", ("ast",), N_("AST (GOT)"), "U/L", below=31),
    Measure("1742-6", ("alt",), N_("ALT (GPT)"), "U/L", below=31),
    Measure("2324-2", ("ggt", "gamma_gtp"), N_("γ-GT"), "U/L", below=51),
    Measure("1558-6", ("fasting_glucose", "glucose"), N_("Fasting blood glucose"), "mg/dL", 100),
    Measure("4548-4", ("hba1c",), N_("HbA1c"), "%", below=5.6),
)
MEASURE = {m.loinc: m for m in MEASURES} | {k: m for m in MEASURES for k in m.plain}
WAIST = {"male": 85, "female": 90}
QUALITATIVE = {
    "5792-7": N_("Urine glucose"),
    "20454-5": N_("Urine protein"),
    "urine_glucose": N_("Urine glucose"),
    "urine_protein": N_("Urine protein"),
}
NEGATIVE = {"−", "-", "(-)", "（−）", "陰性"}
UNITS = {"mm[Hg]": "mmHg", "kg/m2": "kg/m²"}
# FHIR's observation interpretation codes, where a checkup flags a value itself.
INTERPRETATION = {"H": "high", "HH": "high", "L": "low", "LL": "low", "N": "", "A": "positive"}

FLAGS = {
    "high": N_("High"),
    "low": N_("Low"),
    "positive": N_("Positive"),
    "borderline": N_("Borderline (±)"),
}

# What a checkup's source writes in Japanese, with the English the page shows instead.
SOURCE_TEXT = {
    "メタボリックシンドローム判定": N_("Metabolic syndrome"),
    "特定保健指導レベル": N_("Health guidance level"),
    "非該当": N_("Not applicable"),
    "基準該当": N_("Meets the criteria"),
    "予備群該当": N_("At risk (pre-metabolic syndrome)"),
    "なし": N_("No guidance needed"),
    "積極的支援": N_("Intensive support"),
    "動機付け支援": N_("Motivational support"),
    "特定健康診査 標準的な質問票": N_("Standard questionnaire"),
    "血圧を下げる薬の使用": N_("Takes medicine to lower blood pressure"),
    "血糖を下げる薬又はインスリン注射の使用": N_("Takes medicine or insulin to lower blood sugar"),
    "コレステロールや中性脂肪を下げる薬の使用": N_(
        "Takes medicine to lower cholesterol or triglycerides"
    ),
    "現在、たばこを習慣的に吸っている": N_("Smokes habitually"),
    "20歳の時の体重から10kg以上増加している": N_("Has gained 10 kg or more since age 20"),
    "1回30分以上の軽く汗をかく運動を週2日以上、1年以上実施": N_(
        "Exercises lightly for 30 minutes or more, twice a week, for a year or more"
    ),
    "お酒を飲む頻度": N_("How often drinks alcohol"),
    "睡眠で休養が十分とれている": N_("Rests well with sleep"),
    "毎日": N_("Every day"),
    "時々": N_("Sometimes"),
    "ほとんど飲まない": N_("Hardly ever"),
}


def source_text(text: str, words: Words) -> str:
    return words.gettext(SOURCE_TEXT[text]) if text in SOURCE_TEXT else text
