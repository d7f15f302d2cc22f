from django.views import generic

from .models import Source


class ListView(generic.ListView):
    paginate_by = 50

    def get_queryset(self):
        return Source.objects.public()


class DetailView(generic.DetailView):
    def get_queryset(self):
        return Source.objects.public()
