"""Model fields the apps share."""

from django.core.exceptions import ValidationError
from django.db import models

from core import dates


class EDTFField(models.CharField):
    """A date stored as EDTF. A date written as a source writes it ("mid-2012", "March 18,
    2015", "c. 2015", "the 1990s") is stored as its EDTF when the record is validated (forms,
    the loader) or saved, so every way in stores the same thing."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("validators", [dates.validate_edtf])
        kwargs.setdefault("help_text", dates.HELP)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return dates.to_edtf(value) if value else value

    def get_prep_value(self, value):
        # A query or an update takes the value as given: only validation and saving convert.
        return super().to_python(models.Field.get_prep_value(self, value))

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None and not isinstance(value, str):
            value = str(value)  # a year given as a number
        if value:
            try:
                value = dates.to_edtf(value)
            except ValidationError:
                pass  # saved as given; full_clean() and the consistency checks say what is wrong
            setattr(model_instance, self.attname, value)
        return value
