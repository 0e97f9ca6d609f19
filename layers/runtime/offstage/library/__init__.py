"""The author-facing library: the names docassemble interviews use without importing them.

`exports()` gives every public function and class, to be put into the interview namespace. Heavy
data (pycountry, time zones) is imported inside the functions, so importing this package is cheap.
The engine adds its own names (message, background_action, defined, url_action, ...).
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

_MODULES = {
    "objects": ["DAObject", "DAList", "DADict", "DAOrderedDict", "DASet", "DAEmpty"],
    "names": ["Name", "IndividualName"],
    "addresses": ["Address", "City", "LatitudeLongitude"],
    "things": ["Thing", "Event"],
    "people": ["Person", "Individual", "Organization", "OfficeList", "PartyList", "ChildList"],
    "labels": ["alpha", "roman", "item_label", "name_suffix"],
    "buttons": ["action_button_html"],
    "package_files": ["path_and_mimetype"],
    "objects_file": ["objects_from_file"],
    "finance": ["Value", "PeriodicValue", "FinancialList", "PeriodicFinancialList", "Asset", "Income", "Expense",
                "period_list"],
    "grammar": ["verb_past", "verb_present", "her", "his", "its", "their", "your", "possessify"],
    "info": ["set_info", "get_info", "get_config", "interface", "get_country", "set_country", "get_locale",
             "language_from_browser", "this_thread"],
    "validation": ["DAValidationError", "validation_error", "ensure_definition"],
    "custom_datatypes": ["CustomDataType"],
    "name_codes": ["encode_name", "decode_name"],
    "phone": ["phone_number_is_valid", "phone_number_formatted", "phone_number_in_e164", "phone_number_part"],
    "links": ["DALink"],
    "recipients": ["DAEmailRecipient", "DAEmailRecipientList"],
    "catchall": ["DACatchAll"],
    "legal": ["Case", "Court", "Document", "LegalFiling"],
    "server": ["session_tags", "server_capabilities", "send_sms", "update_terms", "interview_menu",
               "set_progress", "get_progress"],
    "navigation": ["nav", "device"],
    "store": ["DAStore"],
    "daweb": ["DAWeb", "DAWebError"],
    "files": ["DAFile", "DAFileList", "DAFileCollection", "DAEmail", "DAStaticFile", "pdf_concatenate", "zip_file",
              "docx_concatenate", "include_docx_template", "register_jinja_filter"],
    "daredis": ["DARedis"],
    "words": ["comma_and_list", "and_list", "comma_list", "add_separators", "nice_number", "ordinal_number",
              "ordinal", "currency", "currency_symbol", "capitalize", "title_case", "titlecase", "noun_plural",
              "noun_singular", "quantity_noun", "indefinite_article", "space_to_underscore", "single_paragraph",
              "single_to_double_newlines", "verbatim", "quote_paragraphs", "indent", "fix_punctuation", "plain",
              "bold", "italic", "yesno", "noyes", "word", "get_language", "set_language", "get_dialect"],
    "dates": ["DADateTime", "current_datetime", "today", "as_datetime", "format_date", "format_time",
              "format_datetime", "timezone_list", "get_default_timezone", "month_of", "day_of", "year_of",
              "dow_of"],
    "date_difference": ["date_difference"],
    "interval": ["date_interval"],
    "tasks": ["task_performed", "task_not_yet_performed", "mark_task_as_performed", "times_task_performed",
              "set_task_counter"],
    "access": ["last_access_time", "last_access_delta", "last_access_days", "last_access_hours",
               "last_access_minutes", "returning_user"],
    "users": ["user_logged_in", "user_info", "user_has_privilege", "user_privileges"],
    "mail": ["send_email", "interview_email", "get_emails"],
    "geography": ["countries_list", "country_name", "states_list", "state_name", "subdivision_type",
                  "iso_country"],
}


@functools.cache
def _all_exports() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for module_name, names in _MODULES.items():
        module = importlib.import_module(f"{__name__}.{module_name}")
        for name in names:
            found[name] = getattr(module, name)
    return found


def exports() -> dict[str, Any]:
    """Every public name of the library (functions and classes), for the interview namespace."""
    return dict(_all_exports())
