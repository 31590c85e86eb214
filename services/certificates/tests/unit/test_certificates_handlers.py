"""The certificates handlers through the write pipeline on tables in memory
(kyodo_certificates.testing): issuing, voiding and the 罹災証明書 requests, no PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kyodo_certificates_events import CertificateIssued, CertificateVoided
from kyodo_disaster_events import (
    CertificateRequest,
    DisasterRef,
    HouseDamageAssessed,
    HouseDamageReassessed,
)
from test_certificates_documents import TOWN, person

from kyodo_certificates.domain.kinds import Item, Layout, RequestStatus, Status
from kyodo_certificates.service_layer import handlers
from kyodo_certificates.service_layer.commands import (
    Counter,
    IssueCertificate,
    VoidCertificate,
)
from kyodo_certificates.service_layer.drafts import NotAssessed, ResidenceDraft, TaxDraft
from kyodo_certificates.service_layer.issuing import Issued, Issuing, issue
from kyodo_certificates.service_layer.keyring import DATA_PURPOSE, KEY_PURPOSE, Keyring
from kyodo_certificates.service_layer.when_damage_is_assessed_update_assessments import (
    RESURVEY_REASON,
    when_house_damage_changes_update_assessments,
)
from kyodo_certificates.signing.pades import DocumentSigner
from kyodo_certificates.signing.pki import load_root, municipal_chain
from kyodo_certificates.signing.signatures import Signer
from kyodo_certificates.testing import (
    SANJO,
    FakeCertificates,
    FakeCertificatesUnitOfWork,
)
from kyodo_common import privacy
from kyodo_common.assertion import Acting
from kyodo_common.auth import Principal
from kyodo_common.crypto import Sealer, new_secret_key
from kyodo_common.errors import Conflict, Forbidden, InvalidInput, NotFound, Problem
from kyodo_common.events import Envelope
from kyodo_common.write_pipeline import WritePipeline
from kyodo_launcher.keys import new_root_ca

ROOT = load_root(new_root_ca())
CHAIN = municipal_chain(ROOT, code=SANJO, name="三条市", prefecture="新潟県")


def clerk(subject: str = "clerk-1", *scopes: str) -> Acting:
    principal = Principal(subject=subject, home_municipality=SANJO, kind="staff",
                          roles=frozenset(), scopes=frozenset(scopes), expires_at=0.0,
                          token_id="t")
    return Acting(principal=principal, municipality=SANJO, scopes=frozenset(scopes),
                  grant_id=None, expires_at=0.0)


def keyring() -> Keyring:
    keys = new_secret_key()
    ring = Keyring(None, Signer("k1", Ed25519PrivateKey.generate()),  # type: ignore[arg-type]
                   Sealer(keys, DATA_PURPOSE), ROOT, Sealer(keys, KEY_PURPOSE))
    ring.documents[SANJO] = (datetime.max.replace(tzinfo=UTC), DocumentSigner(
        "test", CHAIN.signer, [CHAIN.issuing.certificate, ROOT.certificate], location="三条市"))
    return ring


class NoMyNumbers:
    async def numbers_for(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("no 個人番号 was asked for")


class Counters:
    """The certificates counter of 三条市 on tables in memory."""

    def __init__(self) -> None:
        self.data = FakeCertificates(towns={SANJO: TOWN})
        self.issuing = Issuing(db=None, keyring=keyring(), verify_base_url="https://kyodo.test",
                               drafting=self.data.drafting)
        self.pipeline = WritePipeline(None, source="kyodo/certificates", keys=self.data.keys,
                                      unit_of_work=self._uow)

    def _uow(self, code: str) -> FakeCertificatesUnitOfWork:
        return self.data.unit_of_work(code)

    def add(self, *persons: Any) -> None:
        self.data.residents.update({p.resident_id: p for p in persons})

    async def residence(self, resident_id: uuid.UUID, *, applicant: uuid.UUID | None = None,
                        layout: Layout = Layout.INDIVIDUAL, copies: int = 1,
                        key: str | None = None, acting: Acting | None = None) -> Issued:
        compose = ResidenceDraft(layout=layout, resident_id=resident_id, members=None,
                                 items=frozenset({Item.RELATIONSHIP}), applicant=applicant,
                                 my_numbers=NoMyNumbers())
        return await self.issue("residence", compose, copies=copies, key=key, acting=acting,
                                payload={"resident_id": str(resident_id), "copies": copies})

    async def issue(self, kind: str, compose: Any, *, copies: int = 1, key: str | None = None,
                    acting: Acting | None = None, payload: Any = None) -> Issued:
        command = IssueCertificate(kind=kind, compose=compose, copies=copies,
                                   counter=Counter("窓口1", "P1"), purpose="本人確認",
                                   payload=payload or {})
        return await issue(self.issuing, command, pipeline=self.pipeline,
                           acting=acting or clerk(), key=key or str(uuid.uuid4()))

    async def void(self, certificate_id: uuid.UUID, reason: str = "記載誤り", *,
                   acting: Acting | None = None, key: str | None = None) -> Any:
        acting = acting or clerk()
        return await self.pipeline.run(
            VoidCertificate(certificate_id=certificate_id, reason=reason, acting=acting),
            handlers.void_certificate, acting=acting, key=key or str(uuid.uuid4()),
            fingerprint=(f"void/{certificate_id}", {"reason": reason}))

    def nothing_written(self) -> bool:
        return not (self.data.serials or self.data.certificates or self.data.outbox
                    or self.data.accesses)


@pytest.fixture
def counter() -> Counters:
    return Counters()


async def test_an_issuance_stores_its_copies_the_access_log_and_the_events(
        counter: Counters) -> None:
    someone = person(1, "世帯主")
    counter.add(someone)
    issued = await counter.residence(someone.resident_id, copies=2)
    assert issued.status == 201 and len(issued.body["copies"]) == 2
    stored = counter.data.certificates
    assert {str(i) for i in stored} == {c["certificate_id"] for c in issued.body["copies"]}
    assert sorted(row["serial"] for row in stored.values()) == [1, 2]
    assert all(row["subject_ids"] == [someone.resident_id] for row in stored.values())
    # the PDF at rest is sealed to its row; the answer carries this request's own PDFs
    first = issued.body["copies"][0]["certificate_id"]
    assert stored[uuid.UUID(first)]["pdf"] != issued.pdfs[first]
    assert issued.pdfs[first].startswith(b"%PDF")
    assert [type(e) for e in counter.data.outbox] == [CertificateIssued, CertificateIssued]
    assert [(a["action"], a["subject_id"], a["purpose"], a["actor"])
            for a in counter.data.accesses] == [
        ("certificate.issued.residence", str(someone.resident_id), "本人確認", "clerk-1")]
    assert {"data", "render", "pades", "sign", "store"} <= set(issued.timings)


async def test_a_repeat_with_the_same_key_gets_the_first_answer_and_changes_nothing(
        counter: Counters) -> None:
    someone = person(1, "世帯主")
    counter.add(someone)
    first = await counter.residence(someone.resident_id, key="key-1")
    again = await counter.residence(someone.resident_id, key="key-1")
    assert (again.status, again.body) == (first.status, first.body)
    assert len(counter.data.certificates) == 1 and len(counter.data.outbox) == 1
    assert counter.data.serials == {(SANJO, date.fromisoformat(first.body["issued_on"])): 1}
    with pytest.raises(Problem) as reused:  # the same key for another request
        await counter.residence(someone.resident_id, copies=2, key="key-1")
    assert reused.value.status == 422


async def test_a_protected_person_is_given_a_certificate_only_as_the_applicant(
        counter: Counters) -> None:
    protected = person(1, "世帯主", protected=True)
    other = person(2)
    counter.add(protected, other)
    with pytest.raises(Forbidden) as refused:
        await counter.residence(protected.resident_id, applicant=other.resident_id)
    assert refused.value.kind == "protected-person"
    assert refused.value.invalid_params[0]["name"] == "resident_id"
    assert counter.nothing_written()  # no serial spent, no copy, no access logged
    issued = await counter.residence(protected.resident_id, applicant=protected.resident_id)
    assert issued.status == 201


async def test_a_household_certificate_is_refused_when_a_member_is_hidden_from_the_clerk(
        counter: Counters) -> None:
    household = uuid.uuid4()
    head = person(1, "世帯主", household_id=household)
    counter.add(head)
    counter.data.hidden_protected.add(household)
    hidden = privacy._sees_protected.set(False)  # as for a clerk without the scope
    try:
        with pytest.raises(Forbidden) as refused:
            await counter.residence(head.resident_id, layout=Layout.HOUSEHOLD)
    finally:
        privacy._sees_protected.reset(hidden)
    assert refused.value.kind == "protected-person"
    assert refused.value.invalid_params[0]["name"] == "members"
    assert counter.nothing_written()


async def test_a_residence_certificate_shows_current_residents_only(counter: Counters) -> None:
    gone = person(1, "世帯主", status="moved_out")
    counter.add(gone)
    with pytest.raises(Conflict) as refused:
        await counter.residence(gone.resident_id)
    assert refused.value.kind == "not-a-resident" and counter.nothing_written()
    with pytest.raises(NotFound):
        await counter.residence(uuid.uuid4())


async def test_a_tax_certificate_needs_the_years_assessment(counter: Counters) -> None:
    someone = person(1, "世帯主", became_resident_on=date(2019, 5, 1))
    counter.add(someone)
    with pytest.raises(NotAssessed) as refused:
        await counter.issue("tax", TaxDraft(resident_id=someone.resident_id, fiscal_year=2024,
                                            applicant=None))
    assert refused.value.kind == "not-assessed"
    assert refused.value.invalid_params == [{"name": "fiscal_year", "reason": "not assessed"}]
    assert counter.nothing_written()


async def test_no_certificate_before_the_municipalitys_configuration_arrives(
        counter: Counters) -> None:
    someone = person(1, "世帯主")
    counter.add(someone)
    counter.data.towns.clear()
    with pytest.raises(Conflict) as refused:
        await counter.residence(someone.resident_id)
    assert refused.value.kind == "municipality-unknown" and counter.nothing_written()


async def _issued_copy(counter: Counters, acting: Acting | None = None) -> uuid.UUID:
    someone = person(1, "世帯主")
    counter.add(someone)
    issued = await counter.residence(someone.resident_id, acting=acting)
    counter.data.outbox.clear()
    counter.data.accesses.clear()
    return uuid.UUID(issued.body["copies"][0]["certificate_id"])


async def test_voiding_needs_a_reason_and_is_done_once(counter: Counters) -> None:
    copy = await _issued_copy(counter)
    with pytest.raises(InvalidInput) as blank:
        await counter.void(copy, "   ")
    assert blank.value.invalid_params[0]["name"] == "reason"
    assert counter.data.certificates[copy]["status"] == Status.ISSUED.value
    voided = await counter.void(copy, "記載誤り")
    assert voided.status_code == 200
    row = counter.data.certificates[copy]
    assert (row["status"], row["void_reason"]) == (Status.VOIDED.value, "記載誤り")
    assert [type(e) for e in counter.data.outbox] == [CertificateVoided]
    assert [(a["action"], a["subject_id"]) for a in counter.data.accesses] == [
        ("certificate.voided", str(copy))]
    with pytest.raises(Conflict):
        await counter.void(copy, "記載誤り")
    assert len(counter.data.outbox) == 1  # the refused second voiding published nothing


async def test_a_repeated_voiding_request_gets_the_first_answer(counter: Counters) -> None:
    copy = await _issued_copy(counter)
    first = await counter.void(copy, key="void-1")
    again = await counter.void(copy, key="void-1")
    assert (again.status_code, again.body) == (first.status_code, first.body)
    assert len(counter.data.outbox) == 1


async def test_only_the_issuer_or_a_manager_voids_a_copy(counter: Counters) -> None:
    copy = await _issued_copy(counter, acting=clerk("clerk-1"))
    with pytest.raises(Forbidden):
        await counter.void(copy, acting=clerk("clerk-2"))
    assert counter.data.certificates[copy]["status"] == Status.ISSUED.value
    await counter.void(copy, acting=clerk("clerk-2", "certificates:manage"))
    assert counter.data.certificates[copy]["status"] == Status.VOIDED.value
    with pytest.raises(NotFound):
        await counter.void(uuid.uuid4())


# -- 罹災証明書 requested through the disaster service --

FLOOD = DisasterRef(disaster_id=uuid.uuid4(), name="令和6年7月大雨災害", kind="flood",
                    kind_label="水害", occurred_on=date(2024, 7, 25))


def assessed(householder: uuid.UUID, grade: str = "半壊", **changes: Any
             ) -> HouseDamageAssessed:
    values: dict[str, Any] = {
        "house_id": uuid.uuid4(), "version": 1, "municipality_code": SANJO, "disaster": FLOOD,
        "address": "新潟県三条市旭町2丁目3番1号", "postal_code": "9558686", "grade": grade,
        "grade_code": "half", "surveyed_on": date(2024, 8, 2), "survey_version": 1,
        "survey_kind": "一次調査", "method": "現地調査", "occupant_resident_ids": (householder,),
        "householder_resident_id": householder, "applicant_resident_id": householder,
        "certificate_requested": True,
        "requests": (CertificateRequest(application_id=uuid.uuid4(),
                                        applicant_resident_id=householder, copies=1),)}
    values.update(changes)
    return HouseDamageAssessed(**values)


def resurveyed(first: HouseDamageAssessed, grade: str) -> HouseDamageReassessed:
    return HouseDamageReassessed(**{
        **first.model_dump(), "version": first.version + 1,
        "survey_version": first.survey_version + 1, "survey_kind": "二次調査", "grade": grade,
        "surveyed_on": date(2024, 9, 10), "previous_grade": first.grade,
        "previous_grade_code": first.grade_code,
        "previous_survey_version": first.survey_version})


async def deliver(data: FakeCertificates, event: HouseDamageAssessed) -> None:
    envelope = Envelope(type=event.event_type, source="kyodo/disaster",
                        subject=str(event.house_id), municipality=SANJO, data=b"{}")
    await when_house_damage_changes_update_assessments(data.inbox_unit_of_work(), event,
                                                       envelope)


def states(data: FakeCertificates) -> dict[tuple[uuid.UUID, int], str]:
    return {key: row["status"] for key, row in data.requests.items()}


def issue_request(data: FakeCertificates, house: uuid.UUID, key: tuple[uuid.UUID, int]) -> None:
    """As the job would: the request issued, its copy stored."""
    data.requests[key]["status"] = RequestStatus.ISSUED.value
    copy = uuid.uuid4()
    data.certificates[copy] = {"id": copy, "kind": "damage", "status": Status.ISSUED.value,
                               "assessment_id": house, "issued_at": datetime.now(UTC)}


async def test_a_houses_requests_are_recorded_once_pending() -> None:
    data = FakeCertificates(towns={SANJO: TOWN})
    event = assessed(uuid.uuid4())
    await deliver(data, event)
    await deliver(data, event)  # redelivered
    application = event.requests[0].application_id
    assert states(data) == {(application, 1): RequestStatus.PENDING.value}


async def test_a_resurvey_with_the_same_grade_keeps_the_issued_certificate() -> None:
    data = FakeCertificates(towns={SANJO: TOWN})
    first = assessed(uuid.uuid4())
    await deliver(data, first)
    application = first.requests[0].application_id
    issue_request(data, first.house_id, (application, 1))
    await deliver(data, resurveyed(first, "半壊"))
    assert states(data) == {(application, 1): RequestStatus.ISSUED.value,
                            (application, 2): RequestStatus.KEPT.value}
    assert not data.outbox  # nothing voided


async def test_a_resurvey_with_another_grade_voids_the_issued_and_supersedes_the_pending(
        ) -> None:
    data = FakeCertificates(towns={SANJO: TOWN})
    first = assessed(uuid.uuid4())
    other = first.requests[0].model_copy(update={"application_id": uuid.uuid4()})
    first = first.model_copy(update={"requests": (first.requests[0], other)})
    await deliver(data, first)
    issued_application = first.requests[0].application_id
    issue_request(data, first.house_id, (issued_application, 1))
    await deliver(data, resurveyed(first, "全壊"))
    assert states(data) == {
        (issued_application, 1): RequestStatus.VOIDED.value,
        (other.application_id, 1): RequestStatus.SUPERSEDED.value,
        (issued_application, 2): RequestStatus.PENDING.value,
        (other.application_id, 2): RequestStatus.PENDING.value}
    assert data.requests[(issued_application, 1)]["reason"] == RESURVEY_REASON
    (copy,) = data.certificates.values()
    assert copy["status"] == Status.VOIDED.value
    assert [type(e) for e in data.outbox] == [CertificateVoided]
    assert data.accesses[0]["action"] == "certificate.voided"
    # an older survey arriving late changes nothing
    await deliver(data, first)
    assert len(states(data)) == 4 and len(data.outbox) == 1
