"""The words of the built-in vocabulary, language by language.

Incident write-ups are commonly written in English, Japanese, Chinese (simplified and
traditional), Korean, German, French, Spanish and Portuguese. Each table below gives the general
words of one language for each section kind (headings and labels) and each metadata field; the
action-item states, milestone words and month names of each language live with their readers
(:mod:`.actions`, :mod:`.timeline`, :mod:`.times`). Entries are written as people write them:
:func:`~generator.parse.vocabulary.normalize_heading` folds case, width, numbering and punctuation
before lookup, and a heading is also matched by its leading or trailing words.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.models import SectionKind

K = SectionKind
Words = Mapping[SectionKind, tuple[str, ...]]

ENGLISH: Words = {
    K.SUMMARY: (
        "summary", "executive summary", "incident summary", "issue summary", "overview",
        "tl;dr", "tldr", "description", "the issue", "what happened", "incident description",
        "synopsis", "abstract",
    ),
    K.IMPACT: (
        "impact", "customer impact", "user impact", "business impact", "impact assessment",
        "impact analysis", "affected users", "affected", "blast radius",
    ),
    K.TIMELINE: (
        "timeline", "timeline of events", "incident timeline", "investigation timeline",
        "chain of events", "key events", "sequence of events", "chronology", "events",
        "detailed timeline", "updates", "status updates", "incident updates", "update history",
    ),
    K.ROOT_CAUSE: (
        "root cause", "root causes", "root cause analysis", "root causes identified",
        "what caused the incident", "cause", "causes", "fault", "leadup", "lead-up",
        "background", "why it happened", "technical root cause",
    ),
    K.CONTRIBUTING_FACTORS: (
        "contributing factors", "contributing factor", "contributing conditions",
        "contributing conditions analysis", "contributing causes",
    ),
    K.TRIGGER: ("trigger", "triggers", "what triggered the incident"),
    K.DETECTION: (
        "detection", "how did we detect it", "incident detected by", "identified",
        "how it was detected", "how we found out",
    ),
    K.RESOLUTION: (
        "resolution", "resolution and recovery", "recovery", "mitigation", "the fix",
        "how it was fixed", "how we resolved the issue", "recovery actions taken",
        "recovery actions", "actions taken", "response", "fix", "immediate actions",
        "remediation taken", "mitigation and resolution", "steps taken", "recovery steps",
        "mitigation steps", "what we did", "how we fixed it",
    ),
    K.MISTAKES: ("mistakes", "our mistakes", "mistakes made"),
    K.LESSONS: (
        "lessons learned", "lessons learnt", "lessons", "lesson learned", "what we learned",
        "key takeaways", "takeaways", "how'd we do", "how did we do", "learnings",
    ),
    K.WENT_WELL: (
        "what went well", "what worked", "things that went well", "went well",
        "what went right",
    ),
    K.WENT_WRONG: (
        "what went wrong", "what went poorly", "what didn't go so well", "what did not go well",
        "what could be improved", "things that could be improved", "went wrong",
        "what went badly", "what could have gone better",
    ),
    K.LUCKY: ("where we got lucky", "what was lucky", "lucky"),
    K.FIVE_WHYS: ("five whys", "5 whys", "the five whys"),
    K.ACTION_ITEMS: (
        "action items", "action item", "actions", "follow-ups", "follow ups", "followups",
        "follow-up actions", "follow up actions", "corrective actions",
        "corrective and preventative measures", "corrective and preventive measures",
        "preventive measures", "preventative measures", "prevention", "prevention measures",
        "recommendations", "next steps", "future actions", "remediation", "remediations",
        "review actions", "action plan", "todo", "to do", "tasks", "follow-up", "follow up",
        "action points", "action point",
    ),
    K.STATUS: ("status", "current status", "incident status"),
    K.PEOPLE: (
        "authors", "author", "owners", "responders", "attendees", "collaborators",
        "participants", "people", "people involved",
    ),
    K.APPENDIX: (
        "supporting information", "appendix", "references", "open questions",
        "questions for follow up", "chat logs", "chat log", "related documentation", "links",
        "resources", "notes", "related incidents", "glossary", "supporting documents",
        "supporting documentation",
    ),
}  # fmt: skip

JAPANESE: Words = {
    K.SUMMARY: ("サマリー", "概要", "要約", "障害概要", "事象", "まとめ", "インシデント概要"),
    K.IMPACT: ("影響", "影響範囲", "影響度"),
    K.TIMELINE: ("タイムライン", "時系列", "経緯", "対応履歴", "対応経緯"),
    K.ROOT_CAUSE: ("根本原因", "根本原因分析", "原因", "原因分析", "発生原因"),
    K.CONTRIBUTING_FACTORS: ("寄与要因", "要因"),
    K.TRIGGER: ("発生契機", "きっかけ", "トリガー"),
    K.DETECTION: ("検知", "検出", "発見", "検知方法"),
    K.RESOLUTION: ("対応", "復旧", "対応内容", "解決", "暫定対応", "復旧対応"),
    K.MISTAKES: ("ミス", "誤り"),
    K.LESSONS: ("教訓", "学び", "対応の評価", "振り返り"),
    K.WENT_WELL: ("うまくいったこと", "良かった点", "良かったこと"),
    K.WENT_WRONG: (
        "改善が必要なこと", "改善点", "悪かった点", "うまくいかなかったこと", "反省点",
    ),
    K.LUCKY: ("運が良かったこと", "幸運だった点"),
    K.FIVE_WHYS: ("なぜなぜ分析",),
    K.ACTION_ITEMS: (
        "アクションアイテム", "再発防止策", "対策", "今後の対応", "恒久対応", "今後の課題",
    ),
    K.STATUS: ("ステータス",),
    K.PEOPLE: ("参加者", "担当者"),
    K.APPENDIX: ("参考", "付録", "参考資料"),
}  # fmt: skip

# Simplified and traditional forms side by side.
CHINESE: Words = {
    K.SUMMARY: (
        "摘要", "概述", "概要", "总结", "總結", "事件概述", "事件摘要", "事件概要", "故障概述",
        "事故概述", "问题描述", "問題描述", "事件描述", "事故摘要", "事件经过概述", "简介", "簡介",
    ),
    K.IMPACT: (
        "影响", "影響", "影响范围", "影響範圍", "影响分析", "影響分析", "故障影响", "故障影響",
        "业务影响", "業務影響", "用户影响", "用戶影響",
    ),
    K.TIMELINE: (
        "时间线", "時間線", "时间轴", "時間軸", "时间表", "時間表", "事件时间线", "事件時間線",
        "经过", "經過", "事件经过", "事件經過", "处理过程", "處理過程", "故障经过", "故障經過",
        "时间顺序", "時間順序",
    ),
    K.ROOT_CAUSE: (
        "根本原因", "根因", "根因分析", "原因分析", "原因", "故障原因", "问题原因", "問題原因",
        "事故原因",
    ),
    K.CONTRIBUTING_FACTORS: ("促成因素", "相关因素", "相關因素", "影响因素", "影響因素"),
    K.TRIGGER: ("触发因素", "觸發因素", "诱因", "誘因", "触发", "觸發", "触发原因", "觸發原因"),
    K.DETECTION: ("检测", "檢測", "发现", "發現", "发现过程", "發現過程", "如何发现", "如何發現"),
    K.RESOLUTION: (
        "解决方案", "解決方案", "解决", "解決", "处理", "處理", "恢复", "恢復", "修复", "修復",
        "缓解", "緩解", "处理措施", "處理措施", "应急处理", "應急處理", "解决过程", "解決過程",
        "止损", "止損",
    ),
    K.LESSONS: (
        "经验教训", "經驗教訓", "教训", "經驗", "经验", "复盘", "復盤", "反思", "总结与反思",
        "經驗總結", "经验总结",
    ),
    K.WENT_WELL: ("做得好的", "做得好的地方", "做得好", "好的方面", "亮点", "亮點"),
    K.WENT_WRONG: (
        "做得不好的", "做得不好的地方", "不足", "不足之处", "不足之處", "待改进", "待改進",
        "需要改进", "需要改進", "改进点", "改進點",
    ),
    K.LUCKY: ("幸运的", "幸運的", "幸运之处", "幸運之處"),
    K.FIVE_WHYS: ("五个为什么", "五個為什麼", "5个为什么", "5個為什麼"),
    K.ACTION_ITEMS: (
        "行动项", "行動項", "改进措施", "改進措施", "后续行动", "後續行動", "后续措施",
        "後續措施", "待办事项", "待辦事項", "后续跟进", "後續跟進", "改进项", "改進項",
        "预防措施", "預防措施", "整改措施", "下一步", "后续计划", "後續計劃", "行动计划",
        "行動計劃", "后续改进", "後續改進", "改进计划", "改進計劃",
    ),
    K.STATUS: ("状态", "狀態"),
    K.PEOPLE: ("参与人员", "參與人員", "负责人", "負責人"),
    K.APPENDIX: ("附录", "附錄", "参考资料", "參考資料", "参考", "參考", "相关链接", "相關連結"),
}  # fmt: skip

KOREAN: Words = {
    K.SUMMARY: (
        "요약", "개요", "사건 요약", "장애 요약", "장애 개요", "사건 개요", "무슨 일이 있었나",
        "무슨 일이 있었나요", "사고 개요",
    ),
    K.IMPACT: ("영향", "영향 범위", "영향도", "사용자 영향", "고객 영향", "장애 영향"),
    K.TIMELINE: (
        "타임라인", "타임 라인", "경과", "진행 경과", "사건 경과", "장애 경과", "장애 타임라인",
        "시간순 경과", "시간표", "대응 경과",
    ),
    K.ROOT_CAUSE: ("근본 원인", "원인", "원인 분석", "근본 원인 분석", "장애 원인", "발생 원인"),
    K.CONTRIBUTING_FACTORS: ("기여 요인", "기여 요소", "복합 요인"),
    K.TRIGGER: ("트리거", "발생 계기", "계기", "촉발 요인"),
    K.DETECTION: ("탐지", "감지", "발견", "인지", "장애 인지", "탐지 방법"),
    K.RESOLUTION: (
        "해결", "조치", "대응", "복구", "해결 방법", "조치 내용", "대응 내용", "복구 과정",
        "완화", "조치 사항", "해결 과정",
    ),
    K.LESSONS: ("교훈", "배운 점", "회고", "얻은 교훈", "배운 것"),
    K.WENT_WELL: ("잘된 점", "잘한 점", "좋았던 점", "잘 된 점"),
    K.WENT_WRONG: (
        "잘못된 점", "아쉬운 점", "개선할 점", "부족한 점", "문제점", "개선이 필요한 점",
        "개선점",
    ),
    K.LUCKY: ("운이 좋았던 점", "다행인 점", "다행이었던 점"),
    K.FIVE_WHYS: ("5가지 왜", "다섯 가지 왜", "5 why"),
    K.ACTION_ITEMS: (
        "액션 아이템", "후속 조치", "재발 방지 대책", "재발 방지", "개선 사항", "조치 항목",
        "향후 계획", "향후 조치", "후속 작업", "개선 계획", "할 일", "재발 방지책",
    ),
    K.STATUS: ("상태",),
    K.PEOPLE: ("참여자", "담당자", "작성자"),
    K.APPENDIX: ("부록", "참고", "참고 자료"),
}  # fmt: skip

GERMAN: Words = {
    K.SUMMARY: (
        "zusammenfassung", "überblick", "übersicht", "kurzfassung", "was ist passiert",
        "beschreibung", "vorfallbeschreibung", "management summary", "was ist geschehen",
    ),
    K.IMPACT: (
        "auswirkungen", "auswirkung", "auswirkungen auf kunden", "betroffene nutzer",
        "schadensausmaß", "kundenauswirkung",
    ),
    K.TIMELINE: (
        "zeitablauf", "zeitleiste", "zeitlicher ablauf", "chronologie", "ablauf", "verlauf",
        "ablauf der ereignisse", "zeitstrahl", "ereignisse", "zeitlicher verlauf",
    ),
    K.ROOT_CAUSE: (
        "ursache", "ursachen", "grundursache", "hauptursache", "ursachenanalyse",
        "fehlerursache", "eigentliche ursache",
    ),
    K.CONTRIBUTING_FACTORS: (
        "mitwirkende faktoren", "begünstigende faktoren", "beitragende faktoren",
    ),
    K.TRIGGER: ("auslöser",),
    K.DETECTION: ("erkennung", "entdeckung", "wie wurde es entdeckt", "feststellung"),
    K.RESOLUTION: (
        "lösung", "behebung", "wiederherstellung", "abhilfe", "fehlerbehebung",
        "schadensbegrenzung", "sofortmaßnahmen", "behebung des problems", "entstörung",
    ),
    K.MISTAKES: ("unsere fehler",),
    K.LESSONS: (
        "erkenntnisse", "gelernte lektionen", "was wir gelernt haben", "lehren",
        "lernerfahrungen",
    ),
    K.WENT_WELL: (
        "was lief gut", "was gut lief", "was ist gut gelaufen", "was gut funktioniert hat",
    ),
    K.WENT_WRONG: (
        "was lief schlecht", "was lief schief", "was ist schiefgelaufen", "was schlecht lief",
        "verbesserungspotenzial", "was könnte besser laufen", "was nicht gut lief",
    ),
    K.LUCKY: ("wo wir glück hatten", "glück gehabt"),
    K.FIVE_WHYS: ("fünf warum", "5 warum", "5-why"),
    K.ACTION_ITEMS: (
        "maßnahmen", "massnahmen", "aktionspunkte", "folgemaßnahmen", "nächste schritte",
        "aufgaben", "offene punkte", "verbesserungsmaßnahmen", "präventionsmaßnahmen",
        "gegenmaßnahmen", "handlungsempfehlungen", "to-dos", "maßnahmenplan",
    ),
    K.PEOPLE: ("beteiligte", "teilnehmer", "autoren", "verantwortliche"),
    K.APPENDIX: ("anhang", "referenzen", "quellen", "weiterführende links"),
}  # fmt: skip

FRENCH: Words = {
    K.SUMMARY: (
        "résumé", "synthèse", "résumé de l'incident", "que s'est-il passé", "aperçu",
        "description de l'incident",
    ),
    K.IMPACT: ("impacts", "conséquences", "utilisateurs affectés", "impact client"),
    K.TIMELINE: (
        "chronologie", "déroulement", "historique", "chronologie des événements", "déroulé",
        "frise chronologique", "déroulement de l'incident",
    ),
    K.ROOT_CAUSE: (
        "cause racine", "causes racines", "cause première", "analyse des causes",
        "cause profonde", "causes profondes", "origine du problème",
        "analyse de la cause racine", "cause",
    ),
    K.CONTRIBUTING_FACTORS: ("facteurs contributifs", "facteurs aggravants"),
    K.TRIGGER: ("déclencheur", "élément déclencheur"),
    K.DETECTION: ("détection",),
    K.RESOLUTION: (
        "résolution", "rétablissement", "remédiation", "correction", "atténuation",
        "mesures prises", "actions menées", "retour à la normale",
    ),
    K.MISTAKES: ("erreurs", "nos erreurs"),
    K.LESSONS: (
        "leçons apprises", "enseignements", "retour d'expérience", "leçons",
        "ce que nous avons appris", "retex",
    ),
    K.WENT_WELL: (
        "ce qui a bien fonctionné", "ce qui s'est bien passé", "points positifs",
    ),
    K.WENT_WRONG: (
        "ce qui a mal fonctionné", "ce qui s'est mal passé", "points à améliorer",
        "axes d'amélioration", "points négatifs",
    ),
    K.LUCKY: ("là où nous avons eu de la chance", "où nous avons eu de la chance"),
    K.FIVE_WHYS: ("cinq pourquoi", "5 pourquoi"),
    K.ACTION_ITEMS: (
        "plan d'action", "actions correctives", "actions de suivi", "prochaines étapes",
        "suivi", "mesures correctives", "mesures préventives", "tâches", "points d'action",
        "plan d'actions",
    ),
    K.STATUS: ("statut", "état"),
    K.PEOPLE: ("participants", "auteurs", "intervenants"),
    K.APPENDIX: ("annexe", "annexes", "références", "liens"),
}  # fmt: skip

SPANISH: Words = {
    K.SUMMARY: (
        "resumen", "resumen ejecutivo", "descripción", "qué pasó", "qué ocurrió",
        "descripción del incidente", "sinopsis", "qué sucedió",
    ),
    K.IMPACT: ("impacto", "impacto en clientes", "usuarios afectados", "impacto en usuarios"),
    K.TIMELINE: (
        "cronología", "línea de tiempo", "línea temporal", "secuencia de eventos",
        "cronología de eventos", "cronología del incidente",
    ),
    K.ROOT_CAUSE: (
        "causa raíz", "causas raíz", "causa", "causas", "análisis de causa raíz",
        "causa principal", "análisis de la causa raíz",
    ),
    K.CONTRIBUTING_FACTORS: ("factores contribuyentes", "factores que contribuyeron"),
    K.TRIGGER: ("desencadenante", "detonante", "disparador"),
    K.DETECTION: ("detección", "cómo lo detectamos"),
    K.RESOLUTION: (
        "resolución", "solución", "mitigación", "recuperación", "acciones tomadas",
        "remediación", "corrección",
    ),
    K.MISTAKES: ("errores", "nuestros errores"),
    K.LESSONS: ("lecciones aprendidas", "aprendizajes", "lecciones", "qué aprendimos"),
    K.WENT_WELL: ("qué salió bien", "lo que salió bien", "lo que funcionó"),
    K.WENT_WRONG: (
        "qué salió mal", "lo que salió mal", "qué se puede mejorar", "áreas de mejora",
        "puntos de mejora",
    ),
    K.LUCKY: ("dónde tuvimos suerte", "en qué tuvimos suerte"),
    K.FIVE_WHYS: ("cinco porqués", "5 porqués", "cinco por qué"),
    K.ACTION_ITEMS: (
        "acciones", "elementos de acción", "plan de acción", "acciones correctivas",
        "acciones de seguimiento", "próximos pasos", "seguimiento", "tareas",
        "medidas correctivas", "medidas preventivas",
    ),
    K.STATUS: ("estado",),
    K.PEOPLE: ("participantes", "autores", "responsables"),
    K.APPENDIX: ("anexo", "apéndice", "referencias", "enlaces"),
}  # fmt: skip

PORTUGUESE: Words = {
    K.SUMMARY: (
        "resumo", "sumário", "sumário executivo", "resumo executivo", "o que aconteceu",
        "visão geral", "descrição do incidente",
    ),
    K.IMPACT: ("impactos", "usuários afetados", "utilizadores afetados", "impacto nos clientes"),
    K.TIMELINE: ("linha do tempo", "cronologia", "linha temporal", "sequência de eventos"),
    K.ROOT_CAUSE: ("causa raiz", "causas raiz", "análise de causa raiz", "causa principal"),
    K.CONTRIBUTING_FACTORS: ("fatores contribuintes",),
    K.TRIGGER: ("gatilho", "gatilhos"),
    K.DETECTION: ("detecção", "deteção", "como detectamos"),
    K.RESOLUTION: (
        "resolução", "solução", "mitigação", "recuperação", "ações tomadas", "correção",
        "remediação",
    ),
    K.MISTAKES: ("erros", "nossos erros"),
    K.LESSONS: (
        "lições aprendidas", "aprendizados", "aprendizagens", "lições", "o que aprendemos",
    ),
    K.WENT_WELL: ("o que deu certo", "o que correu bem", "o que funcionou"),
    K.WENT_WRONG: (
        "o que deu errado", "o que correu mal", "o que pode melhorar", "pontos de melhoria",
    ),
    K.LUCKY: ("onde tivemos sorte",),
    K.FIVE_WHYS: ("cinco porquês", "5 porquês"),
    K.ACTION_ITEMS: (
        "ações", "itens de ação", "plano de ação", "ações corretivas", "próximos passos",
        "acompanhamento", "tarefas", "medidas corretivas", "medidas preventivas",
    ),
    K.STATUS: ("situação",),
    K.APPENDIX: ("apêndice", "referências"),
}  # fmt: skip

LANGUAGES: tuple[Words, ...] = (
    ENGLISH, JAPANESE, CHINESE, KOREAN, GERMAN, FRENCH, SPANISH, PORTUGUESE,
)  # fmt: skip

# Metadata fields: canonical name → labels teams use for it, in every language.
FIELDS: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "incident id", "postmortem id", "incident number"),
    "title": ("title", "标题", "標題", "제목", "titel", "titre", "título", "件名"),
    "date": (
        "date", "incident date", "date of incident", "日付", "発生日", "発生日時",
        "日期", "发生时间", "發生時間", "事件日期", "故障时间", "故障時間", "날짜", "발생일",
        "발생 일시", "일시", "datum", "vorfallsdatum", "date de l'incident", "fecha",
        "fecha del incidente", "data", "data do incidente",
    ),
    "published": ("published", "publication date", "posted", "posted on", "veröffentlicht"),
    "status": (
        "status", "postmortem status", "incident status", "ステータス", "状态", "狀態", "상태",
        "statut", "état", "estado", "situação",
    ),
    "severity": (
        "severity", "sev", "severity level", "incident severity", "重大度", "深刻度", "影響度",
        "严重程度", "嚴重程度", "严重性", "嚴重性", "事故等级", "事故等級", "故障等级",
        "故障等級", "심각도", "장애 등급", "schweregrad", "gravité", "severidad", "gravedad",
        "severidade", "gravidade", "priorität",
    ),
    "authors": (
        "author", "authors", "created by", "written by", "compiled by", "prepared by",
        "postmortem author", "作成者", "著者", "作者", "撰写人", "撰寫人", "작성자",
        "autor", "autoren", "verfasser", "auteur", "auteurs", "rédigé par", "autores",
        "escrito por",
    ),
    "updated": ("last updated", "last modified", "updated"),
    "owners": (
        "owner", "owners", "incident owner", "incident commander", "担当", "担当者", "负责人",
        "負責人", "담당자", "verantwortlich", "responsable", "responsável",
    ),
    "services": (
        "service", "services", "affected services", "affected service", "component",
        "components", "affected components", "affected systems", "影響サービス", "対象サービス",
        "受影响服务", "受影響服務", "影响服务", "影響服務", "영향 서비스", "대상 서비스",
        "betroffene dienste", "betroffene systeme", "services affectés", "servicios afectados",
        "serviços afetados",
    ),
    "tags": ("tags", "labels", "category", "categories", "タグ", "标签", "標籤", "태그"),
    "duration": (
        "duration", "impact duration", "outage duration", "影響期間", "期間", "持续时间",
        "持續時間", "影响时长", "影響時長", "지속 시간", "장애 시간", "dauer", "durée",
        "duración", "duração",
    ),
    "time to detection": ("time to detection", "time to detect", "ttd", "detection time"),
    "time to mitigation": ("time to mitigation", "time to mitigate", "ttm"),
    "time to repair": ("time to repair",),
    "time to recovery": ("time to recovery", "time to recover", "ttr"),
    "time to resolve": ("time to resolve", "time to resolution"),
}  # fmt: skip


def merged(languages: tuple[Words, ...] = LANGUAGES) -> dict[SectionKind, tuple[str, ...]]:
    """Return the words of every language, kind by kind (a later language never overrides)."""
    result: dict[SectionKind, list[str]] = {}
    for language in languages:
        for kind, words in language.items():
            result.setdefault(kind, []).extend(words)
    return {kind: tuple(words) for kind, words in result.items()}
