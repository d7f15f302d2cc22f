"""How the public pages print claims: values, dates, languages, disputes and footnotes."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from core import dates
from sources.models import Claim, Datatype

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


@register.simple_tag
def event_date(event):
    """An event's best public date, at the precision it is known."""
    date_claims = getattr(event, "date_claims", None)
    if not date_claims:
        return format_html('<span class="undated">{}</span>', "date unknown")
    return edtf_date(date_claims[0].value_date)


@register.simple_tag(takes_context=True)
def claim_value(context, claim, side="value"):
    """A claim's value (or with side="subject" its subject), linked or tagged with its language."""
    if side == "subject":
        subject = claim.subject
        return format_html('<a href="{}">{}</a>', page_url(context, subject), subject.label)
    if claim.value_kind != Claim.ValueKind.VALUE:
        return format_html('<em class="special-value">{}</em>', claim.value_display())
    datatype = claim.property.datatype
    if datatype in (Datatype.ENTITY, Datatype.EVENT):
        target = claim.value_entity if datatype == Datatype.ENTITY else claim.value_event
        return format_html('<a href="{}">{}</a>', page_url(context, target), target.label)
    if datatype == Datatype.MONOLINGUAL:
        return format_html("<span{}>{}</span>", lang_attrs(claim.value_language), claim.value_text)
    if datatype == Datatype.URL:
        return format_html('<a href="{0}" rel="nofollow noopener">{0}</a>', claim.value_url)
    if datatype == Datatype.DATE:
        return edtf_date(claim.value_date)
    return claim.value_display()


@register.simple_tag
def qualifiers(claim):
    """When the claim held, in plain words and brackets: " (from September 2014)", " (2018)"."""
    text = claim.qualifiers_display()
    return format_html(' <span class="qualifiers">({})</span>', text) if text else ""


@register.simple_tag
def public_note(claim):
    """The claim's editorial note, only when it is marked public."""
    if claim.note_is_public and claim.note.strip():
        return format_html(
            '<span class="note"><span class="note-label">Note:</span> {}</span>', claim.note
        )
    return ""


@register.simple_tag(takes_context=True)
def cite(context, claim):
    """Footnote markers for each citation of the claim, numbered for the page's footnote list."""
    footnotes = context["footnotes"]
    markers = []
    for citation in claim.shown_citations:
        number, first = footnotes.number(citation)
        if first:
            markers.append(
                format_html(
                    '<a href="#fn-{0}" id="ref-{0}" aria-label="source {0}">[{0}]</a>', number
                )
            )
        else:
            markers.append(
                format_html('<a href="#fn-{0}" aria-label="source {0}">[{0}]</a>', number)
            )
    return format_html(
        '<sup class="fn">{}</sup>', format_html_join("", "{}", ((marker,) for marker in markers))
    )


@register.inclusion_tag("includes/_footnotes.html", takes_context=True)
def footnote_list(context):
    return {"citations": context["footnotes"].citations}


@register.inclusion_tag("includes/_claim_groups.html", takes_context=True)
def claim_groups(context, claims):
    """An infobox: claims grouped by property, each group's values, disputes and deprecated ones.

    Within a property, preferred claims are the values and the normal ones beside them
    are disputed; a single-valued property with several values and none preferred is
    disputed throughout. Deprecated claims show only as deprecated, with their reason.
    """
    groups = {}
    for claim in claims:
        groups.setdefault(claim.property_id, (claim.property, []))[1].append(claim)
    rows = []
    for prop, group in groups.values():
        deprecated = [claim for claim in group if claim.rank == Claim.Rank.DEPRECATED]
        standing = [claim for claim in group if claim.rank != Claim.Rank.DEPRECATED]
        preferred = [claim for claim in standing if claim.rank == Claim.Rank.PREFERRED]
        if preferred:
            values, disputed = (
                preferred,
                [claim for claim in standing if claim.rank != Claim.Rank.PREFERRED],
            )
        elif prop.single_valued and len(standing) > 1:
            values, disputed = [], standing
        else:
            values, disputed = standing, []
        rows.append(
            {"property": prop, "values": values, "disputed": disputed, "deprecated": deprecated}
        )
    return {"groups": rows, "footnotes": context["footnotes"], "as_of": context.get("as_of")}
