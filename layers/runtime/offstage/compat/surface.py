"""docassemble.base.util's names, and the error or stand-in for those offstage does not provide.

Nothing here imports the engine or the library (both use these lists): what offstage does provide is
offstage.compat.served's, above them.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from typing import Any

# docassemble.base.util's public names (docassemble 1.x): a name here that offstage lacks is reported
# as "not provided by offstage", any other as unknown to docassemble.base.util
DOCASSEMBLE_UTIL = frozenset("""
alpha roman item_label ordinal ordinal_number comma_list word get_language set_language get_dialect get_voice
set_country get_country get_locale set_locale update_locale comma_and_list need nice_number quantity_noun
currency_symbol verb_past verb_present noun_plural noun_singular indefinite_article capitalize
space_to_underscore force_ask force_gather period_list name_suffix currency static_image title_case url_of
process_action url_action get_info set_info get_config prevent_going_back qr_code action_menu_item
from_b64_json defined define value message response json_response command single_paragraph quote_paragraphs
location_returned location_known user_lat_lon interview_url interview_url_action interview_url_as_qr
interview_url_action_as_qr LatitudeLongitude RoleChangeTracker Name IndividualName Address City Event Person
Thing Individual ChildList FinancialList PeriodicFinancialList Income Asset Expense Value PeriodicValue
OfficeList Organization objects_from_file send_email send_sms send_fax map_of selections BackgroundAction
DAObject DAList DADict DAOrderedDict DASet DAFile DAFileCollection DAFileList DAStaticFile DAEmail
DAEmailRecipient DAEmailRecipientList DATemplate DAEmpty DALink last_access_time last_access_delta
last_access_days last_access_hours last_access_minutes returning_user action_arguments action_argument
timezone_list as_datetime current_datetime date_difference date_interval year_of month_of day_of dow_of
format_date format_datetime format_time today get_default_timezone user_logged_in interface user_privileges
user_has_privilege user_info current_context task_performed task_not_yet_performed mark_task_as_performed
times_task_performed set_task_counter background_action background_response background_response_action
background_error_action us DARedis DACloudStorage DAGoogleAPI MachineLearningEntry SimpleTextMachineLearner
SVMMachineLearner RandomForestMachineLearner set_live_help_status chat_partners_available
phone_number_in_e164 phone_number_formatted phone_number_is_valid countries_list country_name write_record
read_records delete_record variables_as_json all_variables ocr_file ocr_file_in_background read_qr
get_sms_session initiate_sms_session terminate_sms_session language_from_browser device interview_email
get_emails plain bold italic path_and_mimetype states_list state_name subdivision_type indent raw
fix_punctuation set_progress get_progress referring_url run_python_module undefine invalidate dispatch yesno
noyes split showif showifdef phone_number_part pdf_concatenate set_parts log encode_name decode_name
interview_list interview_menu server_capabilities session_tags include_docx_template get_chat_log
get_user_list get_user_info set_user_info get_user_secret create_user invite_user create_session
get_session_variables set_session_variables go_back_in_session manage_privileges start_time zip_file
validation_error DAValidationError redact forget_result_of re_run_logic reconsider action_button_html url_ask
overlay_pdf get_question_data set_title set_save_status single_to_double_newlines RelationshipTree DAContext
DAOAuth DAStore explain clear_explanations logic_explanation set_status get_status verbatim add_separators
DAWeb DAWebError json re iso_country assemble_docx docx_concatenate store_variables_snapshot stash_data
retrieve_stashed_data update_terms chain DABreadCrumbs set_variables language_name DA DAGlobal
run_action_in_session transform_json_variables her his its their your ensure_definition DACatchAll
DALazyTemplate possessify
""".split())  # noqa: SIM905 - a word list reads better than 300 quoted names


# Names package code imports at the top of a module but calls only on paths offstage does not serve
# (AssemblyLine's sessions module: saved sessions in docassemble's SQL database). Importing one gives a
# NotProvidedName, so the module imports and the feature is refused, by name, when used.
REFUSED_ON_USE = frozenset({"create_session", "get_session_variables", "set_session_variables",
                            "safe_json", "serializable_dict"})


class NotProvided(ImportError):
    """`from docassemble.base.util import X` where offstage has no X."""


def missing(module: str, name: str) -> Exception:
    """The error for a name offstage lacks: an ImportError inside `from ... import`, else AttributeError."""
    if name in DOCASSEMBLE_UTIL:
        text = f"{module}.{name} is not provided by offstage (offstage does not implement {name} yet)"
    else:
        text = f"{module} has no name {name!r} (neither docassemble's module nor offstage's stand-in has it)"
    frame = sys._getframe(2)
    if _importing(frame):
        return NotProvided(text, name=module)
    return AttributeError(text)


def _importing(frame: Any) -> bool:
    """Whether the frame is running `from module import name` (Python asks the module for the name)."""
    import dis

    for instruction in dis.get_instructions(frame.f_code):
        if instruction.offset == frame.f_lasti:
            return instruction.opname == "IMPORT_FROM"
    return False


class NotProvidedName:
    """Stands in the interview namespace for a docassemble name offstage lacks: using it says so.

    Without it, `send_sms(...)` would read as a variable no block defines; with it, the error screen
    names the function and says offstage does not provide it.
    """

    def __init__(self, name: str) -> None:
        self.offstage_missing = name

    def _refuse(self) -> NotImplementedError:
        return NotImplementedError(f"{self.offstage_missing} is not provided by offstage "
                                   f"(see the author's guide, 'docassemble.base.util and the standard classes')")

    def __call__(self, *pargs: Any, **kwargs: Any) -> Any:  # noqa: ARG002 - a stand-in refuses whatever it is given
        raise self._refuse()

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise self._refuse()

    def __str__(self) -> str:
        raise self._refuse()


def not_provided(have: Collection[str]) -> dict[str, NotProvidedName]:
    """A stand-in for each docassemble.base.util name offstage lacks: each one not among `have`."""
    return {name: NotProvidedName(name) for name in DOCASSEMBLE_UTIL if name not in have}
