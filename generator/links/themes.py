"""Failure themes: the recurring classes of what went wrong, and the words that say each.

The default vocabulary (:data:`DEFAULT_THEMES`) names the failure classes that keep coming back in
postmortems of any team, in English and Japanese. A knowledge base extends or overrides it in
``mkdocs.yml``::

    plugins:
      - postmortems:
          themes:
            dns-failure:                       # a new theme
              title: DNS failure
              terms: ["dns record", "name resolution", "名前解決"]
            config-change:                     # a built-in one: more words
              terms: ["feature flag flip"]
            traffic-surge: false               # a built-in one: off

A theme's terms are phrases (matched on word stems, so *certificates expired* matches
``certificate expired``) or Japanese text (matched as written). An incident has a theme when
what it says about the failure (title, summary, impact, root causes, contributing factors,
mistakes, what went wrong) uses one of its terms, or two of them appear elsewhere in it.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.links.concepts import Concept, split_terms


def _theme(theme_id: str, title: str, terms: str) -> Concept:
    return Concept(id=theme_id, title=title, groups=(split_terms(terms),))


DEFAULT_THEMES: tuple[Concept, ...] = (
    _theme(
        "resource-exhaustion",
        "Resource exhaustion and capacity",
        "out of memory | oom | oomkilled | memory leak | memory pressure | ran out | run out | "
        "running out | disk full | disk space | out of space | no space left | storage full | "
        "database full | quota exceeded | hit the limit | hitting the limit | capacity limit | "
        "exhausted | exhaustion | starvation | ip addresses | file descriptors | connection pool | "
        "too many connections | throttled | throttling | budget | メモリ不足 | メモリリーク | "
        "容量不足 | ディスク容量 | 枯渇 | 上限に達 | リソース不足",
    ),
    _theme(
        "bad-deploy",
        "Bad deploy or code regression",
        "bad deploy | broken deploy | broken deployment | faulty deploy | regression | "
        "introduced a bug | bug introduced | the new version | new release | code change | "
        "rolled back the deploy | rolled back the deployment | revert the change | reverted the | "
        "roll back | rolled back | rollback | untested code | デプロイ | リリース後 | 切り戻 | "
        "ロールバック | デグレ | the deployment | the deploy | after deploying | was deployed | "
        "new version",
    ),
    _theme(
        "config-change",
        "Configuration change or misconfiguration",
        "config change | configuration change | misconfiguration | misconfigured | wrong config | "
        "bad config | invalid config | config error | incorrect configuration | wrong setting | "
        "environment variable | feature flag | config file | 設定変更 | 設定ミス | 設定誤り | "
        "誤設定 | 環境変数",
    ),
    _theme(
        "expired-credential",
        "Expired certificate or credential",
        "certificate expired | expired certificate | cert expired | expired cert | "
        "certificate expiry | certificate renewal | expired token | token expired | "
        "expired credential | credentials expired | expired key | key expired | password expired | "
        "証明書の期限 | 証明書の有効期限 | 期限切れ",
    ),
    _theme(
        "upstream-failure",
        "Third-party or upstream failure",
        "third party | third-party | upstream | vendor | provider outage | cloud provider | "
        "external service | external api | dependency failure | their status page | 外部サービス | "
        "上流 | サードパーティ | ベンダー | upstream bug | upstream issue | outage at",
    ),
    _theme(
        "schema-drift",
        "Schema or data-contract drift",
        "schema | missing column | missing table | column does not exist | table does not exist | "
        "data structure | payload format | data contract | contract between | type mismatch | "
        "field name | スキーマ | マイグレーション | カラム | データ構造 | 不整合 | "
        "schema mismatch | version mismatch | failed migration | migration failed | "
        "schema migration | database migration",
    ),
    _theme(
        "wrong-target",
        "Change applied to the wrong target",
        "wrong workspace | wrong environment | wrong cluster | wrong account | wrong region | "
        "wrong database | wrong server | wrong host | wrong target | wrong project | "
        "against production instead | out of sync state | state drift | stale state | 誤った環境 | "
        "本番環境と間違 | 対象を誤",
    ),
    _theme(
        "manual-operation",
        "Manual operation in production",
        "manual change | by hand | ran a command | typo in the command | operator error | "
        "human error | ad hoc | ad-hoc | kubectl delete | ran the script | 手動 | 手作業 | "
        "作業ミス | オペレーションミス | 操作ミス | manual operation | manually ran | "
        "manually deleted | manually changed | manually edited | manually applied",
    ),
    _theme(
        "monitoring-gap",
        "Monitoring or alerting gap",
        "no alert | no alerting | no monitoring | not monitored | lack of monitoring | "
        "lack of alerting | missing alert | missing monitoring | were not alerted | "
        "wasn't alerted | nobody was paged | not paged | users reported | user reports | "
        "reported by users | before we noticed | went unnoticed | did not notice | didn't notice | "
        "silently | silent failure | no visibility | 監視がな | アラートがな | 検知できな | "
        "気づかな | 気付かな | 不可視",
    ),
    _theme(
        "silent-failure",
        "Silent failure or false success",
        "silently | silent failure | failed silently | swallowed | swallow errors | "
        "without rethrowing | not thrown | never thrown | marked as success | "
        "marked as successful | reported success | returned success | false positive | "
        "looked successful | 成功扱い | 握りつぶ | 不可視 | サイレント",
    ),
    _theme(
        "missing-config",
        "Missing secret, configuration or artefact",
        "missing secret | secret was missing | missing api key | api key was missing | "
        "key was not set | not set in production | missing environment variable | missing config | "
        "missing file | missing table | was missing | were missing | 未設定 | 存在しな",
    ),
    _theme(
        "traffic-surge",
        "Traffic surge",
        "traffic spike | traffic surge | spike in traffic | surge in traffic | load spike | "
        "sudden increase | flood of requests | thundering herd | at once | many users | highload | "
        "heavy load | peak traffic | アクセス集中 | 急増 | 負荷の増加 | 高負荷 | スパイク",
    ),
    _theme(
        "cascading-failure",
        "Cascading failure",
        "cascading | cascade | cascaded | knock-on | chain reaction | secondary outage | domino | "
        "retry storm | took down | brought down | 連鎖 | 二次障害 | 波及",
    ),
    _theme(
        "node-failure",
        "Host or node failure",
        "node failure | nodes failed | unhealthy nodes | unhealthy node | notready | not ready | "
        "node lost | nodelost | kernel panic | container runtime | hardware failure | "
        "host failure | instance failure | worker nodes | ノード障害 | ノードが | "
        "ハードウェア障害 | カーネル",
    ),
    _theme(
        "network-dns",
        "Network or DNS failure",
        "dns | name resolution | network partition | packet loss | firewall rule | "
        "ネットワーク障害 | 名前解決 | 疎通 | dns record | dns records | network outage | "
        "network failure | unreachable",
    ),
    _theme(
        "data-loss",
        "Data loss or corruption",
        "data loss | lost data | data was lost | corrupted | corruption | deleted data | "
        "dropped table | were deleted | was deleted | overwritten | データ損失 | データ消失 | "
        "破損 | 削除された",
    ),
    _theme(
        "secret-leak",
        "Leaked secret or security exposure",
        "leaked | leak of | exposed secret | secrets exposed | publicly visible | made public | "
        "credential exposure | revoke | revoked | rotate the | 漏洩 | 流出",
    ),
)
"""The failure themes every knowledge base starts with."""


def merge_themes(
    defaults: tuple[Concept, ...], changes: Mapping[str, tuple[str, tuple[str, ...]] | None]
) -> tuple[Concept, ...]:
    """Return the theme vocabulary after a knowledge base's changes (``Settings.themes``).

    A change is None (turn the theme off) or ``(title, terms)``: a new theme, or more terms (and
    a new title, unless it is empty) for a built-in one.
    """
    themes = {theme.id: theme for theme in defaults}
    for theme_id, change in changes.items():
        if change is None:
            themes.pop(theme_id, None)
            continue
        title, terms = change
        known = themes.get(theme_id)
        if known is None:
            themes[theme_id] = Concept(id=theme_id, title=title or theme_id, groups=(terms,))
        else:
            themes[theme_id] = Concept(
                id=theme_id,
                title=title or known.title,
                groups=(tuple(dict.fromkeys(known.groups[0] + terms)),),
            )
    return tuple(themes.values())
