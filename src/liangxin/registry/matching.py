"""Supply–demand matching: for a renewal demand, the local suppliers and products that fit, ranked,
each with the named components of its score.

The core works on plain data (`Offer`, `Need`) so that it can be tested and benchmarked without the
database; `selectors_matching` (in this module, bottom) adapts the registry's models to it.

Score components (points; the reasons shown to the office are exactly these):

- category: the product's category is the demanded one or below it (30), a sibling under the same
  parent (10); anything else is not a candidate at all.
- keywords: the demand's text (name and key requirements) segmented with jieba (plus a domain
  dictionary of equipment terms) against each product's text; BM25 weights over the supplier
  corpus, normalised by what a product naming every term once would score (0–40). Terms every
  supplier uses (设备, 系统) weigh little; rare ones (五轴联动, 840D) weigh much.
- energy: the demand requires an energy grade (1 is best, Chinese 能效等级): a product meeting it
  earns 10 (+2 per grade better), one missing it loses 20; no requirement, no points.
- locality: same district (or below) 10, same city 5, same province 2.
- track record: contracts signed through past matchmaking (3 each, up to 6), certifications
  (1 each, up to 2) and recognitions such as 专精特新 (2) or 单项冠军 (3) (up to 4).

A product is shown only when its category is the demanded one (or below) with some keyword overlap
(`EXACT_MIN_COVERAGE`, unless the demand names no known term), or a sibling with real overlap
(`SIBLING_MIN_COVERAGE`), or — for a demand without a category — when its keyword coverage is
substantial (`UNCATEGORISED_MIN_COVERAGE`); and its total reaches `THRESHOLD`.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import jieba

# Equipment terms the general dictionary splits badly (五轴联动 → 五/轴/联动).
DOMAIN_WORDS = (
    "五轴联动",
    "五轴",
    "四轴",
    "三轴",
    "数控机床",
    "数控车床",
    "数控铣床",
    "加工中心",
    "立式加工中心",
    "卧式加工中心",
    "龙门加工中心",
    "数控系统",
    "工业机器人",
    "协作机器人",
    "焊接机器人",
    "搬运机器人",
    "喷涂机器人",
    "码垛机器人",
    "六轴",
    "伺服电机",
    "减速器",
    "一级能效",
    "二级能效",
    "三级能效",
    "能效等级",
    "变频",
    "永磁同步",
    "永磁电机",
    "高效电机",
    "空压机",
    "螺杆空压机",
    "离心式",
    "锅炉",
    "燃气锅炉",
    "电锅炉",
    "余热回收",
    "热泵",
    "空气源热泵",
    "冷水机组",
    "变压器",
    "非晶合金",
    "电梯",
    "曳引",
    "无机房",
    "扶梯",
    "自动扶梯",
    "医疗装备",
    "彩超",
    "CT",
    "核磁共振",
    "DR",
    "呼吸机",
    "监护仪",
    "手术机器人",
    "农机",
    "拖拉机",
    "收割机",
    "联合收割机",
    "植保无人机",
    "新能源",
    "新能源汽车",
    "纯电动",
    "氢燃料",
    "充电桩",
    "储能",
    "锂电池",
    "光伏",
    "冰箱",
    "洗衣机",
    "空调",
    "热水器",
    "油烟机",
    "智能家居",
    "激光切割",
    "激光切割机",
    "光纤激光",
    "折弯机",
    "注塑机",
    "3D打印",
    "增材制造",
    "数字孪生",
    "工业互联网",
    "智能仓储",
    "AGV",
    "堆垛机",
    "环保设备",
    "除尘",
    "脱硫",
    "脱硝",
    "污水处理",
    "再生资源",
    "破碎机",
    "分选",
    "定位精度",
    "重复定位精度",
    "负载",
    "额定载重",
    "电子束",
    "超低排放",
)

# Words any demand or catalogue uses; they say nothing about fit. Energy grades are their own
# component of the score, so their words are not keywords too.
STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 等 为 对 在 以 及其 其 并 含 包括 用于 可 可用 可以 能 能够 需 需要 需求 要求 采购 购置 拟 计划
    一台 一套 台 套 个 批 以上 以下 不低于 不少于 不高于 不超过 具备 具有 支持 提供 进行 实现 满足 符合 相关 主要 其他
    能效 能效等级 一级 二级 三级 四级 五级 一级能效 二级能效 三级能效
    我们 我司 企业 公司 有限公司 有限责任公司 股份 单位 项目 产品 本 该 等级 型号 规格 系列 新 新型 一 二 三
    """.split()
)

_TOKEN_OK = re.compile(r"[\w+\-.]+")
_PUNCT_ONLY = re.compile(r"^[\W_]+$")
_NUMBER_ONLY = re.compile(r"^[\d.]+$")

_tokenizer: jieba.Tokenizer | None = None
_tokenizer_lock = threading.Lock()


def tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the equipment dictionary (the global one stays untouched)."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in DOMAIN_WORDS:
                    tok.add_word(word, freq=200000)
                _tokenizer = tok
    return _tokenizer


def normalise_text(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


_CHUNK_SPLIT = re.compile(r"[\s,，;；、。:：()（）\[\]【】/|]+")
_chunk_cache: dict[str, list[str]] = {}
_CHUNK_CACHE_MAX = 100_000


def _tokenize_chunk(chunk: str) -> list[str]:
    words = tokenizer().lcut_for_search(chunk, HMM=False)
    out = []
    for word in words:
        word = word.strip()
        if len(word) < 2 or word in STOPWORDS or _PUNCT_ONLY.match(word) or _NUMBER_ONLY.match(word):
            continue
        if not _TOKEN_OK.fullmatch(word):
            continue
        out.append(word)
    return out


def tokenize(text: str) -> list[str]:
    """The words of a text, for matching: jieba's search mode (long words and their parts), without
    punctuation, bare numbers, single characters and stopwords.

    The text is cut at punctuation first and each piece's words are remembered: catalogues repeat
    their phrases (一级能效, 变频调速, 重复定位精度0.008mm) across thousands of products."""
    out: list[str] = []
    for chunk in _CHUNK_SPLIT.split(normalise_text(text)):
        if not chunk:
            continue
        words = _chunk_cache.get(chunk)
        if words is None:
            if len(_chunk_cache) > _CHUNK_CACHE_MAX:
                _chunk_cache.clear()
            words = _chunk_cache[chunk] = _tokenize_chunk(chunk)
        out.extend(words)
    return out


def clear_caches() -> None:
    """Forget every segmented text (the benchmark measures a cold index)."""
    _chunk_cache.clear()
    _token_cache.clear()


_GRADE_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_GRADE_RE = re.compile(r"(?:([一二三四五12345])级能效|能效(?:等级)?(?:为|达到)?([一二三四五12345])级)")


def energy_grade_in(text: str) -> int | None:
    """The best (lowest) energy grade a text names: 一级能效, 能效1级, 能效等级二级 …"""
    grades = [_GRADE_WORDS[a or b] for a, b in _GRADE_RE.findall(normalise_text(text))]
    return min(grades) if grades else None


# Recognitions and their weight in the track record.
FLAG_POINTS = {
    "单项冠军": 3,
    "专精特新小巨人": 3,
    "小巨人": 3,
    "专精特新": 2,
    "绿色工厂": 2,
    "高新技术企业": 2,
    "智能工厂": 2,
    "数字化车间": 1,
}
FLAG_CAP = 4
CONTRACT_POINTS, CONTRACT_CAP = 3, 6
CERT_POINTS, CERT_CAP = 1, 2

CATEGORY_EXACT, CATEGORY_SIBLING = 30.0, 10.0
KEYWORD_MAX = 40.0
ENERGY_MEETS, ENERGY_BETTER_STEP, ENERGY_MISSES = 10.0, 2.0, -20.0
LOCAL_DISTRICT, LOCAL_CITY, LOCAL_PROVINCE = 10.0, 5.0, 2.0

THRESHOLD = 35.0
EXACT_MIN_COVERAGE = 0.1
SIBLING_MIN_COVERAGE = 0.25
UNCATEGORISED_MIN_COVERAGE = 0.3

BM25_K1, BM25_B = 1.2, 0.75


@dataclass(frozen=True)
class Offer:
    """One product of one supplier, as matching sees it."""

    key: int
    enterprise_key: int
    enterprise_name: str
    name: str
    text: str
    category_key: int | None
    category_path: str  # "/3/17/" of category ids, root first (like Jurisdiction.tree_path)
    energy_grade: int | None = None
    jurisdiction_path: str = ""  # the supplier's Jurisdiction.tree_path
    flags: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    contracts: int = 0  # contracted outcomes of past matchmaking


@dataclass(frozen=True)
class Need:
    """A demand, as matching sees it."""

    key: int
    text: str
    category_key: int | None = None
    category_path: str = ""
    energy_grade: int | None = None  # required grade (1 best); None: no requirement
    jurisdiction_path: str = ""


class Reason(NamedTuple):
    """A named component of a score: code (category, keywords, energy, locality, track_record),
    points, the level reached (exact, sibling; district, city …) and what it rests on."""

    code: str
    points: float
    level: str = ""
    detail: tuple[str, ...] = ()


@dataclass
class Match:
    offer: Offer
    score: float
    reasons: list[Reason]
    coverage: float = 0.0

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)


@dataclass
class SupplierMatch:
    """A supplier's best product, its score, and its other products that also fit."""

    enterprise_key: int
    enterprise_name: str
    best: Match
    others: list[Match] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.best.score


def _parent_path(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts[:-1]) if len(parts) > 1 else ""


def _prefix(path: str, depth: int) -> str:
    parts = [p for p in path.split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts[:depth]) if len(parts) >= depth else ""


class MatchIndex:
    """Products with their precomputed BM25 term weights, an inverted index by category (and its
    ancestors) and by term. Build once per request or batch; ranking a demand then touches only
    the products of its category and its siblings (or of its terms, for an uncategorised demand)."""

    def __init__(self, offers: Iterable[Offer], *, tokens: dict[int, list[str]] | None = None):
        self.offers: list[Offer] = list(offers)
        tokens = tokens or {}
        docs = [tokens.get(o.key) or tokenize(f"{o.name} {o.text}") for o in self.offers]
        n = len(docs) or 1
        avgdl = (sum(len(d) for d in docs) / n) or 1.0
        df: Counter = Counter()
        for doc in docs:
            df.update(set(doc))
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.vectors: list[dict[str, float]] = []
        self.by_term: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(docs):
            norm = BM25_K1 * (1 - BM25_B + BM25_B * len(doc) / avgdl)
            vec = {t: self.idf[t] * tf * (BM25_K1 + 1) / (tf + norm) for t, tf in Counter(doc).items()}
            self.vectors.append(vec)
            for t in vec:
                self.by_term[t].append(i)
        # The track record depends on the supplier alone.
        self.tracks = [_track_record(o) for o in self.offers]
        # Every category path prefix → offers at or below it.
        self.by_category: dict[str, list[int]] = defaultdict(list)
        for i, o in enumerate(self.offers):
            parts = [p for p in o.category_path.split("/") if p]
            for depth in range(1, len(parts) + 1):
                self.by_category[_prefix(o.category_path, depth)].append(i)

    def __len__(self) -> int:
        return len(self.offers)

    def query_terms(self, text: str) -> dict[str, float]:
        """The demand's distinct known terms and their idf."""
        return {t: self.idf[t] for t in dict.fromkeys(tokenize(text)) if t in self.idf}

    def candidates(self, need: Need, terms: dict[str, float]) -> tuple[set[int], set[int]]:
        """(exact, sibling) candidate offers: at or below the demanded category; under its parent."""
        if need.category_path:
            exact = set(self.by_category.get(need.category_path, ()))
            parent = _parent_path(need.category_path)
            sibling = set(self.by_category.get(parent, ())) - exact if parent else set()
            return exact, sibling
        found: set[int] = set()
        for t in terms:
            found.update(self.by_term.get(t, ()))
        return set(), found

    def rank(self, need: Need, *, limit: int | None = None, threshold: float = THRESHOLD) -> list[Match]:
        """Products that fit the demand, best first (score, then more keywords, then name)."""
        terms = self.query_terms(need.text)
        # A product naming every term once, at average length, covers the demand fully.
        perfect = sum(terms.values()) or 1.0
        exact, sibling = self.candidates(need, terms)
        places = _places(need.jurisdiction_path)
        matches = []
        for group, level in ((exact, "exact"), (sibling, "sibling" if need.category_path else "")):
            for i in group:
                vec = self.vectors[i]
                matched = [t for t in terms if t in vec]
                coverage = sum(vec[t] for t in matched) / perfect if matched else 0.0
                if level == "exact" and terms and coverage < EXACT_MIN_COVERAGE:
                    continue
                if level == "sibling" and coverage < SIBLING_MIN_COVERAGE:
                    continue
                if level == "" and coverage < UNCATEGORISED_MIN_COVERAGE:
                    continue
                match = score_offer(
                    self.offers[i],
                    need,
                    level=level,
                    coverage=coverage,
                    matched=matched,
                    track=self.tracks[i],
                    places=places,
                )
                if match.score >= threshold:
                    matches.append(match)
        matches.sort(key=lambda m: (-m.score, -m.coverage, m.offer.enterprise_name, m.offer.name, m.offer.key))
        return matches[:limit] if limit else matches

    def rank_suppliers(self, need: Need, *, limit: int | None = None, threshold: float = THRESHOLD):
        """Suppliers in order of their best product, each with its other fitting products."""
        by_supplier: dict[int, SupplierMatch] = {}
        order = []
        for match in self.rank(need, threshold=threshold):
            key = match.offer.enterprise_key
            if key in by_supplier:
                by_supplier[key].others.append(match)
            else:
                by_supplier[key] = SupplierMatch(key, match.offer.enterprise_name, match)
                order.append(key)
        result = [by_supplier[k] for k in order]
        return result[:limit] if limit else result


_UNSET = object()


def score_offer(
    offer: Offer,
    need: Need,
    *,
    level: str,
    coverage: float,
    matched: Sequence[str],
    track=_UNSET,
    places=_UNSET,
) -> Match:
    reasons: list[Reason] = []
    if level == "exact":
        reasons.append(Reason("category", CATEGORY_EXACT, "exact"))
    elif level == "sibling":
        reasons.append(Reason("category", CATEGORY_SIBLING, "sibling"))
    if matched:
        reasons.append(Reason("keywords", round(KEYWORD_MAX * min(coverage, 1.0), 1), "", tuple(matched)))
    if need.energy_grade is not None:
        if offer.energy_grade is not None and offer.energy_grade <= need.energy_grade:
            better = need.energy_grade - offer.energy_grade
            points = ENERGY_MEETS + ENERGY_BETTER_STEP * better
            reasons.append(Reason("energy", points, "meets", (str(offer.energy_grade), str(need.energy_grade))))
        else:
            shown = str(offer.energy_grade) if offer.energy_grade is not None else ""
            reasons.append(Reason("energy", ENERGY_MISSES, "misses", (shown, str(need.energy_grade))))
    locality = _locality(offer.jurisdiction_path, places if places is not _UNSET else need.jurisdiction_path)
    if locality is not None:
        reasons.append(Reason("locality", *locality))
    if track is _UNSET:
        track = _track_record(offer)
    if track is not None:
        reasons.append(track)
    return Match(offer, round(sum(r.points for r in reasons), 1), reasons, coverage)


def _places(demand: str) -> tuple[str, str, str] | None:
    """The demand's district, city and province path prefixes. A district's city is its parent; a
    province-level city (天津市) is both city and province."""
    if not demand:
        return None
    depth = len([p for p in demand.split("/") if p])
    return demand, _prefix(demand, max(depth - 1, 1)), _prefix(demand, 1)


def _locality(supplier: str, demand: str | tuple | None) -> tuple[float, str] | None:
    places = _places(demand) if isinstance(demand, str) else demand
    if not supplier or not places:
        return None
    district, city, province = places
    if supplier.startswith(district):
        return LOCAL_DISTRICT, "district"
    if supplier.startswith(city):
        return LOCAL_CITY, "city"
    if supplier.startswith(province):
        return LOCAL_PROVINCE, "province"
    return None


def _track_record(offer: Offer) -> Reason | None:
    contracts = min(offer.contracts * CONTRACT_POINTS, CONTRACT_CAP)
    certs = min(len(offer.certifications) * CERT_POINTS, CERT_CAP)
    flags = [f for f in offer.flags if f in FLAG_POINTS]
    flag_points = min(sum(FLAG_POINTS[f] for f in flags), FLAG_CAP)
    points = contracts + certs + flag_points
    if not points:
        return None
    detail = [*flags, *offer.certifications]
    if offer.contracts:
        detail.insert(0, f"contracts:{offer.contracts}")
    return Reason("track_record", float(points), "", tuple(detail))


# --- the database side --------------------------------------------------------------------------

# Tokens of each product's text, kept between requests: (pk, updated_at) → tokens. A product edited
# gets a new updated_at and is segmented again; the index itself is rebuilt per call (cheap).
_token_cache: dict[tuple[int, object], list[str]] = {}
_TOKEN_CACHE_MAX = 200_000


def _category_paths() -> dict[int, str]:
    from .models import EquipmentCategory

    parents = dict(EquipmentCategory.objects.values_list("pk", "parent_id"))
    paths: dict[int, str] = {}

    def path(pk: int) -> str:
        if pk not in paths:
            parent = parents.get(pk)
            paths[pk] = (path(parent) if parent else "/") + f"{pk}/"
        return paths[pk]

    for pk in parents:
        path(pk)
    return paths


def contracts_by_supplier(*, exclude_demand: int | None = None) -> dict[int, int]:
    """Contracts signed through matchmaking, per supplier: the track record that outcomes feed (a
    demand's own contract is not a track record for that demand)."""
    from django.db.models import Count

    from .enums import OutcomeState
    from .models import MatchOutcome

    outcomes = MatchOutcome.objects.filter(state=OutcomeState.CONTRACTED, demand__isnull=False)
    if exclude_demand is not None:
        outcomes = outcomes.exclude(demand_id=exclude_demand)
    rows = outcomes.order_by().values_list("supplier_id").annotate(n=Count("id"))
    return dict(rows)


def product_text(product) -> str:
    return _product_text(product.model_number, product.specs, product.parameters, product.standards)


def _product_text(model_number, specs, parameters, standards) -> str:
    params = " ".join(f"{k}{v}" for k, v in (parameters or {}).items())
    return " ".join(filter(None, [model_number, specs, params, " ".join(standards or [])]))


_OFFER_FIELDS = (
    "pk",
    "name",
    "model_number",
    "specs",
    "parameters",
    "standards",
    "certifications",
    "energy_grade",
    "category_id",
    "updated_at",
    "enterprise_id",
    "enterprise__name",
    "enterprise__flags",
    "enterprise__jurisdiction__tree_path",
)


def offers_from_products(products, *, exclude_demand: int | None = None) -> tuple[list[Offer], dict[int, list[str]]]:
    """Offers and their tokens from a queryset of products (read as plain rows: no model objects)."""
    paths = _category_paths()
    contracts = contracts_by_supplier(exclude_demand=exclude_demand)
    offers, tokens = [], {}
    for row in products.values_list(*_OFFER_FIELDS):
        pk, name, model_number, specs, params, standards, certs, grade, category_id, updated_at = row[:10]
        enterprise_id, enterprise_name, flags, place = row[10:]
        offer = Offer(
            key=pk,
            enterprise_key=enterprise_id,
            enterprise_name=enterprise_name,
            name=name,
            text=_product_text(model_number, specs, params, standards),
            category_key=category_id,
            category_path=paths.get(category_id, ""),
            energy_grade=grade,
            jurisdiction_path=place or "",
            flags=tuple(flags or ()),
            certifications=tuple(certs or ()),
            contracts=contracts.get(enterprise_id, 0),
        )
        cache_key = (pk, updated_at)
        cached = _token_cache.get(cache_key)
        if cached is None:
            if len(_token_cache) > _TOKEN_CACHE_MAX:
                _token_cache.clear()
            cached = _token_cache[cache_key] = tokenize(f"{offer.name} {offer.text}")
        tokens[pk] = cached
        offers.append(offer)
    return offers, tokens


def supply_index(products=None, *, exclude_demand: int | None = None) -> MatchIndex:
    """The index over every active product (or those of the queryset given)."""
    from .models import Product

    if products is None:
        products = Product.objects.filter(active=True)
    offers, tokens = offers_from_products(products.order_by("pk"), exclude_demand=exclude_demand)
    return MatchIndex(offers, tokens=tokens)


def need_from_demand(demand, *, paths: dict[int, str] | None = None) -> Need:
    paths = paths if paths is not None else _category_paths()
    text = f"{demand.title} {demand.requirements}"
    return Need(
        key=demand.pk,
        text=text,
        category_key=demand.category_id,
        category_path=paths.get(demand.category_id, ""),
        energy_grade=energy_grade_in(text),
        jurisdiction_path=demand.jurisdiction.tree_path,
    )


@dataclass
class SupplierRow:
    """A ranked supplier with its objects, for pages, the API and the spreadsheet."""

    rank: int
    enterprise: object
    product: object
    match: Match
    others: list = field(default_factory=list)  # [(product, Match)]


def demand_matches(demand, *, limit: int | None = 20, index: MatchIndex | None = None) -> list[SupplierRow]:
    """The suppliers for a demand, best first, with their objects loaded."""
    from .models import Product

    index = index or supply_index(exclude_demand=demand.pk)
    ranked = index.rank_suppliers(need_from_demand(demand), limit=limit)
    keys = {sm.best.offer.key for sm in ranked} | {m.offer.key for sm in ranked for m in sm.others}
    products = Product.objects.select_related("enterprise__jurisdiction", "category").in_bulk(keys)
    return [
        SupplierRow(
            rank=n,
            enterprise=products[sm.best.offer.key].enterprise,
            product=products[sm.best.offer.key],
            match=sm.best,
            others=[(products[m.offer.key], m) for m in sm.others],
        )
        for n, sm in enumerate(ranked, start=1)
    ]


def describe(reason: Reason) -> str:
    """A score component as the office reads it (the badge's text)."""
    from django.utils.translation import gettext as _

    if reason.code == "category":
        return _("same category") if reason.level == "exact" else _("related category")
    if reason.code == "keywords":
        return _("keywords: %(words)s") % {"words": "、".join(_longest(reason.detail)[:6])}
    if reason.code == "energy":
        if reason.level == "meets":
            return _("energy grade %(grade)s (required %(required)s)") % {
                "grade": reason.detail[0],
                "required": reason.detail[1],
            }
        return _("energy grade below the required %(required)s") % {"required": reason.detail[1]}
    if reason.code == "locality":
        return {"district": _("same district"), "city": _("same city"), "province": _("same province")}[reason.level]
    if reason.code == "track_record":
        parts = []
        for d in reason.detail:
            if d.startswith("contracts:"):
                parts.append(_("%(n)s contracts signed") % {"n": d.split(":", 1)[1]})
            else:
                parts.append(d)
        return _("track record: %(what)s") % {"what": "、".join(parts)}
    return reason.code


def _longest(words: Sequence[str]) -> list[str]:
    """Matched words without those contained in a longer matched word (五轴 inside 五轴联动)."""
    kept = [w for w in words if not any(w != other and w in other for other in words)]
    return kept or list(words)
