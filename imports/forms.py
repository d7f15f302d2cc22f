from django import forms

from sources import roles
from sources.models import Claim

from .models import ImportBatch
from .services import CREATE

LARGEST_UPLOAD = 50 * 1024 * 1024


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class TextFilesField(forms.FileField):
    """Several uploaded files at once: the archived texts, one per source key."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(TextFilesField, self).clean(item, initial) for item in files]


class UploadForm(forms.ModelForm):
    """The files of an import, why it is made, and what its new claims arrive as."""

    claims = forms.FileField(
        label="Claims file",
        help_text="CSV or JSON Lines in the exchange format: one row per citation of a claim.",
    )
    sources = forms.FileField(
        label="Sources file",
        required=False,
        help_text="CSV, CSL-JSON (Zotero's “CSL JSON”), BibTeX or RIS.",
    )
    texts = TextFilesField(
        label="Archived texts",
        required=False,
        help_text="Text files named by source key (“maghreb-monitor-2019.txt”); every quote "
        "from that source is checked word for word against its text.",
    )

    class Meta:
        model = ImportBatch
        fields = ["reason", "arrives_as", "create_unmatched"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not roles.can_publish(user):
            self.fields["arrives_as"].choices = [
                choice for choice in ImportBatch.ARRIVES_AS if choice[0] != Claim.Status.PUBLISHED
            ]

    def clean(self):
        cleaned = super().clean()
        for name in ("claims", "sources"):
            upload = cleaned.get(name)
            if upload and upload.size > LARGEST_UPLOAD:
                self.add_error(name, "The file is larger than 50 MB; import it with the command.")
        return cleaned


class ChoicesForm(forms.Form):
    """For each name the preview could not settle: the subject it means, or a new one."""

    def __init__(self, *args, pending, chosen, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for position, item in enumerate(pending):
            key = f"{item['type']}:{item['name']}"
            options = [
                (c["slug"], f"{c['label']} ({c['kind']}) — matched by “{c['matched_name']}”")
                for c in item["candidates"]
            ]
            if item["can_create"]:
                options.append((CREATE, f"Create a new {item['type']} ({item['kind']})"))
            name = f"choice_{position}"
            self.keys[name] = key
            self.fields[name] = forms.ChoiceField(
                label=f"“{item['name']}” ({item['where']})",
                choices=options,
                widget=forms.RadioSelect,
                initial=chosen.get(key),
                required=False,
            )

    def choices(self):
        return {self.keys[name]: value for name, value in self.cleaned_data.items() if value}
