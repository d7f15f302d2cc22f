"""How the public pages write dates, languages and links to subjects: formatting only."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

from core import dates

register = template.Library()

# Languages written right to left, by primary subtag, and the scripts that are, for tags
# that name a script ("ar-Latn" is romanized Arabic, written left to right).
RTL_LANGUAGES = set("ar arc ckb dv fa he ks prs ps sd syr ug ur yi".split())
RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "mand", "samr"}


def is_rtl(language):
    """Whether text in this language runs right to left: "ar", "fa", "ar-Arab"; not "ar-Latn"."""
    subtags = (language or "").lower().split("-")
    script = next((tag for tag in subtags[1:] if len(tag) == 4), None)
    if script:
        return script in RTL_SCRIPTS
    return subtags[0] in RTL_LANGUAGES


@register.simple_tag
def lang_attrs(language):
    """` lang="ar" dir="rtl"` for text in another language; nothing for none."""
    if not language:
        return ""
    if is_rtl(language):
        return format_html(' lang="{}" dir="rtl"', language)
    return format_html(' lang="{}"', language)


@register.simple_tag
def edtf_date(value):
    """An EDTF date as people write it: a <time> element for a plain day, month or year,
    a span for the rest ("c. 2015", "January 2020?", "2014–2016")."""
    if not value:
        return ""
    if dates.precision(value) != "other" and value[-1].isdigit():
        return format_html('<time datetime="{}">{}</time>', value, dates.humanize(value))
    return format_html('<span class="date">{}</span>', dates.humanize(value))


@register.simple_tag
def changed_on(moment):
    """The day a record changed, written as every other date on the site."""
    if not moment:
        return ""
    return edtf_date(moment.date().isoformat())


@register.simple_tag(takes_context=True)
def page_url(context, obj):
    """An entity's or event's URL; on a page read as of a past day, as of that day too."""
    url = obj.get_absolute_url()
    as_of = context.get("as_of")
    return f"{url}?{urlencode({'as_of': as_of.isoformat()})}" if as_of else url
