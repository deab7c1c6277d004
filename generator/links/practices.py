"""Practices: the lessons postmortems keep re-learning, as concepts of *what to do about what*.

Two lessons in different incidents rarely share their words: "alert before the disk fills up"
and "nobody watched how many addresses the subnet had left" say one thing. Each practice below
is a general lesson of operations work with two or three groups of cue terms (an action such as
*alert* or *document*, and what it is about such as *a finite resource* or *a recovery step*);
an element of a postmortem (a lesson, a mistake, a root cause, a contributing factor, an action
item) that has a cue of every group says the practice. Elements of different incidents saying
the same practice form a recurring lesson.

The words are general operations vocabulary, in English and Japanese, written for pmkb.
"""

from __future__ import annotations

from generator.links.concepts import Concept, split_terms

_ALERT = split_terms(
    "alert | alerting | monitor | monitoring | page | paged | pager | notify | notification | "
    "notice | noticed | detect | detection | warn | warning | visibility | dashboard | watch | "
    "アラート | 監視 | 検知 | 通知 | 可視化"
)
_FINITE = split_terms(
    "disk | disk space | storage | capacity | quota | budget | limit | limits | run out | "
    "ran out | running out | exhausted | full | ip addresses | headroom | low resources | "
    "resources | usage | balance | 容量 | 上限 | 枯渇 | 残量 | リソース"
)
_JOBS = split_terms(
    "job | jobs | pipeline | background | batch | cron | scheduled | worker | queue | webhook | "
    "workflow | task | function | success rate | success rates | ジョブ | パイプライン | バッチ | "
    "定期実行"
)
_FAILURE = split_terms(
    "fail | failure | failures | failed | error | errors | zero | nothing | empty | stops | "
    "stopped | success rate | success rates | 失敗 | 異常 | エラー | 停止"
)
_EARLY = split_terms(
    "earlier | sooner | before users | users reported | user reports | before we noticed | "
    "on-call | oncall | on call | paged | page | gets paged | outage | went unnoticed | 早期 | "
    "気づ | 気付"
)
_SUCCESS = split_terms(
    "success | successful | succeeded | correct | ok | status code | 200 | green | 成功 | 正常"
)
_FALSE = split_terms(
    "mistakenly | falsely | wrongly | incorrectly | not guarantee | even though | despite | "
    "marked as | invisible | 不可視"
)
_SWALLOW = split_terms(
    "swallow | swallowed | swallowing | caught | try catch | rethrow | rethrowing | thrown | "
    "throw | ignored | ignore | unchecked | check errors | check for errors | silently | "
    "fallback | fall back | 握りつぶ | 無視"
)
_ERRORS = split_terms(
    "error | errors | exception | exceptions | failure | failures | エラー | 例外"
)
_ENVIRONMENTS = split_terms(
    "staging | qa | local | development environment | dev environment | test environment | "
    "pre-production | preproduction | ステージング | 検証環境 | 開発環境 | ローカル"
)
_DIFFER = split_terms(
    "differ | differs | different | difference | differences | mismatch | parity | "
    "match production | matches production | missing | same as production | but not in | "
    "present in | 異な | 差異 | 違い"
)
_VERIFY = split_terms(
    "smoke test | smoke tests | end-to-end | end to end | e2e | test suite | integration test | "
    "integration tests | canary | post-deploy | after each deploy | after every deploy | "
    "after deployment | after a deployment | validate that | verify that | スモークテスト | "
    "結合テスト"
)
_DEPLOY = split_terms(
    "deploy | deploys | deployment | deployments | deployed | release | rollout | デプロイ | "
    "リリース"
)
_SMALL = split_terms(
    "more often | smaller | small | one at a time | individually | incremental | "
    "multiple changes | many changes | several changes | at the same time | simultaneously | "
    "小さく | まとめて | 同時に"
)
_CHANGES = split_terms(
    "deploy | deployment | deployments | changes | change | upgrading | upgrade | prs | "
    "pull requests | release | デプロイ | 変更 | リリース"
)
_ROLLBACK = split_terms(
    "roll back | rolled back | rolling back | roll it back | rollback | revert | reverted | "
    "rolling | ロールバック | 切り戻"
)
_KNOWN_GOOD = split_terms(
    "known good | known working | previous version | previous deployment | last good | "
    "previous known | 前のバージョン | 以前のバージョン | 正常なバージョン"
)
_MANUAL = split_terms(
    "manually | manual | by hand | break glass | break-glass | fallback | without automation | "
    "手動 | 手作業"
)
_BUILD = split_terms("build | deploy | deployment | release | pipeline | ビルド | デプロイ")
_PRODUCTION_GUARD = split_terms(
    "aware | wrong environment | context | process for | out-of-band | review | approval | "
    "least privilege | permissions | guard | 誤 | 権限"
)
_INFRA_CHANGE = split_terms(
    "terraform | production | infrastructure | cluster | database | kubectl | helm | 本番 | "
    "データベース | db"
)
_CONTRACT = split_terms(
    "schema | column | columns | table | tables | versioned api | api version | contract | "
    "payload | data structure | format | migration | スキーマ | カラム | テーブル | データ構造"
)
_CONTRACT_CHECK = split_terms(
    "verify | validate | validation | check | checks | evolved | never updated | out of date | "
    "versioned | versioning | expected | mismatch | 検証 | 確認 | 不整合"
)
_REQUIRED = split_terms(
    "secret | secrets | api key | key | environment variable | env var | config | configuration | "
    "setting | settings | credential | credentials | シークレット | 環境変数 | 設定"
)
_FAIL_FAST = split_terms(
    "assume | missing | invalid | guard | guards | validate | typo | mismatch | not set | "
    "fail fast | 未設定 | 誤り | 不正"
)
_ONCALL = split_terms(
    "on-call | oncall | on call | rotation | escalation | escalating | escalate | skills | "
    "coverage | responders | オンコール | エスカレーション | 当番"
)
_ONCALL_NEED = split_terms(
    "process | guidelines | paths | path | clear | no clear | make sure | more than one | 体制 | "
    "手順"
)
_LOGS = split_terms("log | logs | logging | structured logging | ログ")
_LOGS_NEED = split_terms(
    "add | collect | centrally | detailed | structured | enable | retain | debugging | missing | "
    "追加 | 収集 | 出力"
)
_METRICS = split_terms("metrics | monitoring data | telemetry | メトリクス")
_DURABLE = split_terms("stable | lost | outside | survive | persist | retention | 永続 | 外部")
_REVIEW = split_terms("review | reviews | reviewed | reviewer | code review | レビュー")
_REVIEW_NEED = split_terms(
    "should have | require | required | rules | need | must | without | 必須 | 必要"
)
_RUNBOOK = split_terms(
    "runbook | playbook | document how | documentation | user guide | guide | document | "
    "write down | ランブック | 手順書 | 手順 | ドキュメント"
)
_RECOVERY = split_terms(
    "delete | reset | revoke | revoking | restore | recover | clean up | cleanup | restart | "
    "rebuild | build | 削除 | 復旧 | クリーンアップ | リセット | 再起動"
)
_KNOWN_RISK = split_terms(
    "knew | known | happened before | long time | previously | again | recurring | repeated | "
    "similar | 既知 | 再発 | 以前から"
)
_NOT_ACTED = split_terms(
    "did not | didn't | without | not keep | unaddressed | never | prevention | 対処 | 放置"
)

_EXPIRING = split_terms(
    "certificate | certificates | cert | certs | tls | ssl | token | tokens | credential | "
    "credentials | password | passwords | api key | signing key | 証明書 | トークン | 認証情報 | "
    "パスワード"
)
_EXPIRY = split_terms(
    "expire | expires | expired | expiry | expiration | renew | renewal | renewed | valid until | "
    "期限 | 有効期限 | 失効"
)


def _practice(practice_id: str, title: str, *groups: tuple[str, ...]) -> Concept:
    return Concept(id=practice_id, title=title, groups=groups)


DEFAULT_PRACTICES: tuple[Concept, ...] = (
    _practice(
        "alert-finite-resources",
        "Alert on finite resources before they run out",
        _ALERT,
        _FINITE,
    ),
    _practice(
        "alert-failed-jobs",
        "Alert when background jobs or pipelines fail or produce nothing",
        _ALERT,
        _JOBS,
        _FAILURE,
    ),
    _practice(
        "detect-before-users",
        "Detect outages by alerting and paging, not by users' reports",
        _ALERT,
        _EARLY,
    ),
    _practice(
        "truthful-success",
        "A success signal must reflect the real outcome",
        _SUCCESS,
        _FALSE,
    ),
    _practice(
        "surface-errors",
        "Surface errors and fail loudly; never swallow them",
        _SWALLOW,
        _ERRORS,
    ),
    _practice(
        "environment-parity",
        "Pre-production must match production",
        _ENVIRONMENTS,
        _DIFFER,
    ),
    _practice(
        "verify-deploys",
        "Test the critical paths automatically after each deploy",
        _VERIFY,
        _DEPLOY,
    ),
    _practice(
        "small-changes",
        "Ship changes one at a time and often, not in big batches",
        _SMALL,
        _CHANGES,
    ),
    _practice(
        "roll-back-first",
        "Roll back to the last known-good version before fixing forward",
        _ROLLBACK,
        _KNOWN_GOOD,
    ),
    _practice(
        "manual-fallback",
        "Keep a documented manual path for when the automation itself is broken",
        _MANUAL,
        _BUILD,
    ),
    _practice(
        "guard-production-operations",
        "Guard manual operations against production",
        _PRODUCTION_GUARD,
        _INFRA_CHANGE,
    ),
    _practice(
        "validate-contracts",
        "Validate the contract between code and data (schemas, payloads, versions)",
        _CONTRACT,
        _CONTRACT_CHECK,
    ),
    _practice(
        "fail-fast-config",
        "Fail fast when required configuration or secrets are missing or invalid",
        _REQUIRED,
        _FAIL_FAST,
    ),
    _practice(
        "on-call-coverage",
        "Give on-call coverage, skills and a clear escalation path",
        _ONCALL,
        _ONCALL_NEED,
    ),
    _practice(
        "useful-logging",
        "Log enough, centrally, to diagnose an incident",
        _LOGS,
        _LOGS_NEED,
    ),
    _practice(
        "durable-telemetry",
        "Keep monitoring data outside the system it watches",
        _METRICS,
        _DURABLE,
    ),
    _practice(
        "code-review",
        "Require review for high-impact changes",
        _REVIEW,
        _REVIEW_NEED,
    ),
    _practice(
        "runbooks",
        "Turn recovery steps into a runbook",
        _RUNBOOK,
        _RECOVERY,
    ),
    _practice(
        "renew-before-expiry",
        "Track certificates and credentials and renew them before they expire",
        _EXPIRING,
        _EXPIRY,
    ),
    _practice(
        "follow-through",
        "Follow through on known risks before they become incidents",
        _KNOWN_RISK,
        _NOT_ACTED,
    ),
)
"""The practices every knowledge base starts with."""
