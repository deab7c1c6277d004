"""The labels of metadata fields, in every language of the vocabulary.

``**Datum:** ...``, ``| 严重程度 | P1 |``, ``작성자: ...``: each canonical field (``date``,
``severity``, ``authors`` ...) with the labels teams write for it, normalised like headings
before lookup (see :mod:`.vocabulary`).
"""

from __future__ import annotations

from collections.abc import Mapping

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
