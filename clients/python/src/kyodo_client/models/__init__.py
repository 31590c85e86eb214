"""Contains all the data models used in inputs/outputs"""

from .access_entry import AccessEntry
from .account_grant import AccountGrant
from .account_response_account import AccountResponseAccount
from .applicant import Applicant
from .application_create import ApplicationCreate
from .application_public import ApplicationPublic
from .application_status import ApplicationStatus
from .assessment_public import AssessmentPublic
from .assessment_public_collection import AssessmentPublicCollection
from .assessment_public_deductions import AssessmentPublicDeductions
from .assessment_public_exemption import AssessmentPublicExemption
from .assessment_public_facts import AssessmentPublicFacts
from .assessment_public_income import AssessmentPublicIncome
from .assessment_public_income_levy import AssessmentPublicIncomeLevy
from .assessment_public_january_first import AssessmentPublicJanuaryFirst
from .assessment_public_kind import AssessmentPublicKind
from .assessment_public_per_capita import AssessmentPublicPerCapita
from .assessment_request import AssessmentRequest
from .attempt import Attempt
from .audit_entry import AuditEntry
from .birth_create import BirthCreate
from .body_token import BodyToken
from .bulk_request import BulkRequest
from .by_file_files_body import ByFileFilesBody
from .certificate_public import CertificatePublic
from .chain_verdict import ChainVerdict
from .client_create import ClientCreate
from .client_created import ClientCreated
from .client_public import ClientPublic
from .collection_switch import CollectionSwitch
from .complete_move_outs_response_complete_move_outs import (
    CompleteMoveOutsResponseCompleteMoveOuts,
)
from .damage_copy import DamageCopy
from .damage_create import DamageCreate
from .damage_progress import DamageProgress
from .damage_refusal import DamageRefusal
from .damage_report_create import DamageReportCreate
from .damage_request import DamageRequest
from .damaged_property import DamagedProperty
from .death_create import DeathCreate
from .death_create_relationships import DeathCreateRelationships
from .decision import Decision
from .decision_decision import DecisionDecision
from .declaration_create import DeclarationCreate
from .declaration_public import DeclarationPublic
from .declaration_public_dependants import DeclarationPublicDependants
from .delivery_public import DeliveryPublic
from .destination_in import DestinationIn
from .disability import Disability
from .disaster_create import DisasterCreate
from .disaster_kind import DisasterKind
from .disaster_public import DisasterPublic
from .disaster_update import DisasterUpdate
from .event_type_public import EventTypePublic
from .ex_officio_entry import ExOfficioEntry
from .grade_out import GradeOut
from .grant_account_response_grant_account import GrantAccountResponseGrantAccount
from .grant_create import GrantCreate
from .grant_public import GrantPublic
from .grantee_public import GranteePublic
from .grantee_ref import GranteeRef
from .grants_status import GrantsStatus
from .head_change_create import HeadChangeCreate
from .head_change_create_relationships import HeadChangeCreateRelationships
from .health import Health
from .held_grant import HeldGrant
from .house_create import HouseCreate
from .house_public import HousePublic
from .household_change_create import HouseholdChangeCreate
from .household_change_create_relationships import HouseholdChangeCreateRelationships
from .household_move_out_create import HouseholdMoveOutCreate
from .household_move_out_create_relationships import HouseholdMoveOutCreateRelationships
from .household_public import HouseholdPublic
from .household_transfer_move_in_create import HouseholdTransferMoveInCreate
from .household_transfer_move_in_create_relationships import (
    HouseholdTransferMoveInCreateRelationships,
)
from .identity_audit_entry import IdentityAuditEntry
from .identity_page_audit_entry import IdentityPageAuditEntry
from .import_file_format_type_0 import ImportFileFormatType0
from .import_public import ImportPublic
from .import_public_problems_item import ImportPublicProblemsItem
from .import_public_state import ImportPublicState
from .import_report_public import ImportReportPublic
from .income_levy_rates import IncomeLevyRates
from .incoming_transfer import IncomingTransfer
from .initial_admin import InitialAdmin
from .invalid_param import InvalidParam
from .issuance import Issuance
from .issued_copy import IssuedCopy
from .item import Item
from .items_state import ItemsState
from .job_create import JobCreate
from .job_public import JobPublic
from .job_public_refusals_item import JobPublicRefusalsItem
from .job_public_state import JobPublicState
from .join_household_in import JoinHouseholdIn
from .keys_response_keys import KeysResponseKeys
from .layout import Layout
from .ledger_entry_public import LedgerEntryPublic
from .local_purpose import LocalPurpose
from .logout_request import LogoutRequest
from .me import Me
from .measure_public import MeasurePublic
from .member_in import MemberIn
from .member_in_disability import MemberInDisability
from .merge_create import MergeCreate
from .merge_create_relationships import MergeCreateRelationships
from .move_in_create import MoveInCreate
from .move_in_create_kind import MoveInCreateKind
from .move_out_create import MoveOutCreate
from .move_out_create_relationships import MoveOutCreateRelationships
from .municipality_create import MunicipalityCreate
from .municipality_public import MunicipalityPublic
from .municipality_update import MunicipalityUpdate
from .my_number_set import MyNumberSet
from .new_household_in import NewHouseholdIn
from .new_subscription import NewSubscription
from .new_subscription_filters_type_0 import NewSubscriptionFiltersType0
from .occupant_search import OccupantSearch
from .occupants_set import OccupantsSet
from .owner import Owner
from .page_access_entry import PageAccessEntry
from .page_application_public import PageApplicationPublic
from .page_assessment_public import PageAssessmentPublic
from .page_audit_entry import PageAuditEntry
from .page_client_public import PageClientPublic
from .page_damage_request import PageDamageRequest
from .page_delivery_public import PageDeliveryPublic
from .page_disaster_public import PageDisasterPublic
from .page_event_type_public import PageEventTypePublic
from .page_grant_public import PageGrantPublic
from .page_house_public import PageHousePublic
from .page_incoming_transfer import PageIncomingTransfer
from .page_ledger_entry_public import PageLedgerEntryPublic
from .page_municipality_public import PageMunicipalityPublic
from .page_person import PagePerson
from .page_purpose_public import PagePurposePublic
from .page_search_hit import PageSearchHit
from .page_staff_public import PageStaffPublic
from .page_subscription_public import PageSubscriptionPublic
from .pagedictstr_any import PagedictstrAny
from .pagedictstr_any_items_item import PagedictstrAnyItemsItem
from .pagedictstr_object import PagedictstrObject
from .pagedictstr_object_items_item import PagedictstrObjectItemsItem
from .pagedictstr_str import PagedictstrStr
from .pagedictstr_str_items_item import PagedictstrStrItemsItem
from .password_change import PasswordChange
from .per_capita import PerCapita
from .person import Person
from .person_in import PersonIn
from .photo_in import PhotoIn
from .placement_in import PlacementIn
from .problem import Problem
from .procedure_result import ProcedureResult
from .protection_create import ProtectionCreate
from .purpose_public import PurposePublic
from .queued import Queued
from .read_my_number_response_read_my_number import ReadMyNumberResponseReadMyNumber
from .relocation_create import RelocationCreate
from .removal_create import RemovalCreate
from .removal_create_relationships import RemovalCreateRelationships
from .request_status import RequestStatus
from .residence_create import ResidenceCreate
from .residence_on_january_first_response_residence_on_january_first import (
    ResidenceOnJanuaryFirstResponseResidenceOnJanuaryFirst,
)
from .resident_create import ResidentCreate
from .resident_public import ResidentPublic
from .resident_snapshot import ResidentSnapshot
from .resident_state import ResidentState
from .roles_update import RolesUpdate
from .rotation import Rotation
from .row_error_out import RowErrorOut
from .run_response_run import RunResponseRun
from .run_start import RunStart
from .run_start_inputs import RunStartInputs
from .search_hit import SearchHit
from .search_query import SearchQuery
from .secret_info import SecretInfo
from .secret_rotated import SecretRotated
from .secret_rotation import SecretRotation
from .sex import Sex
from .signing_keys_response_signing_keys import SigningKeysResponseSigningKeys
from .split_create import SplitCreate
from .split_create_relationships import SplitCreateRelationships
from .split_create_remaining_relationships import SplitCreateRemainingRelationships
from .staff_create import StaffCreate
from .staff_public import StaffPublic
from .subscription_public import SubscriptionPublic
from .subscription_public_filters import SubscriptionPublicFilters
from .subscription_with_secret import SubscriptionWithSecret
from .subscription_with_secret_filters import SubscriptionWithSecretFilters
from .support_out import SupportOut
from .survey_create import SurveyCreate
from .survey_import_public import SurveyImportPublic
from .survey_import_public_state import SurveyImportPublicState
from .survey_public import SurveyPublic
from .survey_public_photos_item import SurveyPublicPhotosItem
from .switch_reason import SwitchReason
from .tax_create import TaxCreate
from .tax_job_public import TaxJobPublic
from .tax_job_public_state import TaxJobPublicState
from .tenant_config import TenantConfig
from .tenant_config_certificate_fees_yen import TenantConfigCertificateFeesYen
from .tenant_config_purposes import TenantConfigPurposes
from .time_saved_response_time_saved import TimeSavedResponseTimeSaved
from .token_response import TokenResponse
from .transfer_move_in_create import TransferMoveInCreate
from .try_run_response_try_run import TryRunResponseTryRun
from .verification import Verification
from .verify_access_log_response_verify_access_log import (
    VerifyAccessLogResponseVerifyAccessLog,
)
from .verify_audit_trail_response_verify_audit_trail import (
    VerifyAuditTrailResponseVerifyAuditTrail,
)
from .version_response_version import VersionResponseVersion
from .void_create import VoidCreate
from .void_result import VoidResult
from .widowhood import Widowhood

__all__ = (
    "AccessEntry",
    "AccountGrant",
    "AccountResponseAccount",
    "Applicant",
    "ApplicationCreate",
    "ApplicationPublic",
    "ApplicationStatus",
    "AssessmentPublic",
    "AssessmentPublicCollection",
    "AssessmentPublicDeductions",
    "AssessmentPublicExemption",
    "AssessmentPublicFacts",
    "AssessmentPublicIncome",
    "AssessmentPublicIncomeLevy",
    "AssessmentPublicJanuaryFirst",
    "AssessmentPublicKind",
    "AssessmentPublicPerCapita",
    "AssessmentRequest",
    "Attempt",
    "AuditEntry",
    "BirthCreate",
    "BodyToken",
    "BulkRequest",
    "ByFileFilesBody",
    "CertificatePublic",
    "ChainVerdict",
    "ClientCreate",
    "ClientCreated",
    "ClientPublic",
    "CollectionSwitch",
    "CompleteMoveOutsResponseCompleteMoveOuts",
    "DamageCopy",
    "DamageCreate",
    "DamageProgress",
    "DamageRefusal",
    "DamageReportCreate",
    "DamageRequest",
    "DamagedProperty",
    "DeathCreate",
    "DeathCreateRelationships",
    "Decision",
    "DecisionDecision",
    "DeclarationCreate",
    "DeclarationPublic",
    "DeclarationPublicDependants",
    "DeliveryPublic",
    "DestinationIn",
    "Disability",
    "DisasterCreate",
    "DisasterKind",
    "DisasterPublic",
    "DisasterUpdate",
    "EventTypePublic",
    "ExOfficioEntry",
    "GradeOut",
    "GrantAccountResponseGrantAccount",
    "GrantCreate",
    "GrantPublic",
    "GranteePublic",
    "GranteeRef",
    "GrantsStatus",
    "HeadChangeCreate",
    "HeadChangeCreateRelationships",
    "Health",
    "HeldGrant",
    "HouseCreate",
    "HousePublic",
    "HouseholdChangeCreate",
    "HouseholdChangeCreateRelationships",
    "HouseholdMoveOutCreate",
    "HouseholdMoveOutCreateRelationships",
    "HouseholdPublic",
    "HouseholdTransferMoveInCreate",
    "HouseholdTransferMoveInCreateRelationships",
    "IdentityAuditEntry",
    "IdentityPageAuditEntry",
    "ImportFileFormatType0",
    "ImportPublic",
    "ImportPublicProblemsItem",
    "ImportPublicState",
    "ImportReportPublic",
    "IncomeLevyRates",
    "IncomingTransfer",
    "InitialAdmin",
    "InvalidParam",
    "Issuance",
    "IssuedCopy",
    "Item",
    "ItemsState",
    "JobCreate",
    "JobPublic",
    "JobPublicRefusalsItem",
    "JobPublicState",
    "JoinHouseholdIn",
    "KeysResponseKeys",
    "Layout",
    "LedgerEntryPublic",
    "LocalPurpose",
    "LogoutRequest",
    "Me",
    "MeasurePublic",
    "MemberIn",
    "MemberInDisability",
    "MergeCreate",
    "MergeCreateRelationships",
    "MoveInCreate",
    "MoveInCreateKind",
    "MoveOutCreate",
    "MoveOutCreateRelationships",
    "MunicipalityCreate",
    "MunicipalityPublic",
    "MunicipalityUpdate",
    "MyNumberSet",
    "NewHouseholdIn",
    "NewSubscription",
    "NewSubscriptionFiltersType0",
    "OccupantSearch",
    "OccupantsSet",
    "Owner",
    "PageAccessEntry",
    "PageApplicationPublic",
    "PageAssessmentPublic",
    "PageAuditEntry",
    "PageClientPublic",
    "PageDamageRequest",
    "PageDeliveryPublic",
    "PageDisasterPublic",
    "PageEventTypePublic",
    "PageGrantPublic",
    "PageHousePublic",
    "PageIncomingTransfer",
    "PageLedgerEntryPublic",
    "PageMunicipalityPublic",
    "PagePerson",
    "PagePurposePublic",
    "PageSearchHit",
    "PageStaffPublic",
    "PageSubscriptionPublic",
    "PagedictstrAny",
    "PagedictstrAnyItemsItem",
    "PagedictstrObject",
    "PagedictstrObjectItemsItem",
    "PagedictstrStr",
    "PagedictstrStrItemsItem",
    "PasswordChange",
    "PerCapita",
    "Person",
    "PersonIn",
    "PhotoIn",
    "PlacementIn",
    "Problem",
    "ProcedureResult",
    "ProtectionCreate",
    "PurposePublic",
    "Queued",
    "ReadMyNumberResponseReadMyNumber",
    "RelocationCreate",
    "RemovalCreate",
    "RemovalCreateRelationships",
    "RequestStatus",
    "ResidenceCreate",
    "ResidenceOnJanuaryFirstResponseResidenceOnJanuaryFirst",
    "ResidentCreate",
    "ResidentPublic",
    "ResidentSnapshot",
    "ResidentState",
    "RolesUpdate",
    "Rotation",
    "RowErrorOut",
    "RunResponseRun",
    "RunStart",
    "RunStartInputs",
    "SearchHit",
    "SearchQuery",
    "SecretInfo",
    "SecretRotated",
    "SecretRotation",
    "Sex",
    "SigningKeysResponseSigningKeys",
    "SplitCreate",
    "SplitCreateRelationships",
    "SplitCreateRemainingRelationships",
    "StaffCreate",
    "StaffPublic",
    "SubscriptionPublic",
    "SubscriptionPublicFilters",
    "SubscriptionWithSecret",
    "SubscriptionWithSecretFilters",
    "SupportOut",
    "SurveyCreate",
    "SurveyImportPublic",
    "SurveyImportPublicState",
    "SurveyPublic",
    "SurveyPublicPhotosItem",
    "SwitchReason",
    "TaxCreate",
    "TaxJobPublic",
    "TaxJobPublicState",
    "TenantConfig",
    "TenantConfigCertificateFeesYen",
    "TenantConfigPurposes",
    "TimeSavedResponseTimeSaved",
    "TokenResponse",
    "TransferMoveInCreate",
    "TryRunResponseTryRun",
    "Verification",
    "VerifyAccessLogResponseVerifyAccessLog",
    "VerifyAuditTrailResponseVerifyAuditTrail",
    "VersionResponseVersion",
    "VoidCreate",
    "VoidResult",
    "Widowhood",
)
