"""The forms every curated record's edits share: a reason for the history, and the version
the edit started from, so a stale save is refused instead of overwriting a newer one."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError

from core import dates
from core.fields import EDTFField
from core.history import latest_revision


class ReasonField(forms.CharField):
    """The reason recorded in history beside a change: one field for every form that asks."""

    def __init__(self, *, label="Reason for this change", help_text="", **kwargs):
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 80}))
        super().__init__(label=label, help_text=help_text, **kwargs)


def stale_edit_message(obj, current_version):
    latest = latest_revision(obj)
    who = latest.history_user if latest and latest.history_user else "someone else"
    when = f" at {latest.history_date:%Y-%m-%d %H:%M} UTC" if latest else ""
    why = (
        f" (reason: “{latest.history_change_reason}”)"
        if latest and latest.history_change_reason
        else ""
    )
    return (
        f"{who} changed this {obj._meta.verbose_name} after you opened it{when}{why}. "
        "Your changes were not saved, so theirs are kept. Reload the page to see their "
        "version, then make your change again."
    )


class VersionCheckedForm(forms.ModelForm):
    """Carries the version the editor started from and refuses the save if it is stale."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            started_from = cleaned.get("version")
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if started_from is None:
                raise forms.ValidationError(
                    "This form is missing its version number; reload the page."
                )
            if current is not None and current != started_from:
                raise forms.ValidationError(
                    stale_edit_message(self.instance, current), code="stale"
                )
            # The model checks the same number again inside the save's transaction.
        else:
            cleaned["version"] = self.instance.version
        return cleaned


class ReasonedForm(VersionCheckedForm):
    """An admin page's form: the reason for the history, the version, and a look at every
    date written in words before it is saved."""

    change_reason = ReasonField(
        max_length=500,
        help_text="A short note for the history: what you changed and why, "
        "e.g. “date from the court record”.",
    )

    def clean(self):
        cleaned = super().clean()
        self.confirm_dates_in_words()
        return cleaned

    def confirm_dates_in_words(self):
        """A date typed in words ("mid-2012") is shown as it will be stored and read, and
        saved only once the curator saves again: the field then holds the EDTF."""
        typed_in_words = {}
        for name in self.fields:
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not isinstance(field, EDTFField) or name in self.errors:
                continue
            typed = " ".join(str(self.data.get(self.add_prefix(name), "")).split())
            try:
                stored = dates.to_edtf(typed)
            except ValidationError:
                continue  # the model's validation says what is wrong with it
            if stored != typed:
                typed_in_words[name] = stored
                self.add_error(
                    name,
                    f"“{typed}” will be stored as {stored} and read as "
                    f"“{dates.humanize(stored)}”. Save again to keep it, or change it.",
                )
                # The rest of the form is checked as if the date were already EDTF.
                self.cleaned_data[name] = stored
        if typed_in_words:
            self.data = self.data.copy()
            for name, stored in typed_in_words.items():
                self.data[self.add_prefix(name)] = stored


class RevertForm(forms.Form):
    reason = ReasonField(
        label="Reason for reverting", help_text="Recorded in the history with the revert."
    )
