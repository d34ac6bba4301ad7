"""The simulator's synthetic population (架空の住民): people, their card PINs and the health data
the Mynaportal self-information API would return for them.

Everything is invented and generated from a seed, so the same seed and ``as_of`` date give the
same people, PINs and items every time. The items are shaped after the official ones:

- 薬剤情報 (``medication``): one dispensing at a pharmacy, with the prescribing institution and
  each drug's name, ingredient, dose, usage and days supplied.
- 特定健診情報 (``checkup``): body measurements, blood pressure, blood tests, urine tests, the
  standard questionnaire, and the metabolic syndrome and health guidance judgements.
- 医療費通知情報 (``medical_expenses``): per month and institution, the days, the total cost and
  what the person paid at the counter.

Each item has a ``date`` (when the API makes it visible); a few lie after ``as_of``, so a later
fetch finds something new, as a real one does.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

__all__ = ["CARD_STATUSES", "SimPerson", "generate", "visible_items"]

# Simulated card conditions: a few people carry a card the bank must refuse.
CARD_STATUSES = ("valid", "expired", "revoked", "foreign_ca")

_FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田"]
_GIVEN_F = ["陽菜", "結衣", "葵", "凛", "美咲", "さくら", "花子"]
_GIVEN_M = ["蓮", "湊", "大翔", "悠真", "翔太", "健一", "誠"]
_CLINICS = [
    ("さくら内科クリニック", "1310000001"),
    ("みなと整形外科", "1310000002"),
    ("ひかり耳鼻咽喉科", "1310000003"),
    ("中央総合病院", "1310000004"),
]
_PHARMACIES = [("みどり薬局 本町店", "1340000001"), ("あおば調剤薬局", "1340000002")]
_CHECKUP_SITES = [("健診センター東京", "1310000011"), ("中央総合病院 健診部", "1310000004")]
_INSURERS = ["全国健康保険協会 東京支部", "〇〇市国民健康保険", "△△健康保険組合"]
# (name, ingredient, generic, dose quantity, unit, usage)
_CHRONIC = [
    ("アムロジピン錠5mg", "アムロジピンベシル酸塩", True, 1, "錠", "1日1回 朝食後"),
    ("ロスバスタチン錠2.5mg", "ロスバスタチンカルシウム", True, 1, "錠", "1日1回 夕食後"),
    ("メトホルミン塩酸塩錠250mg", "メトホルミン塩酸塩", True, 2, "錠", "1日2回 朝夕食後"),
    ("テルミサルタン錠40mg", "テルミサルタン", True, 1, "錠", "1日1回 朝食後"),
]
_ACUTE = [
    (
        "ロキソプロフェンNa錠60mg",
        "ロキソプロフェンナトリウム水和物",
        True,
        3,
        "錠",
        "1日3回 毎食後",
    ),
    ("カルボシステイン錠500mg", "L-カルボシステイン", True, 3, "錠", "1日3回 毎食後"),
    (
        "フェキソフェナジン塩酸塩錠60mg",
        "フェキソフェナジン塩酸塩",
        True,
        2,
        "錠",
        "1日2回 朝夕食後",
    ),
    ("レバミピド錠100mg", "レバミピド", True, 3, "錠", "1日3回 毎食後"),
]


@dataclass(frozen=True, slots=True)
class SimPerson:
    id: str  # e.g. "sim-0003"
    name: str
    birth_date: date
    gender: str  # "female" | "male"
    card_number: str  # the card's serial as printed, not a My Number (個人番号)
    pin: str  # 4 digits (利用者証明用電子証明書の暗証番号)
    card_status: str  # one of CARD_STATUSES
    medication: tuple[dict[str, Any], ...]
    checkup: tuple[dict[str, Any], ...]
    medical_expenses: tuple[dict[str, Any], ...]


def _status(index: int) -> str:
    # People 1, 2 and 3 carry the cards a bank must refuse; everyone else a valid one.
    return {1: "expired", 2: "revoked", 3: "foreign_ca"}.get(index, "valid")


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _medication(
    rng: random.Random, pid: str, as_of: date, chronic: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    clinic = rng.choice(_CLINICS)
    pharmacy = rng.choice(_PHARMACIES)
    visits: list[tuple[date, list[tuple[Any, ...]], tuple[str, str], int]] = []
    if chronic:
        # Regular visits for a chronic condition, three years deep, the next one still ahead.
        day = as_of + timedelta(days=rng.randint(10, 40))
        while day > as_of - timedelta(days=3 * 365):
            visits.append((day, chronic, clinic, 56))
            day -= timedelta(days=rng.choice([56, 63, 70, 84]))
    else:
        visits.append(
            (as_of + timedelta(days=rng.randint(10, 40)), [rng.choice(_ACUTE)], clinic, 5)
        )
    for _ in range(rng.randint(1, 4)):
        when = as_of - timedelta(days=rng.randint(20, 3 * 365))
        visits.append((when, rng.sample(_ACUTE, rng.randint(1, 2)), rng.choice(_CLINICS), 5))
    items = []
    for n, (day, drugs, institution, days) in enumerate(sorted(visits, key=lambda v: v[0])):
        items.append(
            {
                "id": f"rx-{pid}-{day.isoformat()}-{n}",
                "date": day.isoformat(),
                "dispensed_on": day.isoformat(),
                "prescribed_on": day.isoformat(),
                "visit_type": "外来",
                "institution": {"name": institution[0], "code": institution[1]},
                "pharmacy": {"name": pharmacy[0], "code": pharmacy[1]},
                "drugs": [
                    {
                        "name": d[0],
                        "ingredient": d[1],
                        "generic": d[2],
                        "dose": {"quantity": d[3], "unit": d[4]},
                        "usage": d[5],
                        "days": days,
                        "quantity": d[3] * days,
                    }
                    for d in drugs
                ],
            }
        )
    return items


def _judge(
    sex: str,
    age: int,
    body: dict[str, Any],
    bp: dict[str, Any],
    blood: dict[str, Any],
    questionnaire: dict[str, Any],
) -> tuple[str, str]:
    """メタボリックシンドローム判定 and 保健指導レベル (階層化), after the national criteria."""
    waist_over = body["waist_cm"] >= (85 if sex == "male" else 90)
    lipid = blood["triglycerides"] >= 150 or blood["hdl"] < 40
    pressure = bp["systolic"] >= 130 or bp["diastolic"] >= 85
    glucose_ms = blood["fasting_glucose"] >= 110
    ms_risks = sum((lipid, pressure, glucose_ms))
    if not waist_over:
        metabolic = "非該当"
    else:
        metabolic = "基準該当" if ms_risks >= 2 else "予備群該当" if ms_risks == 1 else "非該当"
    medicated = any(
        questionnaire[k] for k in ("antihypertensive", "antidiabetic", "lipid_lowering")
    )
    glucose = blood["fasting_glucose"] >= 100 or blood["hba1c"] >= 5.6
    risks = sum((glucose, lipid, pressure))
    if risks and questionnaire["smoking"]:
        risks += 1
    if medicated or not (waist_over or body["bmi"] >= 25) or risks == 0:
        guidance = "なし"
    elif waist_over:
        guidance = "積極的支援" if risks >= 2 else "動機付け支援"
    else:
        guidance = "積極的支援" if risks >= 3 else "動機付け支援"
    if guidance == "積極的支援" and age >= 65:
        guidance = "動機付け支援"
    return metabolic, guidance


def _checkups(
    rng: random.Random, pid: str, as_of: date, sex: str, birth: date, chronic: bool
) -> list[dict[str, Any]]:
    site = rng.choice(_CHECKUP_SITES)
    insurer = rng.choice(_INSURERS)
    height = round(rng.gauss(171 if sex == "male" else 158, 5), 1)
    weight = round(rng.gauss(70 if sex == "male" else 55, 9), 1)
    smoking = rng.random() < 0.2
    month, day = rng.randint(4, 10), rng.randint(1, 28)
    items = []
    for years_ago in range(rng.randint(3, 5), 0, -1):
        examined = date(as_of.year - years_ago, month, day)
        weight = round(weight + rng.uniform(-1.5, 2.0), 1)
        bmi = round(weight / (height / 100) ** 2, 1)
        body = {
            "height_cm": height,
            "weight_kg": weight,
            "bmi": bmi,
            "waist_cm": round(60 + bmi * 1.1 + rng.uniform(-4, 6), 1),
        }
        bp = {"systolic": rng.randint(104, 158), "diastolic": rng.randint(62, 98)}
        blood = {
            "triglycerides": rng.randint(60, 260),
            "hdl": rng.randint(35, 85),
            "ldl": rng.randint(80, 180),
            "ast": rng.randint(14, 45),
            "alt": rng.randint(10, 55),
            "ggt": rng.randint(12, 90),
            "fasting_glucose": rng.randint(82, 128),
            "hba1c": round(rng.uniform(4.9, 6.6), 1),
        }
        urine = {
            "glucose": rng.choice(["−", "−", "−", "±"]),
            "protein": rng.choice(["−", "−", "±", "+"]),
        }
        questionnaire = {
            "antihypertensive": chronic and rng.random() < 0.6,
            "antidiabetic": False,
            "lipid_lowering": chronic and rng.random() < 0.4,
            "smoking": smoking,
            "weight_gain_10kg": bmi >= 25,
            "exercise_habit": rng.random() < 0.4,
            "alcohol": rng.choice(["毎日", "時々", "ほとんど飲まない"]),
            "sleep_rest": rng.random() < 0.7,
        }
        metabolic, guidance = _judge(sex, _age(birth, examined), body, bp, blood, questionnaire)
        items.append(
            {
                "id": f"hc-{pid}-{examined.year}",
                "date": examined.isoformat(),
                "examined_on": examined.isoformat(),
                "institution": {"name": site[0], "code": site[1]},
                "insurer": insurer,
                "body": body,
                "blood_pressure": bp,
                "blood": blood,
                "urine": urine,
                "questionnaire": questionnaire,
                "metabolic_syndrome": metabolic,
                "guidance_level": guidance,
            }
        )
    return items


def _expenses(
    rng: random.Random, pid: str, medication: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One notice per month, institution and kind (医科外来, 調剤), visible the month after."""
    totals: dict[tuple[str, str, str, str], list[int]] = {}
    for item in medication:
        month = item["dispensed_on"][:7]
        for kind, party in (("医科外来", item["institution"]), ("調剤", item["pharmacy"])):
            key = (month, kind, party["name"], party["code"])
            cost = rng.randint(1800, 9800) if kind == "医科外来" else rng.randint(900, 14000)
            days, total = totals.get(key, [0, 0])
            totals[key] = [days + 1, total + cost]
    items = []
    insurer = rng.choice(_INSURERS)
    for (month, kind, name, code), (days, total) in sorted(totals.items()):
        year, mon = int(month[:4]), int(month[5:7])
        visible = date(year + (mon == 12), mon % 12 + 1, 1)
        items.append(
            {
                "id": f"mx-{pid}-{month}-{code}",
                "date": visible.isoformat(),
                "month": month,
                "kind": kind,
                "institution": {"name": name, "code": code},
                "insurer": insurer,
                "days": days,
                "total_yen": total,
                "patient_paid_yen": int(round(total * 0.3, -1)),
            }
        )
    return items


def generate(seed: int, count: int, as_of: date) -> list[SimPerson]:
    """``count`` synthetic people; the same ``seed`` and ``as_of`` always give the same ones."""
    people = []
    for index in range(count):
        pid = f"{index:04d}"
        digest = hashlib.sha256(f"{seed}:person:{index}".encode()).digest()
        rng = random.Random(digest)
        sex = rng.choice(["female", "male"])
        given = rng.choice(_GIVEN_F if sex == "female" else _GIVEN_M)
        birth = date(rng.randint(1952, 1985), rng.randint(1, 12), rng.randint(1, 28))
        chronic = rng.sample(_CHRONIC, rng.randint(1, 2)) if rng.random() < 0.6 else []
        medication = _medication(rng, pid, as_of, chronic)
        people.append(
            SimPerson(
                id=f"sim-{pid}",
                name=f"{rng.choice(_FAMILY)} {given}",
                birth_date=birth,
                gender=sex,
                card_number=f"JPKI-SIM-{int.from_bytes(digest[:4], 'big') % 10**8:08d}",
                pin=f"{int.from_bytes(digest[4:8], 'big') % 10**4:04d}",
                card_status=_status(index),
                medication=tuple(medication),
                checkup=tuple(_checkups(rng, pid, as_of, sex, birth, bool(chronic))),
                medical_expenses=tuple(_expenses(rng, pid, medication)),
            )
        )
    return people


def visible_items(
    person: SimPerson, kinds: list[str], today: date
) -> dict[str, list[dict[str, Any]]]:
    """What the API returns today: items dated on or before ``today``, per requested kind."""
    cut = today.isoformat()
    return {kind: [i for i in getattr(person, kind) if i["date"] <= cut] for kind in kinds}
