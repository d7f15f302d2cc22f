from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.views import generic

from core.views import PublicMixin

from .models import Citation, Claim, Source


class ListView(PublicMixin, generic.ListView):
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.public()


class DetailView(PublicMixin, generic.DetailView):
    """A source's bibliographic record and every public claim that cites it."""

    def get_queryset(self):
        citations = (
            Citation.objects.filter(claim__in=Claim.objects.public())
            .select_related(
                "claim__property",
                "claim__entity",
                "claim__event",
                "claim__value_entity",
                "claim__value_event",
            )
            .order_by(
                Coalesce("claim__entity__label", "claim__event__label"),
                "claim__property__display_order",
                "pk",
            )
        )
        return Source.objects.public().prefetch_related(
            Prefetch("citations", queryset=citations, to_attr="public_citations")
        )

    def get_context_data(self, **kwargs):
        source = self.object
        stamps = [source.updated_at]
        for citation in source.public_citations:
            stamps += [citation.updated_at, citation.claim.updated_at]
        return super().get_context_data(last_changed=max(stamps), **kwargs)
