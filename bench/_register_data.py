"""A synthetic, deterministic resident register, bulk-loaded with COPY (for bench/residents.py).

Households of one to six members (a head and valid 続柄: 妻/夫, 子, 父, 母), Japanese names with
their フリガナ from built-in lists (common names are more frequent, as in a real register),
birth dates from 1920 to 2025, addresses in the municipality, 宛名番号 and 世帯番号 from the
same serials and check digit as the service (``kyodo_jp.checkdigits.resident_number``), and
one ``resident_history`` / ``household_history`` row for each person / household, with the
state JSON the service writes (``ResidentState``), so that as-of queries find them.

The rows are generated in a stream (a thread, a chunk ahead) and copied in chunks
(``copy_records_to_table``) on two connections as the database owner; the indexes that back no
constraint are dropped for the load and rebuilt from their own definitions after it; the
serial sequences are then moved past the numbers used, so that the service's own registrations
do not collide with them; then VACUUM ANALYZE.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from queue import Queue
from typing import Any

import asyncpg

from kyodo_jp.checkdigits import resident_number
from kyodo_jp.kana import normalize_kana

# (氏, フリガナ), roughly in order of frequency; a few names frequent in Niigata among them.
_FAMILY = """
佐藤 サトウ|鈴木 スズキ|高橋 タカハシ|田中 タナカ|伊藤 イトウ|渡辺 ワタナベ|山本 ヤマモト
中村 ナカムラ|小林 コバヤシ|加藤 カトウ|吉田 ヨシダ|山田 ヤマダ|佐々木 ササキ|山口 ヤマグチ
松本 マツモト|井上 イノウエ|木村 キムラ|林 ハヤシ|斎藤 サイトウ|清水 シミズ|山崎 ヤマザキ
森 モリ|池田 イケダ|橋本 ハシモト|阿部 アベ|石川 イシカワ|山下 ヤマシタ|中島 ナカジマ
石井 イシイ|小川 オガワ|前田 マエダ|岡田 オカダ|長谷川 ハセガワ|藤田 フジタ|後藤 ゴトウ
近藤 コンドウ|村上 ムラカミ|遠藤 エンドウ|青木 アオキ|坂本 サカモト|斉藤 サイトウ|福田 フクダ
太田 オオタ|西村 ニシムラ|藤井 フジイ|金子 カネコ|岡本 オカモト|藤原 フジワラ|中野 ナカノ
三浦 ミウラ|原田 ハラダ|中川 ナカガワ|松田 マツダ|竹内 タケウチ|小野 オノ|田村 タムラ
中山 ナカヤマ|和田 ワダ|石田 イシダ|森田 モリタ|上田 ウエダ|原 ハラ|内田 ウチダ|柴田 シバタ
酒井 サカイ|宮崎 ミヤザキ|横山 ヨコヤマ|高木 タカギ|安藤 アンドウ|宮本 ミヤモト|大野 オオノ
小島 コジマ|谷口 タニグチ|今井 イマイ|工藤 クドウ|高田 タカダ|増田 マスダ|丸山 マルヤマ
杉山 スギヤマ|村田 ムラタ|大塚 オオツカ|新井 アライ|小山 コヤマ|平野 ヒラノ|藤本 フジモト
河野 コウノ|上野 ウエノ|野口 ノグチ|武田 タケダ|松井 マツイ|千葉 チバ|岩崎 イワサキ
菅原 スガワラ|木下 キノシタ|久保 クボ|佐野 サノ|野村 ノムラ|松尾 マツオ|市川 イチカワ
菊地 キクチ|杉本 スギモト|古川 フルカワ|大西 オオニシ|島田 シマダ|水野 ミズノ|桜井 サクライ
高野 タカノ|渡部 ワタナベ|吉川 ヨシカワ|山内 ヤマウチ|西田 ニシダ|飯田 イイダ|菊池 キクチ
西川 ニシカワ|小松 コマツ|北村 キタムラ|安田 ヤスダ|五十嵐 イガラシ|川口 カワグチ|平田 ヒラタ
関 セキ|中田 ナカタ|久保田 クボタ|服部 ハットリ|東 アズマ|岩田 イワタ|土屋 ツチヤ|川崎 カワサキ
福島 フクシマ|本田 ホンダ|辻 ツジ|樋口 ヒグチ|秋山 アキヤマ|田口 タグチ|永井 ナガイ
山中 ヤマナカ|中西 ナカニシ|吉村 ヨシムラ|川上 カワカミ|石原 イシハラ|大橋 オオハシ
松岡 マツオカ|馬場 ババ|浅野 アサノ|荒木 アラキ|大久保 オオクボ|野田 ノダ|小池 コイケ
松下 マツシタ|吉岡 ヨシオカ|大川 オオカワ|熊谷 クマガイ|星 ホシ|星野 ホシノ|笠原 カサハラ
田辺 タナベ|山岸 ヤマギシ|本間 ホンマ|渡邉 ワタナベ|内山 ウチヤマ|皆川 ミナガワ|小黒 オグロ
佐久間 サクマ|小熊 オグマ|風間 カザマ|桑原 クワバラ|若林 ワカバヤシ|大竹 オオタケ|金井 カナイ
田代 タシロ|岡村 オカムラ|関根 セキネ|山川 ヤマカワ|山村 ヤマムラ|山上 ヤマガミ|山際 ヤマギワ
山森 ヤマモリ|徳永 トクナガ|片山 カタヤマ|堀 ホリ|堀川 ホリカワ|小柳 コヤナギ|笹川 ササガワ
諸橋 モロハシ|捧 ササゲ|大矢 オオヤ|外山 トヤマ|涌井 ワクイ|坂井 サカイ|井口 イグチ
平澤 ヒラサワ|小野塚 オノヅカ|神田 カンダ|長橋 ナガハシ|韮沢 ニラサワ|目黒 メグロ|棚橋 タナハシ
野澤 ノザワ|吉井 ヨシイ|高澤 タカザワ
"""
_MALE = """
太郎 タロウ|一郎 イチロウ|健一 ケンイチ|誠 マコト|浩 ヒロシ|隆 タカシ|茂 シゲル|博 ヒロシ
清 キヨシ|勇 イサム|実 ミノル|進 ススム|修 オサム|明 アキラ|豊 ユタカ|勝 マサル|正 タダシ
弘 ヒロシ|昭 アキラ|和夫 カズオ|正男 マサオ|幸男 ユキオ|三郎 サブロウ|次郎 ジロウ|健二 ケンジ
健太 ケンタ|大輔 ダイスケ|翔太 ショウタ|拓也 タクヤ|直樹 ナオキ|和也 カズヤ|達也 タツヤ
哲也 テツヤ|誠一 セイイチ|雄一 ユウイチ|洋平 ヨウヘイ|亮 リョウ|翔 ショウ|蓮 レン|湊 ミナト
陽翔 ハルト|悠真 ユウマ|大翔 ヒロト|樹 イツキ|颯太 ソウタ|悠斗 ユウト|陸 リク|大和 ヤマト
蒼 アオイ|律 リツ|朝陽 アサヒ|結翔 ユイト|陽太 ヨウタ|優斗 ユウト|拓海 タクミ|海斗 カイト
健 ケン|光 ヒカル|浩二 コウジ|秀樹 ヒデキ|英樹 ヒデキ|俊介 シュンスケ|雅人 マサト|智也 トモヤ
裕太 ユウタ|亮太 リョウタ|祐介 ユウスケ|慎一 シンイチ|康弘 ヤスヒロ|孝 タカシ|武 タケシ
剛 ツヨシ|聡 サトシ|学 マナブ|稔 ミノル|功 イサオ|仁 ヒトシ|徹 トオル|敏夫 トシオ|義男 ヨシオ
秀夫 ヒデオ|正一 ショウイチ|栄一 エイイチ|喜一 キイチ|勝利 カツトシ|信夫 ノブオ|春男 ハルオ
英二 エイジ|良平 リョウヘイ|恭平 キョウヘイ|駿 シュン|航 ワタル|匠 タクミ|悠 ユウ|奏太 ソウタ
晴 ハル|颯 ハヤテ|新 アラタ|岳 ガク|湊斗 ミナト|孝之 タカユキ
"""
_FEMALE = """
花子 ハナコ|洋子 ヨウコ|幸子 サチコ|和子 カズコ|恵子 ケイコ|京子 キョウコ|節子 セツコ
弘子 ヒロコ|久美子 クミコ|美智子 ミチコ|裕子 ユウコ|由美子 ユミコ|明美 アケミ|直美 ナオミ
真由美 マユミ|陽子 ヨウコ|智子 トモコ|文子 フミコ|春子 ハルコ|千代子 チヨコ|静子 シズコ
良子 ヨシコ|順子 ジュンコ|典子 ノリコ|恵美 エミ|美穂 ミホ|愛 アイ|彩 アヤ|舞 マイ|麻衣 マイ
香織 カオリ|智美 トモミ|由香 ユカ|沙織 サオリ|恵 メグミ|優子 ユウコ|美香 ミカ|亜希子 アキコ
里美 サトミ|理恵 リエ|友美 トモミ|千尋 チヒロ|美咲 ミサキ|彩花 アヤカ|陽菜 ヒナ|結衣 ユイ
葵 アオイ|凛 リン|結菜 ユイナ|芽依 メイ|紬 ツムギ|陽葵 ヒマリ|澪 ミオ|莉子 リコ|美桜 ミオ
さくら サクラ|咲良 サクラ|杏 アン|心春 コハル|楓 カエデ|花 ハナ|七海 ナナミ|美月 ミヅキ
彩乃 アヤノ|菜々子 ナナコ|遥 ハルカ|茜 アカネ|綾香 アヤカ|真央 マオ|優花 ユウカ|明日香 アスカ
瞳 ヒトミ|静香 シズカ|美奈子 ミナコ|純子 ジュンコ|悦子 エツコ|勝子 カツコ|冨美子 フミコ
照子 テルコ|光子 ミツコ|喜代子 キヨコ|正子 マサコ|松子 マツコ|梅子 ウメコ|雪子 ユキコ
千秋 チアキ|朋子 トモコ|紀子 ノリコ|律子 リツコ|栄子 エイコ|秋子 アキコ|冬美 フユミ|夏美 ナツミ
沙也加 サヤカ|舞子 マイコ|優奈 ユウナ|詩織 シオリ|奈緒 ナオ|千夏 チナツ|桃子 モモコ|真理 マリ
香奈 カナ|美紀 ミキ|由紀 ユキ
"""


def _names(text: str) -> list[tuple[str, str]]:
    pairs = [tuple(item.split()) for item in text.replace("\n", "|").split("|") if item.strip()]
    names = [(kanji, normalize_kana(kana)) for kanji, kana in pairs]
    if len({kanji for kanji, _ in names}) != len(names):
        raise ValueError("a name is listed twice")
    return names


FAMILY_NAMES = _names(_FAMILY)
MALE_NAMES = _names(_MALE)
FEMALE_NAMES = _names(_FEMALE)


@dataclass(frozen=True)
class Place:
    """Where a municipality's residents live: 'prefecture + city', towns with postal codes."""

    prefix: str
    towns: tuple[tuple[str, str], ...]  # (町名, stored 7-digit postal code)


PLACES = {
    "152021": Place("新潟県長岡市", (
        ("大手通", "9400062"), ("殿町", "9400061"), ("表町", "9400066"), ("城内町", "9400065"),
        ("坂之上町", "9400063"), ("東坂之上町", "9400064"), ("台町", "9400048"),
        ("千秋", "9402108"), ("川崎", "9400864"), ("宮内", "9401105"), ("喜多町", "9402117"),
        ("新保", "9402127"), ("堺町", "9400027"), ("関原町", "9402035"), ("上除町", "9402146"),
        ("稲保", "9402128"), ("希望が丘", "9402137"), ("江陽", "9400856"), ("美沢", "9400853"),
        ("悠久町", "9400857"), ("福住", "9400034"), ("四郎丸", "9400816"), ("寿", "9402114"),
        ("今朝白", "9400087"), ("中島", "9400094"), ("西千手", "9400072"), ("干場", "9400087"),
    )),
    # 三条市 (bench/capacity.py): towns of the city with codes of its 955 area (synthetic data).
    "152048": Place("新潟県三条市", (
        ("旭町", "9550082"), ("本町", "9550071"), ("元町", "9550072"), ("東裏館", "9550055"),
        ("西裏館", "9550054"), ("興野", "9550092"), ("須頃", "9550093"), ("月岡", "9550803"),
    )),
    "152111": Place("新潟県見附市", (
        ("昭和町", "9540051"), ("本町", "9540053"), ("新町", "9540052"), ("学校町", "9540054"),
        ("嶺崎", "9540021"), ("今町", "9540111"), ("葛巻", "9540034"), ("新潟", "9540022"),
    )),
}
FALLBACK_PLACE = Place("新潟県", (("本町", "9500000"),))
_KANJI_DIGITS = "〇一二三四五六七八九"
PREVIOUS_ADDRESSES = ("新潟県新潟市中央区学校町通一番町602番地1", "東京都千代田区千代田1番1号",
                      "新潟県三条市旭町二丁目3番1号", "新潟県柏崎市日石町2番1号",
                      "埼玉県さいたま市浦和区高砂三丁目15番1号")
# Share of households by size (1 … 6 members), about the census figures.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
HOUSEHOLD_WEIGHTS = (0.36, 0.28, 0.17, 0.12, 0.045, 0.025)
FIRST_DAY, LAST_DAY = date(1920, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
_JAN_1 = {year: date(year, 1, 1).toordinal() for year in range(1900, 2101)}
_SIZE_CUM = [sum(HOUSEHOLD_WEIGHTS[:n + 1]) for n in range(len(HOUSEHOLD_WEIGHTS))]
REASON_BIRTH, REASON_MOVE_IN = "出生", "転入"

RESIDENT_COLUMNS = (
    "id", "municipality_code", "resident_number", "family_name", "given_name",
    "family_name_kana", "given_name_kana", "birth_date", "sex", "postal_code", "address",
    "registered_on", "version", "platform_person_id", "status", "household_id", "relationship",
    "nationality", "address_since", "became_resident_on", "previous_address")
HOUSEHOLD_COLUMNS = ("id", "municipality_code", "household_number", "head_id", "postal_code",
                     "address", "formed_on", "version")
RESIDENT_HISTORY_COLUMNS = ("municipality_code", "resident_id", "version", "effective_date",
                            "reason", "late_filing", "household_id", "status", "state")
HOUSEHOLD_HISTORY_COLUMNS = ("municipality_code", "household_id", "version", "effective_date",
                             "reason", "state")
TABLES = ("households", "residents", "resident_history", "household_history")


def _weights(count: int, exponent: float) -> list[float]:
    """Zipf-like: the n-th name is chosen in proportion to 1 / n^exponent."""
    return [1 / (n + 1) ** exponent for n in range(count)]


class Serials:
    """宛名番号 / 世帯番号 from a serial sequence: serials whose check digit is 10 are skipped."""

    def __init__(self, last: int) -> None:
        self.last = last

    def next(self) -> str:
        while True:
            self.last += 1
            number = resident_number(self.last)
            if number is not None:
                return number


@dataclass
class Chunk:
    households: list[tuple[Any, ...]] = field(default_factory=list)
    residents: list[tuple[Any, ...]] = field(default_factory=list)
    resident_history: list[tuple[Any, ...]] = field(default_factory=list)
    household_history: list[tuple[Any, ...]] = field(default_factory=list)


def _state_json(rid: str, ppid: str, number: str, family: tuple[str, str],
                given: tuple[str, str], birth: date, sex: str, hid: str, hnumber: str,
                relationship: str, postal: str, address: str, since: date,
                previous: str | None = None) -> str:
    """ResidentState.model_dump(mode="json") as JSON text, written out for speed (the names
    and addresses come from the lists above: nothing in them needs escaping)."""
    return (f'{{"resident_id":"{rid}","platform_person_id":"{ppid}","resident_number":'
            f'"{number}","version":1,"status":"resident","family_name":"{family[0]}",'
            f'"given_name":"{given[0]}","family_name_kana":"{family[1]}","given_name_kana":'
            f'"{given[1]}","latin_name":null,"birth_date":"{birth.isoformat()}",'
            f'"birth_date_partial":null,"sex":"{sex}","nationality":"JP","household_id":"{hid}",'
            f'"household_number":"{hnumber}","relationship":"{relationship}","postal_code":'
            f'"{postal}","address":"{address}","address_since":"{since.isoformat()}",'
            f'"became_resident_on":"{since.isoformat()}","left_on":null,"moved_in_from":'
            f'{"null" if previous is None else chr(34) + previous + chr(34)},"protected":false,'
            '"protected_from":null,"protected_until":null}')


class Generator:
    """Households and their members for one municipality, deterministic for a seed."""

    def __init__(self, code: str, *, seed: int, residents: Serials, households: Serials,
                 sample_every: int = 200, place: Place | None = None) -> None:
        self.code = code
        self.rng = random.Random(f"{seed}:{code}")
        self.place = place or PLACES.get(code, FALLBACK_PLACE)
        self.resident_serials, self.household_serials = residents, households
        self._family_cum = self._cumulative(_weights(len(FAMILY_NAMES), 1.0))
        self._male_cum = self._cumulative(_weights(len(MALE_NAMES), 0.6))
        self._female_cum = self._cumulative(_weights(len(FEMALE_NAMES), 0.6))
        self.sample_every = sample_every
        self.sample_ids: list[uuid.UUID] = []  # every n-th resident: ids to look up
        self.count = 0

    @staticmethod
    def _cumulative(weights: list[float]) -> list[float]:
        total, out = 0.0, []
        for w in weights:
            total += w
            out.append(total)
        return out

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _day(self, year_from: int, year_to: int) -> date:
        first = max(FIRST_DAY, _JAN_1[max(1900, min(2100, year_from))])
        last = min(LAST_DAY, _JAN_1[max(1900, min(2100, year_to + 1))] - 1)
        return date.fromordinal(first + int(self.rng.random() * (max(first, last) - first + 1)))

    def _pick(self, names: list[tuple[str, str]], cum: list[float]) -> tuple[str, str]:
        return names[bisect(cum, self.rng.random() * cum[-1])]

    def _given(self, sex: str) -> tuple[str, str]:
        if sex == "male":
            return self._pick(MALE_NAMES, self._male_cum)
        return self._pick(FEMALE_NAMES, self._female_cum)

    def _address(self) -> tuple[str, str]:
        town, postal = self.rng.choice(self.place.towns)
        rng = self.rng
        chome = _KANJI_DIGITS[rng.randint(1, 6)]
        return postal, f"{self.place.prefix}{town}{chome}丁目{rng.randint(1, 30)}番" \
                       f"{rng.randint(1, 25)}号"

    def _members(self, size: int) -> list[tuple[str, str, date]]:
        """(続柄, sex, birth date) of a household's members, the head first."""
        rng = self._day
        r = self.rng
        if size == 1:
            return [("世帯主", r.choice(("male", "female")), rng(1930, 2005))]
        head_sex = "male" if r.random() < 0.7 else "female"
        head_birth = rng(1935, 1995)
        members = [("世帯主", head_sex, head_birth)]
        y = head_birth.year
        if size == 2 and r.random() < 0.2:  # a single parent and a child, or a parent
            if r.random() < 0.6 and y + 22 <= 2025:
                members.append(("子", r.choice(("male", "female")), rng(y + 22, y + 40)))
            else:
                members.append(("母", "female", rng(y - 35, y - 22)))
            return members
        spouse_sex = "female" if head_sex == "male" else "male"
        members.append(("妻" if head_sex == "male" else "夫", spouse_sex, rng(y - 3, y + 5)))
        elders = ["父", "母"] if size >= 5 and r.random() < 0.5 else \
            (["母"] if size >= 4 and r.random() < 0.2 else [])
        for relationship in elders[:size - 2]:
            members.append((relationship, "male" if relationship == "父" else "female",
                            rng(y - 35, y - 22)))
        while len(members) < size:
            if y + 20 > 2025:  # too young for children: a parent instead
                members.append(("母", "female", rng(y - 35, y - 22)))
            else:
                members.append(("子", r.choice(("male", "female")), rng(y + 20, y + 42)))
        return members

    def household(self, chunk: Chunk) -> int:
        """Appends one household and its members to the chunk; returns the member count."""
        r = self.rng
        code = self.code
        size = HOUSEHOLD_SIZES[bisect(_SIZE_CUM, r.random() * _SIZE_CUM[-1])]
        members = self._members(size)
        family = self._pick(FAMILY_NAMES, self._family_cum)
        hid = self._uuid()
        hid_s = str(hid)
        hnumber = self.household_serials.next()
        postal, address = self._address()
        head_birth = members[0][2]
        formed_on = self._day(max(1950, head_birth.year + 20), 2025)
        head_id: uuid.UUID | None = None
        for relationship, sex, birth in members:
            rid, ppid = self._uuid(), self._uuid()
            if head_id is None:
                head_id = rid
            number = self.resident_serials.next()
            given = self._given(sex)
            born_here = birth > formed_on
            since = birth if born_here else formed_on
            reason = REASON_BIRTH if born_here else REASON_MOVE_IN
            previous = None if born_here else r.choice(PREVIOUS_ADDRESSES)
            chunk.residents.append((
                rid, code, number, family[0], given[0], family[1], given[1], birth, sex,
                postal, address, since, 1, ppid, "resident", hid, relationship, "JP", since,
                since, previous))
            rid_s = str(rid)
            chunk.resident_history.append((
                code, rid, 1, since, reason, False, hid, "resident",
                _state_json(rid_s, str(ppid), number, family, given, birth, sex, hid_s,
                            hnumber, relationship, postal, address, since, previous)))
            if self.count % self.sample_every == 0:
                self.sample_ids.append(rid)
            self.count += 1
        assert head_id is not None
        chunk.households.append((hid, code, hnumber, head_id, postal, address, formed_on, 1))
        state = {"id": hid_s, "household_number": hnumber, "head_id": str(head_id),
                 "postal_code": postal, "address": address, "formed_on": formed_on.isoformat(),
                 "version": 1, "dissolved_on": None}
        chunk.household_history.append((code, hid, 1, formed_on, REASON_MOVE_IN,
                                         json.dumps(state, ensure_ascii=False)))
        return size

    def chunks(self, residents: int, chunk_size: int) -> Iterator[Chunk]:
        """About ``residents`` people (the last household is complete), in chunks."""
        made = 0
        while made < residents:
            chunk = Chunk()
            while len(chunk.residents) < chunk_size and made < residents:
                made += self.household(chunk)
            yield chunk


def check_states(chunk: Chunk) -> None:
    """The generated state JSON is what the service writes: ResidentState round-trips it."""
    from kyodo_residents_events import ResidentState

    for row in chunk.resident_history[:200]:
        state = json.loads(row[-1])
        if ResidentState.model_validate(state).model_dump(mode="json") != state:
            raise AssertionError(f"state JSON differs from ResidentState: {state}")


@dataclass
class LoadResult:
    code: str
    residents: int
    households: int
    rows: int  # in every table
    seconds: float
    sample_ids: list[uuid.UUID]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("nan")


async def sequence_last(conn: asyncpg.Connection, sequence: str) -> int:
    row = await conn.fetchrow(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
    return int(row["last_value"]) if row["is_called"] else int(row["last_value"]) - 1


# Session settings of the loading connections only: the platform's configuration is untouched.
# Less WAL for the full-page images that random UUID index inserts cause; no wait for the WAL
# flush at each chunk's commit (a crash would lose the benchmark's data, nothing else).
LOAD_SETTINGS = {"wal_compression": "pglz", "synchronous_commit": "off",
                 "maintenance_work_mem": "256MB"}


async def _connect(dsn: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(dsn)
    for name, value in LOAD_SETTINGS.items():
        try:
            await conn.execute("SELECT set_config($1, $2, false)", name, value)
        except asyncpg.PostgresError:
            pass  # not a superuser, or not supported: load without
    return conn


async def _copy(conn: asyncpg.Connection, tables: list[tuple[str, list[tuple[Any, ...]],
                                                             tuple[str, ...]]]) -> None:
    async with conn.transaction():
        for table, records, columns in tables:
            await conn.copy_records_to_table(table, records=records, columns=columns)


async def secondary_indexes(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the loaded tables' indexes that back no constraint."""
    rows = await conn.fetch(
        """SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS ddl
           FROM pg_index i
           WHERE i.indrelid = ANY($1::regclass[])
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
           ORDER BY 1""", list(TABLES))
    return [(r["name"], r["ddl"]) for r in rows]


async def load(dsn: str, plan: list[tuple[str, int]], *, seed: int = 20261127,
               chunk_size: int = 20_000, progress: Any = None,
               places: dict[str, Place] | None = None,
               ) -> tuple[list[LoadResult], dict[str, float]]:
    """Generate and COPY each (municipality, residents) of the plan; VACUUM and ANALYZE; move
    the serial sequences past the numbers used.

    Generation runs in a thread, a chunk ahead of the COPY; two connections copy side by side
    (households and residents, in that order for the foreign key, on one; the history tables
    on the other), so that the server's work is spread over two backends."""
    register, history = await _connect(dsn), await _connect(dsn)
    # Indexes that back no constraint are dropped for the load and built again after it from
    # their own definitions (a sorted build instead of a million random inserts); the
    # primary keys and unique constraints stay and are checked row by row.
    indexes = await secondary_indexes(register)
    timings: dict[str, float] = {}
    try:
        for name, _ in indexes:
            await register.execute(f"DROP INDEX {name}")
        resident_serials = Serials(await sequence_last(register, "resident_serial"))
        household_serials = Serials(await sequence_last(register, "household_serial"))
        results: list[LoadResult] = []
        for code, size in plan:
            generator = Generator(code, seed=seed, residents=resident_serials,
                                  households=household_serials,
                                  place=(places or {}).get(code))
            queue: Queue[Chunk | BaseException | None] = Queue(maxsize=2)

            def produce(gen: Generator = generator, size: int = size,
                        queue: Queue[Chunk | BaseException | None] = queue) -> None:
                try:
                    for chunk in gen.chunks(size, chunk_size):
                        queue.put(chunk)
                    queue.put(None)
                except BaseException as exc:
                    queue.put(exc)

            started = time.perf_counter()
            thread = threading.Thread(target=produce, name=f"register-{code}", daemon=True)
            thread.start()
            rows = households = 0
            checked = False
            while True:
                item = await asyncio.to_thread(queue.get)
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                if not checked:
                    check_states(item)
                    checked = True
                await asyncio.gather(
                    _copy(register, [("households", item.households, HOUSEHOLD_COLUMNS),
                                     ("residents", item.residents, RESIDENT_COLUMNS)]),
                    _copy(history, [
                        ("resident_history", item.resident_history, RESIDENT_HISTORY_COLUMNS),
                        ("household_history", item.household_history,
                         HOUSEHOLD_HISTORY_COLUMNS)]))
                rows += (len(item.households) + len(item.residents)
                         + len(item.resident_history) + len(item.household_history))
                households += len(item.households)
                if progress is not None:
                    progress(code, generator.count, time.perf_counter() - started)
            thread.join()
            results.append(LoadResult(code, generator.count, households, rows,
                                      time.perf_counter() - started, generator.sample_ids))
        await register.execute("SELECT setval('resident_serial', $1)", resident_serials.last)
        await register.execute("SELECT setval('household_serial', $1)", household_serials.last)
    finally:
        started = time.perf_counter()
        await _build(register, history, [ddl for _, ddl in indexes])
        timings["index_build_seconds"] = time.perf_counter() - started
    try:
        started = time.perf_counter()
        # VACUUM as well: a register that has been live for years is vacuumed; freshly
        # copied rows would otherwise get their visibility hint bits (a write per page) and be
        # vacuumed by autovacuum in the middle of the first measured run.
        await asyncio.gather(
            register.execute("VACUUM (ANALYZE) households, residents"),
            history.execute("VACUUM (ANALYZE) resident_history, household_history"))
        timings["analyze_seconds"] = time.perf_counter() - started
        return results, timings
    finally:
        await register.close()
        await history.close()


async def _build(first: asyncpg.Connection, second: asyncpg.Connection,
                 statements: list[str]) -> None:
    """CREATE INDEX statements, on two connections side by side."""
    async def run(conn: asyncpg.Connection, mine: list[str]) -> None:
        for ddl in mine:
            await conn.execute(ddl)
    await asyncio.gather(run(first, statements[0::2]), run(second, statements[1::2]))
