"""Postmortems written in the languages teams write them in, read without any configuration.

One small hand-written postmortem per language: its headings name every section kind (summary,
impact, timeline, root cause, trigger, detection, resolution, lessons, what went well and wrong,
five whys, action items), its timeline names the milestones in the language's own words, its
action items carry the language's state words, and its date is written the way the language
writes dates.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from generator.models import ActionState, Phase, Postmortem, SectionKind
from generator.parse import parse_text

K = SectionKind
EXPECTED_KINDS = [
    K.SUMMARY,
    K.IMPACT,
    K.TIMELINE,
    K.ROOT_CAUSE,
    K.TRIGGER,
    K.DETECTION,
    K.RESOLUTION,
    K.LESSONS,
    K.WENT_WELL,
    K.WENT_WRONG,
    K.FIVE_WHYS,
    K.ACTION_ITEMS,
]
EXPECTED_PHASES = [Phase.BEGINS, Phase.DETECTED, Phase.MITIGATED, Phase.RESOLVED]
EXPECTED_STATES = [
    ActionState.DONE,
    ActionState.OPEN,
    ActionState.IN_PROGRESS,
    ActionState.NOT_DOING,
]

DOCUMENTS = {
    "german": """
        # Störungsbericht: Zahlungen abgelehnt

        **Datum:** 26. Juli 2019

        ## Zusammenfassung
        Der Zahlungsdienst lehnte eine Stunde lang Karten ab.

        ## Auswirkungen
        Etwa 3 % der Bestellungen scheiterten.

        ## Zeitlicher Ablauf
        - 14:02 Störung beginnt nach dem Deployment
        - 14:09 Fehler durch Alarm erkannt
        - 14:20 Deployment zurückgerollt, Fehlerrate gemildert
        - 15:01 Störung behoben

        ## Ursache
        Ein abgelaufenes Zertifikat.

        ## Auslöser
        Das Deployment um 14:00.

        ## Erkennung
        Die Fehlerquote löste einen Alarm aus.

        ## Behebung
        Rollback und neues Zertifikat.

        ## Erkenntnisse
        Zertifikate brauchen eine Ablaufwarnung.

        ## Was lief gut
        - Der Alarm kam schnell.

        ## Was lief schief
        - Das Rollback dauerte zu lange.

        ## 5 Warum
        1. Warum? Weil das Zertifikat ablief.

        ## Maßnahmen
        | Maßnahme | Status |
        |---|---|
        | Ablaufwarnung einrichten | erledigt |
        | Rollback automatisieren | offen |
        | Zertifikate rotieren | in Bearbeitung |
        | Anbieter wechseln | verworfen |
        """,
    "french": """
        # Rapport d'incident : paiements refusés

        **Date :** 26 juillet 2019

        ## Résumé
        Le service de paiement a refusé les cartes pendant une heure.

        ## Impacts
        Environ 3 % des commandes ont échoué.

        ## Chronologie
        - 14h02 : début de la panne après le déploiement
        - 14h09 : alerte reçue, erreurs détectées
        - 14h20 : retour arrière, erreurs atténuées
        - 15h01 : service rétabli

        ## Cause racine
        Un certificat expiré.

        ## Élément déclencheur
        Le déploiement de 14h00.

        ## Détection
        Le taux d'erreurs a déclenché une alerte.

        ## Résolution
        Retour arrière et nouveau certificat.

        ## Leçons apprises
        Les certificats doivent être surveillés.

        ## Ce qui a bien fonctionné
        - L'alerte est arrivée vite.

        ## Ce qui a mal fonctionné
        - Le retour arrière a été lent.

        ## Les 5 pourquoi
        1. Pourquoi ? Le certificat a expiré.

        ## Plan d'action
        | Action | Statut |
        |---|---|
        | Alerte d'expiration | terminé |
        | Automatiser le retour arrière | à faire |
        | Rotation des certificats | en cours |
        | Changer de fournisseur | abandonné |
        """,
    "spanish": """
        # Informe de incidente: pagos rechazados

        **Fecha:** 26 de julio de 2019

        ## Resumen
        El servicio de pagos rechazó tarjetas durante una hora.

        ## Impacto
        Fallaron cerca del 3 % de los pedidos.

        ## Cronología
        - 14:02 Inicio del incidente tras el despliegue
        - 14:09 Alerta recibida, errores detectados
        - 14:20 Despliegue revertido, errores mitigados
        - 15:01 Incidente resuelto

        ## Causa raíz
        Un certificado caducado.

        ## Desencadenante
        El despliegue de las 14:00.

        ## Detección
        La tasa de errores disparó una alerta.

        ## Resolución
        Reversión y certificado nuevo.

        ## Lecciones aprendidas
        Hay que vigilar la caducidad de los certificados.

        ## Qué salió bien
        - La alerta llegó pronto.

        ## Qué salió mal
        - La reversión fue lenta.

        ## Cinco porqués
        1. ¿Por qué? El certificado caducó.

        ## Acciones correctivas
        | Acción | Estado |
        |---|---|
        | Alerta de caducidad | completado |
        | Automatizar la reversión | pendiente |
        | Rotar certificados | en curso |
        | Cambiar de proveedor | descartado |
        """,
    "portuguese": """
        # Relatório de incidente: pagamentos recusados

        **Data:** 26 de julho de 2019

        ## Resumo
        O serviço de pagamentos recusou cartões durante uma hora.

        ## Impactos
        Cerca de 3 % dos pedidos falharam.

        ## Linha do tempo
        - 14:02 Início do incidente após o deploy
        - 14:09 Alerta recebido, erros detectados
        - 14:20 Deploy revertido, erros mitigados
        - 15:01 Serviço restabelecido

        ## Causa raiz
        Um certificado expirado.

        ## Gatilho
        O deploy das 14:00.

        ## Detecção
        A taxa de erros disparou um alerta.

        ## Resolução
        Reversão e certificado novo.

        ## Lições aprendidas
        Certificados precisam de alerta de expiração.

        ## O que deu certo
        - O alerta chegou rápido.

        ## O que deu errado
        - A reversão foi lenta.

        ## Cinco porquês
        1. Por quê? O certificado expirou.

        ## Próximos passos
        | Ação | Situação |
        |---|---|
        | Alerta de expiração | concluído |
        | Automatizar a reversão | pendente |
        | Rotacionar certificados | em andamento |
        | Trocar de fornecedor | cancelado |
        """,
    "chinese-simplified": """
        # 事故报告：支付被拒

        **日期：** 2019年7月26日

        ## 概述
        支付服务在一小时内拒绝了银行卡。

        ## 影响范围
        约 3% 的订单失败。

        ## 时间线
        - 14:02 部署后故障发生
        - 14:09 收到告警，值班发现错误
        - 14:20 回滚部署，错误缓解
        - 15:01 服务恢复正常

        ## 根本原因
        证书过期。

        ## 触发因素
        14:00 的部署。

        ## 发现过程
        错误率触发了告警。

        ## 解决方案
        回滚并更换证书。

        ## 经验教训
        证书需要过期提醒。

        ## 做得好的地方
        - 告警很及时。

        ## 不足之处
        - 回滚太慢。

        ## 五个为什么
        1. 为什么？证书过期了。

        ## 改进措施
        | 措施 | 状态 |
        |---|---|
        | 证书过期告警 | 已完成 |
        | 自动回滚 | 未开始 |
        | 证书轮换 | 进行中 |
        | 更换供应商 | 已取消 |
        """,
    "chinese-traditional": """
        # 事故報告：支付被拒

        **日期：** 2019年7月26日

        ## 事件摘要
        支付服務在一小時內拒絕了信用卡。

        ## 影響範圍
        約 3% 的訂單失敗。

        ## 時間線
        - 14:02 部署後故障發生
        - 14:09 收到告警，值班發現錯誤
        - 14:20 回滾部署，錯誤緩解
        - 15:01 服務恢復正常

        ## 根本原因
        憑證過期。

        ## 觸發因素
        14:00 的部署。

        ## 發現過程
        錯誤率觸發了告警。

        ## 解決方案
        回滾並更換憑證。

        ## 經驗教訓
        憑證需要過期提醒。

        ## 做得好的地方
        - 告警很及時。

        ## 待改進
        - 回滾太慢。

        ## 五個為什麼
        1. 為什麼？憑證過期了。

        ## 改進措施
        | 措施 | 狀態 |
        |---|---|
        | 憑證過期告警 | 已完成 |
        | 自動回滾 | 未開始 |
        | 憑證輪換 | 進行中 |
        | 更換供應商 | 已取消 |
        """,
    "korean": """
        # 장애 보고서: 결제 거절

        **날짜:** 2019년 7월 26일

        ## 요약
        결제 서비스가 한 시간 동안 카드를 거절했습니다.

        ## 영향
        주문의 약 3%가 실패했습니다.

        ## 타임라인
        - 14:02 배포 후 장애 발생
        - 14:09 알림으로 오류 감지
        - 14:20 배포 롤백, 오류 완화
        - 15:01 서비스 복구 완료

        ## 근본 원인
        인증서가 만료되었습니다.

        ## 트리거
        14:00 배포.

        ## 탐지
        오류율이 알림을 발생시켰습니다.

        ## 해결
        롤백 후 새 인증서 적용.

        ## 교훈
        인증서 만료 알림이 필요합니다.

        ## 잘된 점
        - 알림이 빨랐습니다.

        ## 아쉬운 점
        - 롤백이 느렸습니다.

        ## 5 Whys
        1. 왜? 인증서가 만료되었습니다.

        ## 후속 조치
        | 조치 | 상태 |
        |---|---|
        | 만료 알림 추가 | 완료 |
        | 롤백 자동화 | 미착수 |
        | 인증서 교체 | 진행 중 |
        | 공급자 변경 | 취소 |
        """,
    "japanese": """
        # 障害報告: 決済の拒否

        **発生日:** 2019年7月26日

        ## 概要
        決済サービスが一時間カードを拒否した。

        ## 影響
        注文の約 3% が失敗した。

        ## タイムライン
        - 14:02 デプロイ後に障害発生
        - 14:09 アラートでエラーを検知
        - 14:20 デプロイを切り戻し、暫定対応
        - 15:01 サービス復旧

        ## 根本原因
        証明書の期限切れ。

        ## 発生契機
        14:00 のデプロイ。

        ## 検知
        エラー率がアラートを鳴らした。

        ## 対応
        切り戻しと証明書の更新。

        ## 教訓
        証明書には期限切れの通知が必要。

        ## 良かった点
        - アラートが早かった。

        ## 改善点
        - 切り戻しが遅かった。

        ## なぜなぜ分析
        1. なぜ? 証明書が切れた。

        ## アクションアイテム
        | アクション | 状態 |
        |---|---|
        | 期限切れ通知 | 完了 |
        | 切り戻しの自動化 | 未着手 |
        | 証明書の更新 | 対応中 |
        | 業者の変更 | 見送り |
        """,
    "english": """
        # Incident report: payments declined

        **Date:** 26 July 2019

        ## Summary
        The payment service declined cards for an hour.

        ## Impact
        About 3% of orders failed.

        ## Timeline
        - 14:02 Errors started after the deploy
        - 14:09 Alert fired, errors detected
        - 14:20 Deploy rolled back
        - 15:01 Incident resolved

        ## Root cause
        An expired certificate.

        ## Trigger
        The 14:00 deploy.

        ## Detection
        The error rate fired an alert.

        ## Resolution
        Rollback and a new certificate.

        ## Lessons learned
        Certificates need an expiry warning.

        ## What went well
        - The alert was quick.

        ## What went wrong
        - The rollback was slow.

        ## Five whys
        1. Why? The certificate expired.

        ## Follow-ups
        | Action | Status |
        |---|---|
        | Expiry alert | done |
        | Automate rollback | pending |
        | Rotate certificates | in progress |
        | Switch vendor | won't do |
        """,
}


def parse(text: str) -> Postmortem:
    result = parse_text(textwrap.dedent(text).lstrip("\n"), source="doc.md")
    assert result.postmortem is not None
    return result.postmortem


@pytest.mark.parametrize("language", list(DOCUMENTS))
def test_every_section_kind_is_recognised_in_each_language(language: str) -> None:
    postmortem = parse(DOCUMENTS[language])
    found = [section.kind for section in postmortem.sections if section.level == 2]
    assert found == EXPECTED_KINDS


@pytest.mark.parametrize("language", list(DOCUMENTS))
def test_the_date_is_read_as_the_language_writes_it(language: str) -> None:
    assert parse(DOCUMENTS[language]).date == dt.date(2019, 7, 26)


@pytest.mark.parametrize("language", list(DOCUMENTS))
def test_milestone_words_mark_the_timeline_in_each_language(language: str) -> None:
    postmortem = parse(DOCUMENTS[language])
    assert [event.phase for event in postmortem.timeline] == EXPECTED_PHASES
    assert postmortem.timeline[0].at == dt.datetime(2019, 7, 26, 14, 2)


@pytest.mark.parametrize("language", list(DOCUMENTS))
def test_action_item_states_are_read_in_each_language(language: str) -> None:
    postmortem = parse(DOCUMENTS[language])
    assert [item.state for item in postmortem.action_items] == EXPECTED_STATES


@pytest.mark.parametrize("language", list(DOCUMENTS))
def test_the_generic_report_title_gives_way_to_the_specific_one(language: str) -> None:
    title = parse(DOCUMENTS[language]).title
    assert ":" not in title and "：" not in title
    assert len(title) < 25


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("26. Juli 2019", dt.date(2019, 7, 26)),
        ("Freitag, 26.07.2019", dt.date(2019, 7, 26)),
        ("2019年7月26日", dt.date(2019, 7, 26)),
        ("2019년 7월 26일", dt.date(2019, 7, 26)),
        ("2019. 7. 26.", dt.date(2019, 7, 26)),
        ("26 de julio de 2019", dt.date(2019, 7, 26)),
        ("26 de julho de 2019", dt.date(2019, 7, 26)),
        ("26 juillet 2019", dt.date(2019, 7, 26)),
        ("1er décembre 2020", dt.date(2020, 12, 1)),
        ("viernes, 3 de marzo de 2023", dt.date(2023, 3, 3)),
    ],
)
def test_dates_as_each_language_writes_them(written: str, day: dt.date) -> None:
    assert parse(f"# Outage\n\n**Date**: {written}\n\nText.\n").date == day


@pytest.mark.parametrize(
    ("line", "hour", "minute"),
    [
        ("14h30 : alerte", 14, 30),
        ("下午2点30分 告警", 14, 30),
        ("14時30分 検知", 14, 30),
        ("오후 2시 30분 감지", 14, 30),
        ("14:30 Uhr: Alarm", 14, 30),
    ],
)
def test_times_of_day_as_each_language_writes_them(line: str, hour: int, minute: int) -> None:
    postmortem = parse(f"# Outage\n\n## Timeline\n\n2021-03-03\n\n- {line}\n")
    assert postmortem.timeline[0].at == dt.datetime(2021, 3, 3, hour, minute)


def test_words_that_only_look_like_dates_stay_text() -> None:
    postmortem = parse("# Outage\n\n## Timeline\n\n- 15 out of 20 pods failed\n- 3 decisions\n")
    assert [event.time for event in postmortem.timeline] == [None, None]
