from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse


def post_action(client, model, action, objects, **data):
    """POST a bulk action to a changelist, as the admin's action bar does."""
    app = {"claim": "sources", "citation": "sources", "entity": "entities"}[model]
    return client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **data},
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]
