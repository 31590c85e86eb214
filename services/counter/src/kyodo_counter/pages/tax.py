"""A person's resident tax: each assessment with every step of the calculation, line by line,
and corrections as versions (newest first, with the difference to the one before)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kyodo_counter.web import Api, Clerk, render, town

router = APIRouter()
PURPOSE = "tax-assessment"
# The calculation's steps as the tax service names them, in the order of the law's steps.
LABELS = {
    "salary_revenue": "給与収入", "salary_income": "給与所得", "pension_revenue": "公的年金等収入",
    "pension_income": "公的年金等に係る雑所得", "other_income": "その他の所得",
    "total_income": "総所得金額", "basic": "基礎控除", "deduction_basic": "基礎控除",
    "social_insurance": "社会保険料控除", "deduction_social_insurance": "社会保険料控除",
    "spouse": "配偶者控除・配偶者特別控除", "deduction_spouse": "配偶者控除・配偶者特別控除",
    "dependants": "扶養控除", "deduction_dependants": "扶養控除",
    "disability": "障害者控除", "deduction_disability": "障害者控除",
    "widowhood": "寡婦・ひとり親控除", "deduction_widowhood": "寡婦・ひとり親控除",
    "working_student": "勤労学生控除", "deduction_working_student": "勤労学生控除",
    "other": "その他の控除", "deduction_other": "その他の控除", "total": "合計",
    "deductions_total": "所得控除の合計", "taxable_base": "課税標準（千円未満切捨て）",
    "municipal_gross": "市町村民税所得割（調整控除前）",
    "income_levy_municipal_gross": "市町村民税所得割（調整控除前）",
    "prefectural_gross": "道府県民税所得割（調整控除前）",
    "income_levy_prefectural_gross": "道府県民税所得割（調整控除前）",
    "personal_difference": "人的控除額の差の合計（D）",
    "adjustment_credit_municipal": "調整控除（市町村民税）",
    "adjustment_credit_prefectural": "調整控除（道府県民税）",
    "municipal": "市町村民税", "prefectural": "道府県民税",
    "income_levy_municipal": "市町村民税所得割（百円未満切捨て）",
    "income_levy_prefectural": "道府県民税所得割（百円未満切捨て）",
    "per_capita_municipal": "市町村民税均等割", "per_capita_prefectural": "道府県民税均等割",
    "forest_environment_tax": "森林環境税",
    "household_size": "同一生計配偶者・扶養親族の数＋1（N）",
    "per_capita_limit": "均等割の非課税限度額", "income_levy_limit": "所得割の非課税限度額",
    "personal_exemption": "障害者・未成年者・寡婦・ひとり親の非課税",
    "per_capita_exempt": "均等割非課税", "income_levy_exempt": "所得割非課税",
}
SECTIONS = (("income", "所得"), ("deductions", "所得控除"), ("income_levy", "所得割"),
            ("per_capita", "均等割・森林環境税"), ("exemption", "非課税の判定"))


@router.get("/people/{resident_id}/tax")
async def assessments(request: Request, session: Clerk, gateway: Api,
                      resident_id: str) -> Response:
    record = await gateway.get(session, f"{town(session)}/residents/{resident_id}",
                               purpose=PURPOSE)
    page = await gateway.get(
        session, f"{town(session)}/tax/persons/{record['platform_person_id']}/assessments",
        params={"limit": 50}, purpose=PURPOSE)
    versions = sorted(page["items"], key=lambda a: (-a["fiscal_year"], -a["version"]))
    return render(request, "tax/assessments.html", session, record=record,
                  versions=versions, sections=SECTIONS, labels=LABELS)
