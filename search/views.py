from django import forms
from django.views import generic

from core.http import PublicMixin, bad_request
from entities.models import Entity
from events.models import Event
from sources.models import Source
from sources.reading import event_dates

from . import matcher

TYPES = [("", "Everything"), ("entity", "Entities"), ("event", "Events"), ("source", "Sources")]
KINDS = {"entity": Entity.Kind, "event": Event.Kind, "source": Source.Kind}
# The kind filter's options by type; a kind several types have ("other") under the first.
KIND_GROUPS = [
    (label, [(value, name) for value, name in KINDS[type_].choices if value in kinds])
    for (type_, label), kinds in zip(
        TYPES[1:],
        [
            set(KINDS["entity"].values),
            set(KINDS["event"].values) - set(KINDS["entity"].values),
            set(KINDS["source"].values) - set(KINDS["entity"].values) - set(KINDS["event"].values),
        ],
        strict=True,
    )
]


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,  # far beyond any name
        error_messages={"max_length": "Search for at most %(limit_value)d characters."},
    )
    type = forms.ChoiceField(required=False, choices=TYPES)
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Any kind")]
        + [(value, label) for kinds in KINDS.values() for value, label in kinds.choices],
    )

    def clean(self):
        cleaned = super().clean()
        type_, kind = cleaned.get("type"), cleaned.get("kind")
        if kind:
            owners = tuple(name for name, kinds in KINDS.items() if kind in kinds.values)
            if type_ and type_ not in owners:
                raise forms.ValidationError(f"“{kind}” is not a kind of {type_}.")
            cleaned["types"] = (type_,) if type_ else owners
        else:
            cleaned["types"] = (type_,) if type_ else matcher.TYPES
        return cleaned

    @property
    def types(self):
        """The types searched: the one asked for, else those that have the kind asked for."""
        return self.cleaned_data["types"]


class SearchView(PublicMixin, generic.ListView):
    """Entities, events and sources by any of their public names however a source spells
    them, best matches first (``search.matcher``); the nearest names when nothing matches."""

    template_name = "search.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        if not self.form.is_valid():
            errors = self.form.errors
            return bad_request(
                request, " ".join(message for field in errors.values() for message in field)
            )
        self.query = self.form.cleaned_data["q"]
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        data = self.form.cleaned_data
        return matcher.find(self.query, types=self.form.types, kind=data["kind"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query, form=self.form, kind_groups=KIND_GROUPS, **kwargs
        )
        context["results"] = _with_records(context["object_list"])
        context["complete"] = self.object_list.complete
        if self.query and not context["paginator"].count:
            context["suggestions"] = _with_records(
                matcher.suggest(self.query, types=self.form.types)
            )
        return context


def _with_records(matches):
    """The matches as {"match", "object"}, each with its record as its page shows it."""
    records = {
        "entity": Entity.objects.public(),
        "event": Event.objects.public().prefetch_related(event_dates()),
        "source": Source.objects.all(),
    }
    found = {
        type_: queryset.in_bulk([m.pk for m in matches if m.type == type_])
        for type_, queryset in records.items()
        if any(m.type == type_ for m in matches)
    }
    return [
        {"match": match, "object": found[match.type][match.pk]}
        for match in matches
        if match.pk in found.get(match.type, {})
    ]
