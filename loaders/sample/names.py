"""Fictional names for sample and synthetic people, in the 王某某 style.

Every name has the form surname + 某 + one given character (张某明), so no generated person
can be mistaken for a real one, while names stay readable and mostly distinct.
"""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = (
    "明华强伟芳敏静丽军杰涛斌勇艳娟霞平刚辉玲桂英红云峰磊超洁琳晨宇浩凯鹏飞杨帆俊毅健东海波"
    "文斌亮荣欣颖雯倩蕾岚琦瑶翔坤鑫晖昊诚睿哲瑜婷慧琴蓉萍兰梅"
)


class NameBook:
    """Deterministic fictional names; distinct until the 某-style space is exhausted."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def name(self) -> str:
        for _ in range(20):
            candidate = f"{self._rng.choice(SURNAMES)}某{self._rng.choice(GIVEN)}"
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate
        # Space nearly exhausted (synthetic city scale): repeats are harmless, ids are unique.
        return f"{self._rng.choice(SURNAMES)}某{self._rng.choice(GIVEN)}"
