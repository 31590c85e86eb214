"""RFC 9457 problems from the API as the clerk reads them: a Japanese message next to each
field the problem names (``invalid_params``), the rest at the top of the form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The API's reasons are English (pydantic's and the domain's); the common ones in Japanese,
# any other shown after a Japanese lead so that nothing the API said is lost.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), message) for pattern, message in (
        (r"^field required", "入力してください。"),
        (r"valid date|date_from_datetime|invalid date",
         "日付を正しく入力してください（例: 2026-03-15）。"),
        (r"at most (\d+) characters?", "{0}文字以内で入力してください。"),
        (r"at least (\d+) characters?", "{0}文字以上で入力してください。"),
        (r"should match pattern|string_pattern_mismatch", "形式が正しくありません。"),
        (r"valid uuid", "選択してください。"),
        (r"should be 'male' or 'female'|input should be 'male'", "性別を選んでください。"),
        (r"in the future", "未来の日付は入力できません。"),
        (r"katakana|kana", "カタカナで入力してください。"),
        (r"postal code", "郵便番号を正しく入力してください（例: 955-8686）。"),
        (r"not registered here on (\d{4}-\d{2}-\d{2})",
         "{0}にこの市区町村の住民ではありません（課税は1月1日の住所地で行います）。"),
    ))
FALLBACK = "入力内容を確認してください（{0}）。"
STATUS_MESSAGES = {
    401: "ログインの有効期限が切れました。もう一度ログインしてください。",
    403: "この操作を行う権限がありません。",
    404: "対象が見つかりません。",
    409: "この手続きは現在の記録と矛盾するため受け付けられません。",
    412: "他の職員がこの記録を更新しました。最新の内容を読み込み直しましたので、"
         "確認してもう一度操作してください。",
    428: "記録の版が指定されていません。画面を読み込み直してください。",
    429: "要求が多すぎます。少し待ってからもう一度操作してください。",
}


def japanese(reason: str) -> str:
    for pattern, message in _REASONS:
        found = pattern.search(reason)
        if found:
            return message.format(*found.groups())
    return FALLBACK.format(reason)


@dataclass
class FormErrors:
    """What to show: messages by field name (the API's dotted name), and the form's own."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)


def _field_named(name: str, fields: set[str]) -> str:
    """The form's field an API name means: itself, or the one nested field it ends (a rule
    of the domain names ``family_name_kana`` where the form has ``person.family_name_kana``)."""
    if name in fields or not name:
        return name
    nested = [f for f in fields if f.endswith("." + name)]
    return nested[0] if len(nested) == 1 else name


def form_errors(status: int, problem: dict[str, Any], fields: set[str]) -> FormErrors:
    """Each ``invalid_params`` entry next to its field when the form has it, else on top;
    a problem without them (403, 409, 412 …) in words the clerk can act on."""
    errors = FormErrors()
    if status == 412:  # whatever the API names (If-Match), the clerk's remedy is the same
        errors.general.append(STATUS_MESSAGES[412])
        return errors
    for param in problem.get("invalid_params") or []:
        name, reason = str(param.get("name", "")), str(param.get("reason", ""))
        message = japanese(reason)
        name = _field_named(name, fields)
        if name in fields:
            errors.fields.setdefault(name, message)
        else:
            errors.general.append(f"{name}: {message}" if name else message)
    if not errors:
        lead = STATUS_MESSAGES.get(status, "処理できませんでした。")
        detail = problem.get("detail")
        errors.general.append(f"{lead}（{detail}）" if detail and status not in (401, 412)
                              else lead)
    return errors
