"""How the public pages print claims: values, qualifiers, notes and footnote markers.

Formatting only: which claims a page shows, and how they group, is decided in
``sources.reading``.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.templatetags.display import edtf_date, lang_attrs, page_url
from sources import reading
from sources.models import Citation, Claim, Datatype

register = template.Library()


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
    if claim.part:
        return format_html('<span class="part">{}:</span> {}', claim.part, claim.value_display())
    return claim.value_display()


@register.simple_tag
def qualifiers(claim):
    """On whose word and when the claim held, in plain words and brackets: " (claimed by the
    group itself)", " (from September 2014)", " (according to the United States; 2018)"."""
    words = [claim.on_whose_word(), claim.qualifiers_display()]
    text = "; ".join(word for word in words if word)
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
    """Footnote markers for the citations supporting the claim, numbered for the page's
    footnote list; how many sources agree when more than one does; and "disputed by" with
    the footnotes of the citations that dispute it."""
    footnotes = context["footnotes"]
    supporting, disputing = [], []
    for citation in claim.shown_citations:
        side = supporting if citation.stance == Citation.Stance.SUPPORTS else disputing
        side.append(citation)
    html = _markers(footnotes, supporting)
    sources = len({citation.source_id for citation in supporting})
    if sources > 1:
        html += format_html(' <span class="source-count">{} sources</span>', sources)
    if disputing:
        html += format_html(
            ' <span class="disputed-by">disputed by{}</span>', _markers(footnotes, disputing)
        )
    return html


def _markers(footnotes, citations):
    markers = []
    for citation in citations:
        number, first = footnotes.number(citation)
        anchor = format_html(' id="ref-{}"', number) if first else ""
        markers.append(
            format_html('<a href="#fn-{0}"{1} aria-label="source {0}">[{0}]</a>', number, anchor)
        )
    return format_html(
        '<sup class="fn">{}</sup>', format_html_join("", "{}", ((marker,) for marker in markers))
    )


@register.inclusion_tag("includes/_footnotes.html", takes_context=True)
def footnote_list(context):
    return {"citations": context["footnotes"].citations}


@register.inclusion_tag("includes/_claim_groups.html", takes_context=True)
def claim_groups(context, claims):
    """An infobox of claims (``reading.infobox``): values, disputes and deprecated ones, and
    where a property has more values than the page lists, how many and where they all are."""
    groups = reading.infobox(claims)
    subject = context.get("object")
    for group in groups:
        group["total"] = context.get("long_groups", {}).get(group["property"].pk)
        if group["total"]:
            group["listed"] = sum(
                len(group[shown]) for shown in ("values", "disputed", "deprecated")
            )
            kind = "entities" if subject._meta.model_name == "entity" else "events"
            group["all_values"] = reverse(
                f"{kind}:values", args=[subject.slug, group["property"].code]
            )
    return {
        "groups": groups,
        "footnotes": context["footnotes"],
        "as_of": context.get("as_of"),
    }
