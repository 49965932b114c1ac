"""The role of a report section, read from its headings: what kind of statement its sentences make.

Government research reports follow one plan — 基本情况, 主要做法, 存在的问题, 对策建议 —
so the heading above a sentence says whether it states a problem, a measure, a fact
or a reason. Questions asking for problems or measures are answered from
sentences of sections with that role first.

Example:

    >>> section_role(["三、存在的主要问题", "（一）经费保障不足"])
    'problem'
    >>> section_role(["四、对策建议"]), section_role(["一、基本情况"]), section_role(["（二）建设机制不完善"])
    ('measure', 'facts', 'problem')
"""

from __future__ import annotations

import re

ROLE_RULES = (
    ("problem", re.compile(r"问题|困难|不足|短板|难点|瓶颈|制约|矛盾|困境|挑战|差距|原因"
                           r"|不完善|不健全|不规范|不到位|不够|不强|不高|不力|缺乏|缺少|滞后|薄弱|偏低|偏大|欠缺")),
    ("measure", re.compile(r"建议|对策|措施|思考|路径|办法|举措|做法|经验|启示|成效|打算"
                           r"|工作|推进|加强|完善|提升|健全|强化")),
    ("facts", re.compile(r"基本情况|现状|概况|总体情况|情况")),
)
ROLES = ("problem", "measure", "facts", "other")


def section_role(section_path: list[str]) -> str:
    """The role of the innermost heading that has one (a sub-heading overrides its parent), else ``other``."""
    for heading in reversed(section_path):
        for role, rule in ROLE_RULES:
            if rule.search(heading):
                return role
    return "other"
