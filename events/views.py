from django.views import generic

from .models import Event


class ListView(generic.ListView):
    paginate_by = 50

    def get_queryset(self):
        return Event.objects.public()


class DetailView(generic.DetailView):
    def get_queryset(self):
        return Event.objects.public()
