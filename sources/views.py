from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.views import generic

from core.views import PublicMixin

from .models import Citation, Claim, Source


class ListView(PublicMixin, generic.ListView):
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.public()


class DetailView(PublicMixin, generic.DetailView):
    """A source's bibliographic record and every public claim that cites it, a page at a time.

    ``?citation=<pk>`` (what footnotes link to) opens the page that holds that citation.
    """

    citations_per_page = 100

    def get_queryset(self):
        return Source.objects.public()

    def citing(self):
        return (
            Citation.objects.filter(source=self.object, claim__in=Claim.objects.public())
            .select_related(
                "source", "claim__property", "claim__entity", "claim__event", "claim__value_entity",
                "claim__value_event",
            )
            .annotate(subject_label=Coalesce("claim__entity__label", "claim__event__label"))
            .order_by("subject_label", "pk")
        )

    def page_number(self, citations):
        citation = self.request.GET.get("citation", "")
        wanted = citations.filter(pk=citation).first() if citation.isdigit() else None
        if wanted is None:
            return self.request.GET.get("page") or 1
        before = citations.filter(
            Q(subject_label__lt=wanted.subject_label) | Q(subject_label=wanted.subject_label, pk__lt=wanted.pk)
        ).count()
        return before // self.citations_per_page + 1

    def get_context_data(self, **kwargs):
        citations = self.citing()
        page = Paginator(citations, self.citations_per_page).get_page(self.page_number(citations))
        stamps = [self.object.updated_at]
        for citation in page:
            stamps += [citation.updated_at, citation.claim.updated_at]
        return super().get_context_data(
            citations=page, page_obj=page, is_paginated=page.has_other_pages(), last_changed=max(stamps), **kwargs
        )
