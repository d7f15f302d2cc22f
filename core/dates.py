"""EDTF dates: validation, earliest/latest days, and the way people write them.

Every date in the database is an EDTF string (Library of Congress Extended Date/Time
Format). This module is the one place that parses and formats them.
"""

import datetime
import functools
import math
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from edtf import EDTFParseException, parse_edtf

ACCEPTED_FORMS = (
    "2014 (a year), 2014-09 (a month), 2014-09-18 (a day), 2015~ (about 2015), "
    "2020-01? (uncertain), 2014/2016 or 2014-09/2015-03 (a period), "
    "2014-09/.. or ../2016 (a period open at one end), 2012-21 to 2012-24 (spring to winter), "
    "2012-33 to 2012-36 (quarters), 2012-40 and 2012-41 (halves), 199X (a decade), "
    "19XX (a century); or as sources write them: March 18, 2015; 18 March 2015; March 2015; "
    "c. 2015; January 2020?; early, mid- or late 2014; spring 2012; winter 2012–13; "
    "first half of 2012; third quarter of 2012; the 1990s; the 20th century; before 2013; "
    "until 2016; 2014–2016; September 2014 – present"
)

HELP = (
    "EDTF (2014-09, 2015-03-18, 2015~, 2014/2016, 2012-21 for spring 2012) or as sources "
    "write it (March 18, 2015; c. 2015; mid-2012; spring 2012; winter 2012–13; first half of "
    "2012; the 1990s; before 2013; 2014–2016): it is stored as EDTF."
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
# Sub-year groupings (EDTF level 2): seasons, quarters, halves of a year.
GROUPINGS = {
    "21": "spring",
    "22": "summer",
    "23": "autumn",
    "24": "winter",
    "33": "first quarter of",
    "34": "second quarter of",
    "35": "third quarter of",
    "36": "fourth quarter of",
    "40": "first half of",
    "41": "second half of",
}
_GROUPED = re.compile(rf"^(?P<year>\d{{4}})-(?P<code>{'|'.join(GROUPINGS)})(?P<flag>[~?%])?$")
_DECADE = re.compile(r"^(?P<decade>\d{3})X(?P<flag>[~?%])?$")
_CENTURY = re.compile(r"^(?P<century>\d{2})XX(?P<flag>[~?%])?$")
_DAY = (
    r"(?:\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?"
    rf"|\d{{4}}-(?:{'|'.join(GROUPINGS)})|\d{{3}}X|\d{{2}}XX)[~?%]?"
)
_ACCEPTED = re.compile(rf"^(?:{_DAY}|{_DAY}/{_DAY}|{_DAY}/\.\.|\.\./{_DAY})$")
# Thirds of a year, as sources say "early", "mid-" and "late" 2014: stored as periods of months.
THIRDS = {"early": ("01", "04"), "mid": ("05", "08"), "late": ("09", "12")}


# The edtf package parses slowly, and the same few dates come back on every save, form and
# page: the answers are remembered (a refusal is not, and is worked out again).
@functools.lru_cache(maxsize=4096)
def parse(value):
    """Check an EDTF string and return its (earliest, latest) possible days, or raise a
    ValidationError that says what forms are accepted.

    Only the forms in ACCEPTED_FORMS are taken (the ones pages can show as people write
    dates); times of day, sets and other EDTF extensions are refused.
    """
    value = (value or "").strip()
    if not _ACCEPTED.match(value):
        raise _invalid(value, _short_reason(value))
    try:
        ends = [_part_bounds(part) for part in value.split("/")]
    except (EDTFParseException, ValueError, TypeError, OverflowError) as error:
        raise _invalid(value, _short_reason(value)) from error
    earliest, latest = ends[0][0], ends[-1][1]
    if earliest and latest and earliest > latest:
        raise _invalid(value, "the period ends before it starts")
    return earliest, latest


def _part_bounds(part):
    """(earliest, latest) day of one end of a period, or of a single date."""
    if part == "..":
        return None, None
    grouped = _GROUPED.match(part)
    if grouped or _DECADE.match(part) or _CENTURY.match(part):
        # The package reads these only without a flag; the flag does not move their days.
        part = part.rstrip("~?%")
    earliest, latest = bounds_of(parse_edtf(part))
    if grouped and grouped["code"] == "24":
        # Winter 2012 runs from December 2012 to the end of February 2013.
        latest = datetime.date(int(grouped["year"]) + 1, 3, 1) - datetime.timedelta(days=1)
    return earliest, latest


def to_edtf(text):
    """EDTF for a date written as EDTF or as a source writes it ("mid-2012", "March 18, 2015",
    "c. 2015", "spring 2012", "the 1990s", "before 2013"), or as the pages show one ("until
    2016", "2014–2016", "January 2020?"); ValidationError if it is none of these."""
    text = " ".join(str(text or "").split())
    if not text or _ACCEPTED.match(text):
        if text:
            parse(text)
        return text
    try:
        value = _from_words(text)
    except _Ambiguous as error:
        raise _invalid(text, str(error)) from None
    if value is None:
        raise _invalid(text, _short_reason(text))
    try:
        parse(value)
    except ValidationError:
        raise _invalid(text, _short_reason(value)) from None
    return value


class _Ambiguous(ValueError):
    """Words that read two ways; the message says how to write each."""


_MONTH_NAMES = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
_MONTH_NAMES.update({name[:3].lower(): n for name, n in list(_MONTH_NAMES.items())})
_MONTH_NAMES["sept"] = 9
_MONTH = rf"(?P<month>{'|'.join(sorted(_MONTH_NAMES, key=len, reverse=True))})\.?"
_WORD_FORMS = [
    re.compile(rf"^{_MONTH} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<day>\d{{1,2}}) {_MONTH},? (?P<year>\d{{4}})$"),
    re.compile(rf"^{_MONTH},? (?P<year>\d{{4}})$"),
    re.compile(r"^(?P<year>\d{4})$"),
]
_SEASON_WORDS = {"spring": "21", "summer": "22", "autumn": "23", "fall": "23"}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
_APPROXIMATE = re.compile(r"^(?:c\.|ca\.|circa|about|around|approximately) ?(?P<rest>.+)$")
_DASH = r" ?[–—-] ?"


def _from_words(text):
    """EDTF for a date in words, or None."""
    lowered = text.lower()
    if match := _APPROXIMATE.match(lowered):
        single = _single_from_words(match["rest"])
        return _flag(single, "~")
    if match := re.match(r"^(?P<rest>.+)\?$", lowered):
        return _flag(_single_from_words(match["rest"]), "?")
    if match := re.match(r"^before (?P<rest>.+)$", lowered):
        single = _single_from_words(match["rest"])
        before = single and _day_before(single)
        return f"../{before}" if before else None
    if match := re.match(r"^until (?P<rest>.+)$", lowered):
        single = _single_from_words(match["rest"])
        return f"../{_end_of(single)}" if single else None
    if match := re.match(rf"^(?P<start>.+?){_DASH}present$", lowered):
        single = _single_from_words(match["start"])
        return f"{_start_of(single)}/.." if single else None
    if single := _single_from_words(lowered):
        return single
    if match := re.match(rf"^(?P<start>[^–—]+?){_DASH}(?P<end>[^–—]+)$", lowered):
        start, end = _single_from_words(match["start"]), _single_from_words(match["end"])
        if start and end:
            return f"{_start_of(start)}/{_end_of(end)}"
    return None


def _flag(value, flag):
    """A single date with its flag (approximate ~, uncertain ?); None for a period."""
    if not value or "/" in value or value[-1] in "~?%":
        return None
    return f"{value}{flag}"


def _single_from_words(text):
    """EDTF for one date in words (a day, a month, a year, a part of a year, a decade)."""
    for pattern in _WORD_FORMS:
        if match := pattern.match(text):
            parts = match.groupdict()
            value = parts["year"]
            if parts.get("month"):
                value += f"-{_MONTH_NAMES[parts['month']]:02d}"
            if parts.get("day"):
                value += f"-{int(parts['day']):02d}"
            return value
    if match := re.match(r"^(?P<third>early|mid|late)[- ](?P<year>\d{4})$", text):
        first, last = THIRDS[match["third"]]
        return f"{match['year']}-{first}~/{match['year']}-{last}~"
    if match := re.match(r"^(?P<season>spring|summer|autumn|fall),? (?P<year>\d{4})$", text):
        return f"{match['year']}-{_SEASON_WORDS[match['season']]}"
    if match := re.match(r"^winter,? (?P<year>\d{4})(?:[/–-](?P<next>\d{2}|\d{4}))?$", text):
        year, following = int(match["year"]), match["next"]
        if following is None:
            raise _Ambiguous(
                f"say which winter: winter {year - 1}–{str(year)[2:]} or winter "
                f"{year}–{str(year + 1)[2:]}"
            )
        if int(following) != (year + 1) % (100 if len(following) == 2 else 10_000):
            return None
        return f"{year}-24"
    ordinal = "|".join(_ORDINALS)
    if match := re.match(rf"^(?:the )?(?P<n>{ordinal}) half of (?P<year>\d{{4}})$", text):
        if _ORDINALS[match["n"]] <= 2:
            return f"{match['year']}-{39 + _ORDINALS[match['n']]}"
    if match := re.match(rf"^(?:the )?(?P<n>{ordinal}) quarter of (?P<year>\d{{4}})$", text):
        return f"{match['year']}-{32 + _ORDINALS[match['n']]}"
    if match := re.match(r"^q(?P<n>[1-4]) (?P<year>\d{4})$", text):
        return f"{match['year']}-{32 + int(match['n'])}"
    if match := re.match(r"^h(?P<n>[12]) (?P<year>\d{4})$", text):
        return f"{match['year']}-{39 + int(match['n'])}"
    if match := re.match(r"^(?:the )?(?P<n>\d{1,2})(?:st|nd|rd|th) century$", text):
        return f"{int(match['n']) - 1:02d}XX"
    if match := re.match(r"^(?:the )?(?P<decade>\d{3})0s$", text):
        if match["decade"].endswith("0"):
            century = int(match["decade"][:2]) + 1
            raise _Ambiguous(
                f"a decade or a century? Write {match['decade']}X for {match['decade']}0–"
                f"{match['decade']}9, or {match['decade'][:2]}XX for the {century}th century"
            )
        return f"{match['decade']}X"
    return None


def _start_of(value):
    return value.split("/")[0]


def _end_of(value):
    return value.split("/")[-1]


def _day_before(value):
    """EDTF for the day, month or year that ends just before ``value`` begins."""
    earliest, _ = parse(_start_of(value))
    try:
        day_before = earliest - datetime.timedelta(days=1)
    except OverflowError:
        return None
    if precision(_start_of(value)) == "day":
        return day_before.isoformat()
    if (day_before.month, day_before.day) == (12, 31):
        return str(day_before.year)
    if (day_before + datetime.timedelta(days=1)).day == 1:
        return day_before.strftime("%Y-%m")
    return day_before.isoformat()


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
    return parse(value)


def validate_edtf(value):
    """Model-field validator."""
    if value:
        if value != value.strip():
            raise _invalid(value, "remove the spaces around it")
        parse(value)


def humanize(value):
    """Write an EDTF string as people do: "September 2014", "18 March 2015", "c. 2015",
    "2014–2016", "mid-2012", "spring 2012", "first half of 2012", "the 1990s"."""
    if not value:
        return ""
    for third, (first, last) in THIRDS.items():
        if match := re.match(rf"^(?P<year>\d{{4}})-{first}~/(?P=year)-{last}~$", value):
            return f"{third}-{match['year']}" if third == "mid" else f"{third} {match['year']}"
    if "/" in value:
        start, end = value.split("/", 1)
        if any(precision(part) == "other" for part in (start, end) if part not in ("", "..")):
            # A season, a quarter or a decade at one end: spelt out, not joined by a dash.
            if start not in ("", "..") and end not in ("", ".."):
                return f"from {humanize(start)} to {humanize(end)}"
        if start in ("", ".."):
            return f"until {humanize(end)}"
        if end in ("", ".."):
            return f"{humanize(start)} – present" if end == ".." else f"from {humanize(start)}"
        return f"{humanize(start)}–{humanize(end)}"
    if match := _GROUPED.match(value):
        year = match["year"].lstrip("0")
        if match["code"] == "24":  # winter runs into the next year
            following = str(int(match["year"]) + 1)[-2:]
            return _flagged(f"winter {year}–{following}", match["flag"])
        return _flagged(f"{GROUPINGS[match['code']]} {year}", match["flag"])
    if match := _DECADE.match(value):
        return _flagged(f"the {match['decade'].lstrip('0')}0s", match["flag"])
    if match := _CENTURY.match(value):
        return _flagged(f"the {_ordinal(int(match['century']) + 1)} century", match["flag"])
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
    return _flagged(text, flag)


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _flagged(text, flag):
    if flag in ("~", "%"):
        text = f"c. {text}"
    if flag in ("?", "%"):
        text = f"{text}?"
    return text


def precision(value):
    """ "day", "month", "year" or "other": how finely a simple EDTF date is known."""
    match = _SIMPLE.match(value or "")
    if not match or (match["month"] and not 1 <= int(match["month"]) <= 12):
        return "other"
    if match["day"]:
        return "day"
    return "month" if match["month"] else "year"


def end_of_day(day):
    """The last moment of ``day`` in the site's time zone: what a page as of that day shows
    is what stood then."""
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day) - datetime.timedelta(microseconds=1)
