from django.views import generic

from .models import Entity


class ListView(generic.ListView):
    paginate_by = 50

    def get_queryset(self):
        return Entity.objects.public()


class DetailView(generic.DetailView):
    def get_queryset(self):
        return Entity.objects.public()
