"""The task force (工作专班 / 领导小组 / 协调机制 / 指挥部) a plan sets up.

- It exists when the plan says it sets one up (成立/建立/组建/设立 … 专班 …) or attaches one.
- ``name``: the title of the attachment that describes it, else the phrase in the body
  (经开区成立推动…工作专班 → 经开区推动…工作专班; 建立由…为成员的区推动…工作协调机制 → 区推动…工作协调机制).
- ``member_units``: the 成员单位 list (成员单位：A、B… / 成员单位包括A、B…), and the units the listed
  people head (刘某 市发改委主任 → 市发改委; 某某 朔城区委副书记、区长 → 朔城区). People's names are
  never kept; positions of the government as a whole (副市长, 市政府副秘书长) name no unit.
- ``office_unit``: where its office sits (办公室设在X).
- ``mechanisms``: named working rhythms (旬调度, 月通报, 每月通报, 定期召开…会, “1+6+17”…).
"""

import re
from dataclasses import dataclass, field

from .structure import numbering
from .text import Source, squeeze
from .units import is_generic, is_unit, units_in

BODY_NAMES = r"(?:工作专班|专班|领导小组|工作小组|协调机制|指挥部|联席会议)"
ESTABLISH = re.compile(r"(?:成立|建立|组建|设立)[^。；]{0,120}?" + BODY_NAMES)
_TITLE_WORDS = re.compile(
    r"(?:党组书记|党工委书记|党委书记|副书记|书记|副局长|局长|副主任|主任|副区长|区长|副县长|县长|副市长|市长|副秘书长|秘书长|"
    r"副支队长|支队长|大队长|队长|副行长|行长|副总经理|总经理|经理|董事长|副部长|部长|主席|社长|理事长|所长|院长|校长|常委|"
    r"委员|组长|政委|处长|科长|站长|总工程师|调研员|负责人|主任委员|党组成员)"
)
_ROLE_LABEL = re.compile(r"^(?:组长|副组长|成员|指挥长|副指挥长|召集人|副召集人|主任|副主任|总指挥|副总指挥)[:：]")
_PARTY = re.compile(r"^(.+?)(县委|区委|市委|党工委|党委|党组)$")
MECHANISMS = [
    re.compile(r"[“\"]?(\d+(?:\+\d+)+)[”\"]?[^，。；]{0,10}机制"),
    re.compile(r"(?:旬|周|月|季)调度"),
    re.compile(r"(?:每[周月季]|周|月|季)通报"),
    re.compile(r"每[周月季旬](?:梳理|调度|会商|报送)"),
    re.compile(r"定期召开[^，。；、]{0,10}(?:会议|会)"),
    re.compile(r"定期会商"),
    re.compile(r"联席会议"),
]


@dataclass
class TaskForce:
    name: str
    office_unit: str | None = None
    member_units: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None


def _org_of_position(position: str) -> str | None:
    """市发改委主任 → 市发改委; 朔城区委副书记 → 朔城区; 应县县委副书记 → 应县; 副市长 → None."""
    position = re.split(r"[、，,/]", position)[0]
    best = None
    for m in _TITLE_WORDS.finditer(position):
        if m.start() > 0:
            best = m.start()
            break
    if best is None:
        return None
    org = position[:best]
    m = _PARTY.match(org)
    if m:
        base, party = m.group(1), m.group(2)
        if party in ("县委", "区委", "市委"):
            if not base.endswith(party[0]):
                base += party[0]
        org = base
    if len(org) < 2 or re.fullmatch(r"[省市区县]?(?:委|政府|人民政府|委员会)?", org) or re.search(r"政府$", org):
        return None
    if is_generic(org):
        return None
    if is_unit(org, places=True):
        return org
    return None


def _person_line(text: str) -> str | None:
    """The unit a listed person heads, from a line such as ``刘某某 市发改委主任``."""
    s = text.strip().replace("\u3000", " ")
    s = _ROLE_LABEL.sub("", squeeze_label(s)).strip()
    tokens = s.split()
    if len(tokens) < 2:
        return None
    name_len, k = 0, 0
    while k < len(tokens) - 1 and re.fullmatch(r"[\u4e00-\u9fff·]{1,4}", tokens[k]) and name_len + len(tokens[k]) <= 4:
        name_len += len(tokens[k])
        k += 1
    if not 2 <= name_len <= 4:
        return None
    position = "".join(tokens[k:])
    return _org_of_position(position)


def squeeze_label(s: str) -> str:
    """Remove blanks inside a leading role label (组 长：, 指 挥 长：) but not elsewhere."""
    m = re.match(r"^((?:[\u4e00-\u9fff]\s*){1,5})[:：]", s)
    if m:
        return squeeze(m.group(1)) + s[m.end(1) :]
    return s


def _attachment_title(source: Source, start_line: int, end_line: int):
    """Attachments titled …专班/领导小组/…: (name, first line, last line, stop line)."""
    out = []
    lines = source.lines
    k = start_line
    while k < end_line:
        s = squeeze(lines[k].fold)
        if re.match(r"^附件\s*[\d一二三四五六七八九十]*$", s):
            # the title: up to three short lines after the marker
            parts, j, first = [], k + 1, None
            while j < end_line and len(parts) < 3:
                t = squeeze(lines[j].work)
                if not t:
                    j += 1
                    continue
                if "。" in t or "，" in t or source.in_table(lines[j]) or numbering(lines[j].fold) or len(t) > 50:
                    break
                parts.append(t)
                first = first if first is not None else j
                j += 1
                if re.search(BODY_NAMES + r"$", "".join(parts)):
                    break
            title = "".join(parts)
            if re.search(BODY_NAMES + r"$", title):
                stop = next(
                    (
                        x
                        for x in range(j, end_line)
                        if re.match(r"^附件\s*[\d一二三四五六七八九十]*$", squeeze(lines[x].fold))
                        or re.match(r"^抄\s*送", squeeze(lines[x].fold))
                    ),
                    end_line,
                )
                out.append((title, first, j, stop))
        k += 1
    return out


def read_task_force(source: Source, body_start: int, body_end: int, warnings: list[str]) -> TaskForce | None:
    lines = source.lines
    attachments = _attachment_title(source, body_end, len(lines))
    body_text_start = lines[body_start].start if body_start < len(lines) else 0
    body_text_end = lines[body_end - 1].end if 0 < body_end <= len(lines) else len(source.fold)
    body_fold = source.fold[body_text_start:body_text_end]
    establish = None
    for m in ESTABLISH.finditer(body_fold):
        establish = m
        break
    if not attachments and establish is None:
        return None
    scopes = []  # (start offset, end offset)
    name = None
    span = None
    if attachments:
        title, first, last, stop = attachments[0]
        name = title
        a = lines[first].start
        b = lines[stop - 1].end if stop - 1 >= first else lines[last].end
        scopes.append((a, b))
        span = (a, b)
    if establish is not None:
        # the paragraph that sets it up
        abs_start = body_text_start + establish.start()
        line = next(x for x in lines if x.start <= abs_start <= x.end)
        para_end = line.end
        k = line.index + 1
        while k < body_end and not lines[k].blank and not numbering(lines[k].fold):
            para_end = lines[k].end
            k += 1
        scopes.append((line.start, para_end))
        if span is None:
            span = (line.start, para_end)
        if name is None:
            name = _name_from_sentence(source, body_text_start + establish.start(), body_text_start + establish.end())
    tf = TaskForce(name=name or "工作专班", span=span)
    members: list[str] = []
    for a, b in scopes:
        c = source.condensed(a, b)
        text = c.fold
        # 成员单位：A、B… / 成员单位包括A、B…
        for m in re.finditer(r"成员(?:单位)?(?:[:：]|包括|为|有|由)", text):
            i = m.end()
            j = i
            while j < len(text) and text[j] not in "。；;，,":
                j += 1
            found, _ = units_in(c, i, j)
            for name_ in (u.name for u in found):
                if name_ not in members:
                    members.append(name_)
        m = re.search(r"办公室设在([^，。；,;（(]{2,30})", text)
        if m and tf.office_unit is None:
            office = c.work[m.start(1) : m.end(1)]
            office = re.split(r"[,，]", office)[0]
            if is_unit(squeeze(source.fold[c.pos[m.start(1)] : c.pos[m.end(1) - 1] + 1])) or len(office) <= 20:
                tf.office_unit = office
        for mech in MECHANISMS:
            for mm in mech.finditer(text):
                value = c.work[mm.start(1) : mm.end(1)] if mech.groups else c.work[mm.start() : mm.end()]
                if value not in tf.mechanisms:
                    tf.mechanisms.append(value)
        # people listed with their positions
        first_line = next(x for x in lines if x.start <= a <= x.end + 1)
        for line in lines[first_line.index :]:
            if line.start >= b:
                break
            if source.in_table(line) or "。" in line.fold:
                continue
            org = _person_line(line.work)
            if org and org not in members:
                members.append(org)
    tf.member_units = members
    if not members:
        warnings.append("task force: no member units found")
    return tf


def _name_from_sentence(source: Source, start: int, end: int) -> str:
    phrase = squeeze(source.work[start:end])
    fold = squeeze(source.fold[start:end])
    # 建立由…为成员的X → X
    if "的" in fold:
        cut = fold.rfind("的")
        phrase = phrase[cut + 1 :]
    else:
        phrase = re.sub(r"^(?:成立|建立|组建|设立)", "", phrase)
        # the subject right before 成立 (经开区成立…) belongs to the name
        before = squeeze(source.work[max(0, start - 12) : start])
        m = re.search(r"([\u4e00-\u9fff]{2,6}?)$", re.split(r"[，。；：、\s]", before)[-1])
        if m and re.search(r"[区县市]$", m.group(1)) and not re.search(r"政府$", m.group(1)):
            phrase = m.group(1) + phrase
    return phrase
