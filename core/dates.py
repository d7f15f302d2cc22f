"""EDTF dates: validation, earliest/latest days, and the way people write them.

Every date in the database is an EDTF string (Library of Congress Extended Date/Time
Format). This module is the one place that parses and formats them.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from edtf import EDTFParseException, parse_edtf

ACCEPTED_FORMS = (
    "2014 (a year), 2014-09 (a month), 2014-09-18 (a day), 2015~ (about 2015), "
    "2020-01? (uncertain), 2014/2016 or 2014-09/2015-03 (a period), "
    "2014-09/.. or ../2016 (a period open at one end)"
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_SIMPLE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?(?P<flag>[~?%])?$")
_DAY = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?[~?%]?"
_ACCEPTED = re.compile(rf"^(?:{_DAY}|{_DAY}/{_DAY}|{_DAY}/\.\.|\.\./{_DAY})$")


def parse(value):
    """Parse an EDTF string, or raise a ValidationError that says what forms are accepted.

    Only the forms in ACCEPTED_FORMS are taken (the ones pages can show as people write
    dates); times of day, sets and other EDTF extensions are refused.
    """
    value = (value or "").strip()
    if not _ACCEPTED.match(value):
        raise _invalid(value, _short_reason(value))
    try:
        parsed = parse_edtf(value)
    except (EDTFParseException, ValueError, TypeError) as error:
        raise _invalid(value, _short_reason(value)) from error
    try:
        earliest, latest = bounds_of(parsed)
    except (ValueError, OverflowError) as error:
        raise _invalid(value, _short_reason(value)) from error
    if earliest and latest and earliest > latest:
        raise _invalid(value, "the period ends before it starts")
    return parsed


def _invalid(value, detail):
    return ValidationError(
        "“%(value)s” is not a date this database understands (%(detail)s). "
        "Write it in EDTF, for example: %(forms)s.",
        code="invalid_edtf",
        params={"value": value, "detail": detail, "forms": ACCEPTED_FORMS},
    )


def _short_reason(value):
    for part in value.split("/"):
        match = _SIMPLE.match(part)
        if not match:
            continue
        year, month, day = match["year"], match["month"], match["day"]
        if month and not 1 <= int(month) <= 12:
            return f"there is no month {month}"
        if day:
            try:
                datetime.date(int(year), int(month), int(day))
            except ValueError:
                return f"{year}-{month} has no day {day}"
    if "T" in value:
        return "give a day, not a time of day"
    return "unrecognised form"


def _day(struct):
    if isinstance(struct, float) and math.isinf(struct):
        return None  # an open end ("..") stays open
    if struct is None:
        return None
    return datetime.date(struct.tm_year, struct.tm_mon, struct.tm_mday)


def bounds_of(parsed):
    """(earliest, latest) possible day of a parsed EDTF value; None for an open or unknown end."""
    return _day(parsed.lower_strict()), _day(parsed.upper_strict())


def bounds(value):
    """(earliest, latest) possible day of an EDTF string; (None, None) for an empty one."""
    if not value:
        return None, None
    return bounds_of(parse(value))


def validate_edtf(value):
    """Model-field validator."""
    if value:
        if value != value.strip():
            raise _invalid(value, "remove the spaces around it")
        parse(value)


def humanize(value):
    """Write an EDTF string as people do: "September 2014", "18 March 2015", "c. 2015",
    "2014–2016"."""
    if not value:
        return ""
    if "/" in value:
        start, end = value.split("/", 1)
        if start in ("", ".."):
            return f"until {humanize(end)}"
        if end in ("", ".."):
            return f"{humanize(start)} – present" if end == ".." else f"from {humanize(start)}"
        return f"{humanize(start)}–{humanize(end)}"
    match = _SIMPLE.match(value)
    if not match:
        return value
    year, month, day, flag = (
        match["year"].lstrip("0") or "0",
        match["month"],
        match["day"],
        match["flag"],
    )
    text = year
    if month and 1 <= int(month) <= 12:
        text = f"{MONTHS[int(month) - 1]} {year}"
        if day:
            text = f"{int(day)} {text}"
    if flag in ("~", "%"):
        text = f"c. {text}"
    if flag in ("?", "%"):
        text = f"{text}?"
    return text


def precision(value):
    """ "day", "month", "year" or "other": how finely a simple EDTF date is known."""
    match = _SIMPLE.match(value or "")
    if not match:
        return "other"
    if match["day"]:
        return "day"
    return "month" if match["month"] else "year"


def end_of_day(day):
    """The last moment of ``day`` in the site's time zone: what a page as of that day shows
    is what stood then."""
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day) - datetime.timedelta(microseconds=1)
