from django.core.management.base import BaseCommand
from django.db import transaction

from search.index import rebuild
from search.models import Name


class Command(BaseCommand):
    help = "Write the search index of names again from the records (after a restore, say)."

    def handle(self, *args, **options):
        with transaction.atomic():
            rebuild()
        self.stdout.write(f"Indexed {Name.objects.count()} names.")
